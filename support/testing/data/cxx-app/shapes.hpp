// The library's interface: a class hierarchy (RTTI across the library) and
// an exception type of its own, thrown from inside the library.
#pragma once
#include <memory>
#include <stdexcept>
#include <string>

namespace shapes {

struct bad_shape : std::runtime_error {
	explicit bad_shape(const std::string &what) : std::runtime_error(what) {}
};

struct shape {
	virtual ~shape();
	virtual double area() const = 0;
};

struct square : shape {
	explicit square(double side) : side(side) {}
	double area() const override;
	double side;
};

// A square of that side; throws bad_shape for a side that is not positive.
std::unique_ptr<shape> make_square(double side);

} // namespace shapes
