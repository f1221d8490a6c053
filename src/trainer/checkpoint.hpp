#pragma once
// The checkpoint file: "GTCKPT\r\n", format version (u32), byte-order mark (u32), the payload, and a
// CRC-32 of everything before it. Little-endian payload: model shape, optimiser kind, epoch, step,
// seed, batch size, then parameters and optimiser moments as length-prefixed fp32 arrays.
#include <cstdint>
#include <filesystem>
#include <vector>

#include "greentrain/trainer/model_spec.hpp"
#include "greentrain/trainer/optimizer.hpp"

namespace greentrain::trainer::detail {

inline constexpr std::uint32_t checkpoint_version = 1;

struct CheckpointData {
  ModelSpec model;
  OptimizerKind optimizer = OptimizerKind::sgd_momentum;
  std::uint64_t epoch = 0;
  std::uint64_t step = 0;
  std::uint64_t seed = 0;
  std::uint64_t batch_size = 0;
  std::vector<float> parameters;
  std::vector<float> first_moment;
  std::vector<float> second_moment;
};

// Temporary file beside the target, fsync, rename, fsync of the folder. Throws error(io_error).
void write_checkpoint(const std::filesystem::path& file, const CheckpointData& data);
// Throws error(corrupt_checkpoint) naming the file and what is wrong, or error(io_error).
CheckpointData read_checkpoint(const std::filesystem::path& file);

}  // namespace greentrain::trainer::detail
