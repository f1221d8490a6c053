#include "core/bounded_file.hpp"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <fstream>

#include "greentrain/error.hpp"
#include "support/temp_dir.hpp"

using namespace greentrain;

TEST_CASE("a whole regular file is read", "[core][files]") {
  test::TempDir dir;
  std::ofstream(dir / "a.csv") << "h\n1\n";
  CHECK(detail::read_regular_file(dir / "a.csv", 100, "a CSV") == "h\n1\n");
  CHECK(detail::check_regular_file(dir / "a.csv", 100, "a CSV") == 4);
}

TEST_CASE("a file over its reader's limit is refused with the limit", "[core][files]") {
  test::TempDir dir;
  std::ofstream(dir / "big.csv") << std::string(3 * detail::mebibytes, 'x');
  CHECK_THROWS_WITH(detail::read_regular_file(dir / "big.csv", 2 * detail::mebibytes, "a trace"),
                    Catch::Contains("big.csv is 3 MiB, more than the 2 MiB that a trace may have"));
  CHECK_THROWS_AS(detail::check_regular_file(dir / "big.csv", detail::mebibytes, "a trace"),
                  greentrain::error);
}

TEST_CASE("a directory, a device or a FIFO is named for what it is, never read", "[core][files]") {
  test::TempDir dir;
  CHECK_THROWS_WITH(detail::read_regular_file(dir.path(), 100, "an emissions.csv"),
                    Catch::Contains("is a directory; give an emissions.csv"));
  CHECK_THROWS_WITH(detail::read_regular_file("/dev/zero", 100, "an emissions.csv"),
                    Catch::Contains("/dev/zero is a character device, not a regular file"));
  REQUIRE(::mkfifo((dir / "pipe").c_str(), 0600) == 0);  // nobody writes: a read would wait
  CHECK_THROWS_WITH(detail::read_regular_file(dir / "pipe", 100, "an emissions.csv"),
                    Catch::Contains("pipe is a FIFO (named pipe), not a regular file"));
  CHECK_THROWS_WITH(detail::check_regular_file(dir / "pipe", 100, "an emissions.csv"),
                    Catch::Contains("FIFO"));
  CHECK_THROWS_WITH(detail::read_regular_file(dir / "missing", 100, "an emissions.csv"),
                    Catch::Contains("cannot read") && Catch::Contains("No such file"));
}
