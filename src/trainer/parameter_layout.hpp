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
  std::size_t weight_offset = 0;  // inputs x outputs, row-major
  std::size_t bias_offset = 0;    // outputs
  bool hidden = true;             // false for the output layer (no activation, no dropout)
  Activation activation = Activation::relu;
  float dropout = 0.0f;
};

struct ParameterLayout {
  std::vector<DenseShape> layers;
  std::size_t size = 0;

  explicit ParameterLayout(const ModelSpec& spec);
};

// He-normal weights for hidden layers, Xavier-uniform for the output layer, zero biases.
void initialise(const ParameterLayout& layout, std::span<float> parameters, std::uint64_t seed);

}  // namespace greentrain::trainer::detail
