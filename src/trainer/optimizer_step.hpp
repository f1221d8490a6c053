#pragma once
// One optimiser update over a range of the flat parameter array. The shards' gradients are summed
// in the same pass, and the bf16 copy of the weights is refreshed there too, so the parameters are
// read and written once per step.
#include <cstddef>
#include <cstdint>
#include <span>

#include "greentrain/trainer/optimizer.hpp"
#include "trainer/parameter_layout.hpp"

namespace greentrain::trainer::detail {

struct OptimizerState {
  std::span<float> parameters;
  std::span<float> first_moment;   // SGD: velocity; AdamW: m
  std::span<float> second_moment;  // AdamW: v; empty for SGD
  std::span<std::uint16_t> parameters_bf16;  // empty unless bf16
};

struct UpdateRange {
  std::size_t begin = 0;
  std::size_t end = 0;
  bool decay = true;  // weights yes, biases no
};

// step: 1-based count of updates (AdamW's bias correction). With more than two shards the extra
// ones are first added into shard 0's buffer (within the range), which the update then reads.
void update(const OptimizerSpec& spec, double learning_rate, std::size_t step,
            const OptimizerState& state, std::span<float* const> shard_gradients,
            UpdateRange range);
// The same from one gradient array whose first element is the range's first.
void update(const OptimizerSpec& spec, double learning_rate, std::size_t step,
            const OptimizerState& state, const float* gradient, UpdateRange range);

// Rows [first_row, first_row + rows) of a blocked layer's weights (DenseShape::blocked) from their
// row-major gradient, gradient[0] being row first_row's first: the weights and moments are blocked,
// the bf16 copy too (blocked_weights.hpp), for which first_row and rows must be even. Weight decay
// applies.
void update_blocked(const OptimizerSpec& spec, double learning_rate, std::size_t step,
                    const OptimizerState& state, const float* gradient, const DenseShape& layer,
                    std::size_t first_row, std::size_t rows);

}  // namespace greentrain::trainer::detail
