#pragma once
// Where each layer's weights and biases live in the trainer's one flat parameter array, so the
// optimiser, the gradient sum and checkpoints work on contiguous memory.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "greentrain/trainer/model_spec.hpp"

namespace greentrain::trainer::detail {

struct DenseShape {
  std::size_t inputs = 0;
  std::size_t outputs = 0;
  // inputs x outputs, row-major; or, when block_outputs is set, the trainer's fp32 master weights in
  // oneDNN's blocked inner-product layout (blocked_weights.hpp). Gradients are always row-major.
  std::size_t weight_offset = 0;
  std::size_t bias_offset = 0;    // outputs
  bool hidden = true;             // false for the output layer (no activation, no dropout)
  Activation activation = Activation::relu;
  float dropout = 0.0f;
  std::size_t block_inputs = 0;   // with block_outputs: the layout OI<block_inputs>i<block_outputs>o
  std::size_t block_outputs = 0;  // 0: row-major
  bool blocked() const { return block_outputs != 0; }
};

struct ParameterLayout {
  std::vector<DenseShape> layers;
  std::size_t size = 0;

  explicit ParameterLayout(const ModelSpec& spec);
};

// He-normal weights for hidden layers, Xavier-uniform for the output layer, zero biases.
void initialise(const ParameterLayout& layout, std::span<float> parameters, std::uint64_t seed);

}  // namespace greentrain::trainer::detail
