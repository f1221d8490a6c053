#include "trainer/optimizer_step.hpp"

#include <cmath>

#include "trainer/bf16.hpp"

namespace greentrain::trainer::detail {
namespace {

template <std::size_t Shards>
inline float gradient_at(std::span<const float* const> g, std::size_t i) {
  if constexpr (Shards == 1) {
    return g[0][i];
  } else {
    float sum = g[0][i];
    for (std::size_t s = 1; s < g.size(); ++s) sum += g[s][i];
    return sum;
  }
}

template <std::size_t Shards>
void update_range(const OptimizerSpec& spec, double learning_rate, std::size_t step,
                  const OptimizerState& st, std::span<const float* const> g, UpdateRange r) {
  float* w = st.parameters.data();
  float* m = st.first_moment.data();
  const auto lr = static_cast<float>(learning_rate);
  const auto wd = r.decay ? static_cast<float>(spec.weight_decay) : 0.0f;
  if (spec.kind == OptimizerKind::sgd_momentum) {
    const auto mu = static_cast<float>(spec.momentum);
    for (std::size_t i = r.begin; i < r.end; ++i) {
      float grad = gradient_at<Shards>(g, i) + wd * w[i];
      m[i] = mu * m[i] + grad;
      w[i] -= lr * m[i];
    }
  } else {
    float* v = st.second_moment.data();
    const auto b1 = static_cast<float>(spec.beta1);
    const auto b2 = static_cast<float>(spec.beta2);
    const auto eps = static_cast<float>(spec.epsilon);
    const auto t = static_cast<double>(step);
    const auto c1 = static_cast<float>(1.0 / (1.0 - std::pow(spec.beta1, t)));
    const auto c2 = static_cast<float>(1.0 / (1.0 - std::pow(spec.beta2, t)));
    for (std::size_t i = r.begin; i < r.end; ++i) {
      float grad = gradient_at<Shards>(g, i);
      m[i] = b1 * m[i] + (1.0f - b1) * grad;
      v[i] = b2 * v[i] + (1.0f - b2) * grad * grad;
      w[i] -= lr * ((m[i] * c1) / (std::sqrt(v[i] * c2) + eps) + wd * w[i]);
    }
  }
  if (!st.parameters_bf16.empty())
    for (std::size_t i = r.begin; i < r.end; ++i) st.parameters_bf16[i] = to_bf16(w[i]);
}

}  // namespace

void update(const OptimizerSpec& spec, double learning_rate, std::size_t step,
            const OptimizerState& state, std::span<const float* const> shard_gradients,
            UpdateRange range) {
  if (shard_gradients.size() == 1)
    update_range<1>(spec, learning_rate, step, state, shard_gradients, range);
  else
    update_range<2>(spec, learning_rate, step, state, shard_gradients, range);
}

}  // namespace greentrain::trainer::detail
