#pragma once
// IDX files (the MNIST and Fashion-MNIST format), plain or gzip-compressed.
// Errors throw greentrain::error (malformed_data or io_error) naming the file, the byte offset and
// what was expected there.
#include <cstdint>
#include <filesystem>
#include <vector>

#include "greentrain/trainer/dataset.hpp"

namespace greentrain::trainer {

struct IdxImages {
  std::uint32_t count = 0;
  std::uint32_t rows = 0;
  std::uint32_t columns = 0;
  std::vector<std::uint8_t> pixels;  // count * rows * columns
};

IdxImages read_idx_images(const std::filesystem::path& file);
std::vector<std::uint8_t> read_idx_labels(const std::filesystem::path& file);

// Images and labels as one dataset of raw pixel values (0..255); every label must be below
// class_count.
Dataset read_idx(const std::filesystem::path& images, const std::filesystem::path& labels,
                 std::size_t class_count = 10);

enum class MnistPart { train, test };

// `dir` holds {train,t10k}-{images-idx3,labels-idx1}-ubyte, each optionally with `.gz`.
Dataset load_mnist_format(const std::filesystem::path& dir, MnistPart part);

}  // namespace greentrain::trainer
