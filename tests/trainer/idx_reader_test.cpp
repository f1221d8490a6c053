#include "greentrain/trainer/idx_reader.hpp"

#include <catch2/catch.hpp>
#include <fstream>

#include "greentrain/error.hpp"

using namespace greentrain::trainer;
using Catch::Matchers::Contains;

namespace {
const std::filesystem::path fixtures = std::filesystem::path(GREENTRAIN_TEST_DATA) / "trainer";

template <class F>
std::string error_message(F&& f) {
  try {
    f();
  } catch (const greentrain::error& e) {
    return e.what();
  }
  return "no error";
}
}  // namespace

TEST_CASE("IDX images and labels load as one dataset of raw pixels", "[trainer][idx]") {
  auto data = read_idx(fixtures / "three-images-idx3-ubyte", fixtures / "three-labels-idx1-ubyte");
  REQUIRE(data.size() == 3);
  CHECK(data.feature_count == 4);
  CHECK(data.class_count == 10);
  CHECK(data.labels == std::vector<std::int32_t>{0, 9, 4});
  CHECK(data.row(1)[0] == 31.0f);  // (4 * 7 + 3)
  CHECK(data.row(2)[3] == 80.0f);
}

TEST_CASE("gzip-compressed IDX files read the same as plain ones", "[trainer][idx]") {
  auto plain = read_idx_images(fixtures / "three-images-idx3-ubyte");
  auto gz = read_idx_images(fixtures / "three-images-idx3-ubyte.gz");
  CHECK(gz.pixels == plain.pixels);
  CHECK(gz.rows == 2);
  CHECK(gz.columns == 2);
}

TEST_CASE("an IDX file with the wrong magic number is refused at byte 0", "[trainer][idx]") {
  auto message = error_message([] { read_idx_images(fixtures / "wrong-magic-images-idx3-ubyte"); });
  CHECK_THAT(message, Contains("wrong-magic-images-idx3-ubyte") && Contains("byte 0") &&
                          Contains("expected 00000803"));
}

TEST_CASE("a truncated IDX file names the offset where data ran out", "[trainer][idx]") {
  auto message = error_message([] { read_idx_images(fixtures / "truncated-images-idx3-ubyte"); });
  CHECK_THAT(message, Contains("truncated at byte 23") && Contains("3 images of 2x2 pixels") &&
                          Contains("5 more bytes"));
}

TEST_CASE("an IDX header that promises more than the file holds is refused as truncated",
          "[trainer][idx]") {
  auto file = std::filesystem::temp_directory_path() / "greentrain-idx-promises-too-much";
  auto write_header = [&](std::uint32_t count, std::uint32_t rows, std::uint32_t columns) {
    std::ofstream out(file, std::ios::binary);
    auto u32 = [&](std::uint32_t v) {
      char b[4] = {char(v >> 24), char(v >> 16), char(v >> 8), char(v)};
      out.write(b, 4);
    };
    u32(0x803);
    u32(count);
    u32(rows);
    u32(columns);
    out.write("0123456789", 10);
  };
  write_header(60000, 28, 28);  // 47 MB promised, 10 bytes there: read as far as they go
  CHECK_THAT(error_message([&] { read_idx_images(file); }),
             Contains("truncated at byte 26") && Contains("60000 images of 28x28 pixels"));
  write_header(0xffffffff, 0xffffffff, 0xffffffff);  // more than 64 bits of bytes
  CHECK_THAT(error_message([&] { read_idx_images(file); }),
             Contains("claim more than the 16 GiB") && Contains("header is damaged"));
  std::filesystem::remove(file);
}

TEST_CASE("a label beyond the class count is refused with its offset", "[trainer][idx]") {
  auto message = error_message([] {
    read_idx(fixtures / "three-images-idx3-ubyte", fixtures / "label-out-of-range-idx1-ubyte");
  });
  CHECK_THAT(message, Contains("label 12 at byte 9") && Contains("expected 0..9"));
}

TEST_CASE("images and labels of different counts are refused", "[trainer][idx]") {
  auto message = error_message([] {
    read_idx(fixtures / "three-images-idx3-ubyte", fixtures / "two-labels-idx1-ubyte");
  });
  CHECK_THAT(message, Contains("2 labels") && Contains("3 images"));
}

TEST_CASE("a missing MNIST folder says which files it looked for", "[trainer][idx]") {
  auto message = error_message([] { load_mnist_format(fixtures / "absent", MnistPart::test); });
  CHECK_THAT(message, Contains("t10k-images-idx3-ubyte.gz"));
}
