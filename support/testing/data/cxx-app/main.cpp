// Prints one line per C++ feature the runtime must carry; the test compares
// them with what it expects.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <numeric>
#include <thread>
#include <typeinfo>
#include <vector>
#ifdef HAVE_PUGIXML
#include <pugixml.hpp>
#endif
#include "shapes.hpp"

int main()
{
	// an exception of the library's type, thrown inside it, caught here
	try {
		shapes::make_square(-2);
		std::cout << "no exception\n";
	} catch (const shapes::bad_shape &e) {
		std::cout << "caught bad_shape: " << e.what() << "\n";
	}
	// RTTI on an object the library made
	std::unique_ptr<shapes::shape> s = shapes::make_square(3);
	auto *sq = dynamic_cast<shapes::square *>(s.get());
	std::cout << "dynamic_cast: " << (sq ? "square" : "null") << " of area " << s->area()
		  << (typeid(*s) == typeid(shapes::square) ? ", typeid matches" : "") << "\n";
	// threads
	std::vector<long> sums(4);
	std::vector<std::thread> threads;
	for (int t = 0; t < 4; t++)
		threads.emplace_back([t, &sums] {
			for (long i = t * 250 + 1; i <= (t + 1) * 250; i++)
				sums[t] += i;
		});
	for (auto &t : threads)
		t.join();
	std::cout << "threads: " << std::accumulate(sums.begin(), sums.end(), 0L) << "\n";
	// the file system
	namespace fs = std::filesystem;
	fs::path dir = fs::temp_directory_path() / "cxx-app";
	fs::remove_all(dir);
	fs::create_directories(dir / "a" / "b");
	std::ofstream(dir / "a" / "f.txt") << "twelve bytes";
	std::size_t files = 0, bytes = 0;
	for (auto &e : fs::recursive_directory_iterator(dir))
		if (e.is_regular_file()) {
			files++;
			bytes += fs::file_size(e.path());
		}
	fs::remove_all(dir);
	std::cout << "filesystem: " << files << " file of " << bytes << " bytes\n";
#ifdef HAVE_PUGIXML
	pugi::xml_document doc;
	doc.load_string("<board><name>tinyroot</name><cores>2</cores></board>");
	std::cout << "pugixml: " << doc.select_node("/board/name").node().child_value() << " with "
		  << doc.child("board").child("cores").text().as_int() << " cores\n";
#endif
	return 0;
}
