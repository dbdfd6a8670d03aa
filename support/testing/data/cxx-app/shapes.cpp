#include "shapes.hpp"

namespace shapes {

shape::~shape() = default;

double square::area() const
{
	return side * side;
}

std::unique_ptr<shape> make_square(double side)
{
	if (side <= 0)
		throw bad_shape("a square of side " + std::to_string(static_cast<int>(side)));
	return std::make_unique<square>(side);
}

} // namespace shapes
