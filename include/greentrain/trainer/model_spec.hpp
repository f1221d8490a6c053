#pragma once
// The shape of a multi-layer perceptron: hidden dense layers, each with an activation and dropout,
// then a dense output layer trained with softmax cross-entropy.
#include <cstddef>
#include <string>
#include <vector>

namespace greentrain::trainer {

enum class Activation { relu, gelu };

struct HiddenLayer {
  std::size_t width = 0;
  Activation activation = Activation::relu;
  float dropout = 0.0f;  // probability of zeroing a unit while training

  friend bool operator==(const HiddenLayer&, const HiddenLayer&) = default;
};

struct ModelSpec {
  std::size_t inputs = 0;
  std::vector<HiddenLayer> hidden;
  std::size_t classes = 0;

  // "784-1024-1024-10"
  std::string describe() const;
  friend bool operator==(const ModelSpec&, const ModelSpec&) = default;
};

// "1024,1024" -> hidden layers of those widths, all with `activation` and `dropout`.
// Throws greentrain::error(invalid_argument) on an empty or non-numeric width.
std::vector<HiddenLayer> parse_hidden_layers(const std::string& widths, Activation activation,
                                             float dropout = 0.0f);

}  // namespace greentrain::trainer
