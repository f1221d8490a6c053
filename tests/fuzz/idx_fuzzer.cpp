// IDX image and label files (MNIST's format): header, dimensions, sizes.
#include <cstddef>
#include <cstdint>

#include "fuzz/fuzz_input.hpp"
#include "greentrain/error.hpp"
#include "greentrain/trainer/idx_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data,
                                      std::size_t size) {
  greentrain::fuzz::MemoryFile file(data, size);
  if (!file.ok())
    return 0;
  try {
    auto images = greentrain::trainer::read_idx_images(file.path());
    (void)images;
  } catch (const greentrain::error &) {
  }
  try {
    auto labels = greentrain::trainer::read_idx_labels(file.path());
    (void)labels;
  } catch (const greentrain::error &) {
  }
  return 0;
}
