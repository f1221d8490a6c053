// IDX: a big-endian header (0x00 0x00 type ndims, then one u32 per dimension) followed by the data.
#include "greentrain/trainer/idx_reader.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <zlib.h>

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "core/bounded_file.hpp"
#include "greentrain/error.hpp"

namespace greentrain::trainer {
namespace {

constexpr unsigned char idx_ubyte = 0x08;

// Reads a plain or gzip file (zlib detects which) and reports offsets in uncompressed bytes.
class IdxFile {
 public:
  explicit IdxFile(const std::filesystem::path& path) : path_(path) {
    greentrain::detail::check_regular_file(path, greentrain::detail::max_dataset_bytes,
                                           "an IDX file (plain or gzip)");
    file_ = gzopen(path.c_str(), "rb");
    if (!file_) throw error(errc::io_error, fmt::format("cannot open {}: no such readable file", path.string()));
  }
  ~IdxFile() { gzclose(file_); }
  IdxFile(const IdxFile&) = delete;
  IdxFile& operator=(const IdxFile&) = delete;

  void read(void* into, std::size_t bytes, const char* what) {
    auto* out = static_cast<unsigned char*>(into);
    std::size_t done = 0;
    while (done < bytes) {
      auto chunk = static_cast<unsigned>(std::min<std::size_t>(bytes - done, 1u << 30));
      int got = gzread(file_, out + done, chunk);
      if (got < 0) {
        int code = 0;
        throw error(errc::io_error, fmt::format("{}: read failed at byte {}: {}", path_.string(),
                                                offset_ + done, gzerror(file_, &code)));
      }
      if (got == 0)
        throw error(errc::malformed_data,
                    fmt::format("{}: truncated at byte {}: expected {} ({} more bytes)", path_.string(),
                                offset_ + done, what, bytes - done));
      done += static_cast<std::size_t>(got);
    }
    offset_ += bytes;
  }

  // `bytes` of data in growing steps, so a header that promises more than the file holds fails
  // as truncated after reading what is there, instead of allocating what it promised.
  std::vector<std::uint8_t> read_data(std::uint64_t bytes, const std::string& what) {
    std::vector<std::uint8_t> data;
    constexpr std::size_t step = std::size_t{64} << 20;
    while (data.size() < bytes) {
      std::size_t at = data.size();
      data.resize(at + std::min<std::uint64_t>(step, bytes - at));
      read(data.data() + at, data.size() - at, what.c_str());
    }
    return data;
  }

  std::uint32_t read_u32(const char* what) {
    std::array<unsigned char, 4> b{};
    read(b.data(), 4, what);
    return std::uint32_t{b[0]} << 24 | std::uint32_t{b[1]} << 16 | std::uint32_t{b[2]} << 8 | b[3];
  }

  // Checks the magic number and returns the dimensions.
  std::vector<std::uint32_t> read_header(std::uint8_t expected_dims) {
    std::array<unsigned char, 4> magic{};
    read(magic.data(), 4, "the IDX magic number");
    if (magic[0] != 0 || magic[1] != 0 || magic[2] != idx_ubyte || magic[3] != expected_dims)
      throw error(errc::malformed_data,
                  fmt::format("{}: wrong magic number {:02x}{:02x}{:02x}{:02x} at byte 0: expected "
                              "000008{:02x} (unsigned bytes, {} dimensions)",
                              path_.string(), magic[0], magic[1], magic[2], magic[3], expected_dims,
                              expected_dims));
    std::vector<std::uint32_t> dims;
    std::uintmax_t bytes = 1;
    for (std::uint8_t i = 0; i < expected_dims; ++i) {
      dims.push_back(read_u32("a dimension size"));
      bytes *= dims.back();  // at most 2^32 x the limit so far: no overflow before the check
      if (bytes > greentrain::detail::max_dataset_bytes)
        throw error(errc::malformed_data,
                    fmt::format("{}: dimensions {} claim more than the {} GiB an IDX file may "
                                "hold: the header is damaged",
                                path_.string(), fmt::join(dims, "x"),
                                greentrain::detail::max_dataset_bytes >> 30));
    }
    return dims;
  }

  void expect_end() {
    unsigned char extra = 0;
    if (gzread(file_, &extra, 1) > 0)
      throw error(errc::malformed_data,
                  fmt::format("{}: unexpected data after byte {}: expected the end of the file",
                              path_.string(), offset_));
  }

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  gzFile file_ = nullptr;
  std::size_t offset_ = 0;
};

std::filesystem::path existing(const std::filesystem::path& dir, const std::string& name) {
  auto plain = dir / name;
  if (std::filesystem::exists(plain)) return plain;
  auto gz = dir / (name + ".gz");
  if (std::filesystem::exists(gz)) return gz;
  throw error(errc::io_error,
              fmt::format("{}: neither {} nor {}.gz exists; install dataset-fashion-mnist or pass "
                          "the folder holding the IDX files",
                          dir.string(), name, name));
}

}  // namespace

IdxImages read_idx_images(const std::filesystem::path& path) {
  IdxFile file(path);
  auto dims = file.read_header(3);
  IdxImages images{dims[0], dims[1], dims[2], {}};
  // The header check keeps the product within the dataset limit.
  std::uint64_t bytes = std::uint64_t{dims[0]} * dims[1] * dims[2];
  images.pixels = file.read_data(
      bytes, fmt::format("{} images of {}x{} pixels", dims[0], dims[1], dims[2]));
  file.expect_end();
  return images;
}

std::vector<std::uint8_t> read_idx_labels(const std::filesystem::path& path) {
  IdxFile file(path);
  auto dims = file.read_header(1);
  auto labels = file.read_data(dims[0], fmt::format("{} labels", dims[0]));
  file.expect_end();
  return labels;
}

Dataset read_idx(const std::filesystem::path& images_path, const std::filesystem::path& labels_path,
                 std::size_t class_count) {
  auto images = read_idx_images(images_path);
  auto labels = read_idx_labels(labels_path);
  if (labels.size() != images.count)
    throw error(errc::malformed_data,
                fmt::format("{} holds {} labels but {} holds {} images: expected one label per image",
                            labels_path.string(), labels.size(), images_path.string(), images.count));
  Dataset data;
  data.feature_count = std::size_t{images.rows} * images.columns;
  data.class_count = class_count;
  data.labels.reserve(labels.size());
  for (std::size_t i = 0; i < labels.size(); ++i) {
    if (labels[i] >= class_count)
      throw error(errc::malformed_data,
                  fmt::format("{}: label {} at byte {} (item {}) is out of range: expected 0..{}",
                              labels_path.string(), labels[i], 8 + i, i, class_count - 1));
    data.labels.push_back(labels[i]);
  }
  data.features.assign(images.pixels.begin(), images.pixels.end());
  return data;
}

Dataset load_mnist_format(const std::filesystem::path& dir, MnistPart part) {
  std::string prefix = part == MnistPart::train ? "train" : "t10k";
  auto images = existing(dir, prefix + "-images-idx3-ubyte");
  return read_idx(images, existing(dir, prefix + "-labels-idx1-ubyte"));
}

}  // namespace greentrain::trainer
