#pragma once
// The trainer keeps the fp32 master weights of wide layers in the blocked layout oneDNN's inner
// product kernels read (OI16i64o: output blocks of 64, then input blocks of 16, 16 inputs x 64
// outputs innermost), so the forward and input-gradient GEMMs read them without repacking and the
// optimiser updates them in place. The bf16 copy of such a layer is in the bf16 kernels' layout,
// OI8i64o2i: the same blocks, inside each the pairs of inputs interleaved output by output.
// Row-major copies are made only at the edges: initialisation, checkpoints and the public
// parameter accessor. In the fp32 layouts a row of W (one input) is a run of block_outputs
// contiguous outputs per output block, so conversions and the optimiser walk those runs; in the
// bf16 layout rows 2k and 2k+1 share the place of the fp32 runs of both.
#include <cstddef>
#include <cstdint>
#include <span>

#include "trainer/parameter_layout.hpp"

namespace greentrain::trainer::detail {

// Sets block_inputs/block_outputs on the layers whose weights oneDNN's inner product would block
// without padding (each dimension a multiple of its block), in fp32 and, with_bf16_copy, in bf16
// too; the others stay row-major.
void choose_blocked_weights(ParameterLayout& layout, bool with_bf16_copy);

// Where input `row`, outputs [block * block_outputs, ...) start, relative to the layer's weights.
inline std::size_t blocked_run(const DenseShape& s, std::size_t row, std::size_t block) {
  return block * s.inputs * s.block_outputs + (row / s.block_inputs) * s.block_inputs * s.block_outputs +
         (row % s.block_inputs) * s.block_outputs;
}

// Calls run(row_major_offset, blocked_offset, count) for each run of rows [first, first + rows)
// of a blocked layer's weights, offsets relative to the layer's weights.
template <class Run>
void for_each_run(const DenseShape& s, std::size_t first, std::size_t rows, Run&& run) {
  const std::size_t blocks = s.outputs / s.block_outputs;
  for (std::size_t r = first; r < first + rows; ++r)
    for (std::size_t b = 0; b < blocks; ++b)
      run(r * s.outputs + b * s.block_outputs, blocked_run(s, r, b), s.block_outputs);
}

// Converts the weights of every blocked layer of a flat parameter-shaped array, in place.
void to_blocked(const ParameterLayout& layout, std::span<float> values);
void to_row_major(const ParameterLayout& layout, std::span<float> values);

// The bf16 copy of parameters whose blocked layers are blocked: those in OI8i64o2i, the rest as is.
void to_bf16_copy(const ParameterLayout& layout, std::span<const float> parameters,
                  std::span<std::uint16_t> copy);

}  // namespace greentrain::trainer::detail
