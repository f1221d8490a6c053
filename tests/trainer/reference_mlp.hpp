#pragma once
// A plain, obviously-correct MLP in double precision: the yardstick for the oneDNN kernels.
#include <cmath>
#include <cstdint>
#include <numbers>
#include <vector>

#include "trainer/parameter_layout.hpp"
#include "trainer/rng.hpp"

namespace greentrain::trainer::testing {

struct ReferenceResult {
  double loss_sum = 0.0;
  std::vector<double> logits;
  std::vector<double> gradients;  // of loss_sum * loss_scale, in the trainer's parameter layout
};

inline double gelu(double x) { return 0.5 * x * (1.0 + std::erf(x / std::numbers::sqrt2)); }
inline double gelu_derivative(double x) {
  return 0.5 * (1.0 + std::erf(x / std::numbers::sqrt2)) +
         x * std::exp(-0.5 * x * x) / std::sqrt(2.0 * std::numbers::pi);
}

// `parameters` as float (what the trainer holds); dropout drawn exactly as the trainer draws it.
inline ReferenceResult reference_step(const detail::ParameterLayout& layout,
                                      const std::vector<float>& parameters,
                                      const std::vector<float>& input,
                                      const std::vector<std::int32_t>& labels, double loss_scale,
                                      bool training, const detail::DropoutDraw& draw = {}) {
  const std::size_t batch = labels.size();
  std::vector<std::vector<double>> xs{std::vector<double>(input.begin(), input.end())};
  std::vector<std::vector<double>> zs, keeps;
  for (std::size_t l = 0; l < layout.layers.size(); ++l) {
    const auto& s = layout.layers[l];
    const auto& x = xs.back();
    std::vector<double> z(batch * s.outputs), a(batch * s.outputs), keep(batch * s.outputs, 1.0);
    for (std::size_t r = 0; r < batch; ++r)
      for (std::size_t o = 0; o < s.outputs; ++o) {
        double sum = parameters[s.bias_offset + o];
        for (std::size_t i = 0; i < s.inputs; ++i)
          sum += x[r * s.inputs + i] * parameters[s.weight_offset + i * s.outputs + o];
        z[r * s.outputs + o] = sum;
      }
    for (std::size_t i = 0; i < z.size(); ++i) {
      a[i] = !s.hidden ? z[i] : s.activation == Activation::relu ? std::max(z[i], 0.0) : gelu(z[i]);
      if (training && s.hidden && s.dropout > 0.0f) {
        std::size_t r = i / s.outputs, j = i % s.outputs;
        auto bits = detail::random_bits(draw.seed ^ detail::mix(draw.step),
                                        detail::dropout_stream + 16 * l,
                                        (draw.first_sample + r) * s.outputs + j);
        keep[i] = detail::uniform01(bits) < s.dropout ? 0.0 : 1.0 / (1.0 - s.dropout);
        a[i] *= keep[i];
      }
    }
    zs.push_back(z);
    keeps.push_back(keep);
    xs.push_back(a);
  }
  const std::size_t classes = layout.layers.back().outputs;
  ReferenceResult result;
  result.logits = zs.back();
  result.gradients.assign(layout.size, 0.0);
  std::vector<double> dz(batch * classes);
  for (std::size_t r = 0; r < batch; ++r) {
    const double* row = zs.back().data() + r * classes;
    double top = *std::max_element(row, row + classes), sum = 0.0;
    for (std::size_t c = 0; c < classes; ++c) sum += std::exp(row[c] - top);
    for (std::size_t c = 0; c < classes; ++c) {
      double log_p = row[c] - top - std::log(sum);
      if (static_cast<std::int32_t>(c) == labels[r]) result.loss_sum -= log_p;
      dz[r * classes + c] = (std::exp(log_p) - (static_cast<std::int32_t>(c) == labels[r])) * loss_scale;
    }
  }
  for (std::size_t l = layout.layers.size(); l-- > 0;) {
    const auto& s = layout.layers[l];
    const auto& x = xs[l];
    for (std::size_t r = 0; r < batch; ++r)
      for (std::size_t o = 0; o < s.outputs; ++o) {
        double g = dz[r * s.outputs + o];
        result.gradients[s.bias_offset + o] += g;
        for (std::size_t i = 0; i < s.inputs; ++i)
          result.gradients[s.weight_offset + i * s.outputs + o] += x[r * s.inputs + i] * g;
      }
    if (l == 0) break;
    const auto& below = layout.layers[l - 1];
    std::vector<double> dx(batch * s.inputs, 0.0);
    for (std::size_t r = 0; r < batch; ++r)
      for (std::size_t i = 0; i < s.inputs; ++i) {
        double sum = 0.0;
        for (std::size_t o = 0; o < s.outputs; ++o)
          sum += dz[r * s.outputs + o] * parameters[s.weight_offset + i * s.outputs + o];
        std::size_t k = r * s.inputs + i;
        double z = zs[l - 1][k];
        double slope = below.activation == Activation::relu ? (z > 0.0 ? 1.0 : 0.0) : gelu_derivative(z);
        dx[k] = sum * keeps[l - 1][k] * slope;
      }
    dz = std::move(dx);
  }
  return result;
}

}  // namespace greentrain::trainer::testing
