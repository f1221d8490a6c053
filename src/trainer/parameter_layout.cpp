#include "trainer/parameter_layout.hpp"

#include <cmath>

#include "greentrain/error.hpp"
#include "trainer/rng.hpp"

namespace greentrain::trainer::detail {

ParameterLayout::ParameterLayout(const ModelSpec& spec) {
  if (spec.inputs == 0 || spec.classes < 2)
    throw error(errc::invalid_argument,
                "a model needs at least one input and two classes: check the dataset");
  std::size_t inputs = spec.inputs;
  auto add = [&](std::size_t outputs, bool hidden, Activation activation, float dropout) {
    if (outputs == 0) throw error(errc::invalid_argument, "a layer of width 0: give positive widths");
    if (!(dropout >= 0.0f && dropout < 1.0f))
      throw error(errc::invalid_argument, "dropout must be in [0, 1)");
    DenseShape shape{inputs, outputs, size, size + inputs * outputs, hidden, activation, dropout};
    size = shape.bias_offset + outputs;
    layers.push_back(shape);
    inputs = outputs;
  };
  for (const auto& layer : spec.hidden) add(layer.width, true, layer.activation, layer.dropout);
  add(spec.classes, false, Activation::relu, 0.0f);
}

void initialise(const ParameterLayout& layout, std::span<float> parameters, std::uint64_t seed) {
  for (std::size_t l = 0; l < layout.layers.size(); ++l) {
    const auto& layer = layout.layers[l];
    auto fan_in = static_cast<double>(layer.inputs);
    auto fan_out = static_cast<double>(layer.outputs);
    std::uint64_t stream = init_stream + 16 * l;
    float* w = parameters.data() + layer.weight_offset;
    std::size_t count = layer.inputs * layer.outputs;
    if (layer.hidden) {
      double stddev = std::sqrt(2.0 / fan_in);
      for (std::size_t i = 0; i < count; ++i) w[i] = static_cast<float>(stddev * normal(seed, stream, i));
    } else {
      double limit = std::sqrt(6.0 / (fan_in + fan_out));
      for (std::size_t i = 0; i < count; ++i)
        w[i] = static_cast<float>(limit * (2.0 * uniform01(random_bits(seed, stream, i)) - 1.0));
    }
    std::fill_n(parameters.data() + layer.bias_offset, layer.outputs, 0.0f);
  }
}

}  // namespace greentrain::trainer::detail
