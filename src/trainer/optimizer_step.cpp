#include "trainer/optimizer_step.hpp"

#include <cmath>

#include "trainer/bf16.hpp"

// The update streams every parameter, moment and gradient once per step: at small batches it costs
// as much as the GEMMs, so it is compiled to vectorise (see CMakeLists.txt) and cloned per ISA.

namespace greentrain::trainer::detail {
namespace {

#define GREENTRAIN_INLINE [[gnu::always_inline]] inline

// Shards beyond the second are folded into the first, so the update reads at most two.
GREENTRAIN_INLINE void fold_extra_shards(std::span<float* const> g, UpdateRange r) {
  float* __restrict first = g[0];
  for (std::size_t s = 2; s < g.size(); ++s) {
    const float* __restrict other = g[s];
    for (std::size_t i = r.begin; i < r.end; ++i) first[i] += other[i];
  }
}

// w, m, v and the gradients point at the range's first element; n elements.
template <bool TwoShards>
GREENTRAIN_INLINE void sgd(const OptimizerSpec& spec, float lr, float wd, float* __restrict w,
                           float* __restrict m, const float* __restrict g0,
                           const float* __restrict g1, std::size_t n) {
  const auto mu = static_cast<float>(spec.momentum);
  for (std::size_t i = 0; i < n; ++i) {
    float grad = (TwoShards ? g0[i] + g1[i] : g0[i]) + wd * w[i];
    float velocity = mu * m[i] + grad;
    m[i] = velocity;
    w[i] -= lr * velocity;
  }
}

template <bool TwoShards>
GREENTRAIN_INLINE void adamw(const OptimizerSpec& spec, float lr, float wd, std::size_t step,
                             float* __restrict w, float* __restrict m, float* __restrict v,
                             const float* __restrict g0, const float* __restrict g1, std::size_t n) {
  const auto b1 = static_cast<float>(spec.beta1);
  const auto b2 = static_cast<float>(spec.beta2);
  const auto eps = static_cast<float>(spec.epsilon);
  const auto t = static_cast<double>(step);
  const auto c1 = static_cast<float>(1.0 / (1.0 - std::pow(spec.beta1, t)));
  const auto c2 = static_cast<float>(1.0 / (1.0 - std::pow(spec.beta2, t)));
  for (std::size_t i = 0; i < n; ++i) {
    float grad = TwoShards ? g0[i] + g1[i] : g0[i];
    float mi = b1 * m[i] + (1.0f - b1) * grad;
    float vi = b2 * v[i] + (1.0f - b2) * grad * grad;
    m[i] = mi;
    v[i] = vi;
    w[i] -= lr * ((mi * c1) / (std::sqrt(vi * c2) + eps) + wd * w[i]);
  }
}

GREENTRAIN_INLINE void copy_to_bf16(const float* __restrict w, std::uint16_t* __restrict out,
                                    std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) out[i] = to_bf16(w[i]);
}

// The update of one range from at most two gradient arrays that point at the range's start.
GREENTRAIN_INLINE void update_range(const OptimizerSpec& spec, double learning_rate,
                                    std::size_t step, const OptimizerState& state,
                                    const float* g0, const float* g1, UpdateRange range) {
  const bool two = g1 != nullptr;
  const std::size_t n = range.end - range.begin;
  const auto lr = static_cast<float>(learning_rate);
  const auto wd = range.decay ? static_cast<float>(spec.weight_decay) : 0.0f;
  float* w = state.parameters.data() + range.begin;
  float* m = state.first_moment.data() + range.begin;
  if (spec.kind == OptimizerKind::sgd_momentum) {
    if (two) sgd<true>(spec, lr, wd, w, m, g0, g1, n);
    else sgd<false>(spec, lr, wd, w, m, g0, g0, n);
  } else {
    float* v = state.second_moment.data() + range.begin;
    if (two) adamw<true>(spec, lr, wd, step, w, m, v, g0, g1, n);
    else adamw<false>(spec, lr, wd, step, w, m, v, g0, g0, n);
  }
  if (!state.parameters_bf16.empty()) copy_to_bf16(w, state.parameters_bf16.data() + range.begin, n);
}

}  // namespace

[[gnu::target_clones("avx512f", "avx2", "default")]]
void update(const OptimizerSpec& spec, double learning_rate, std::size_t step,
            const OptimizerState& state, std::span<float* const> shard_gradients,
            UpdateRange range) {
  fold_extra_shards(shard_gradients, range);
  const float* g0 = shard_gradients[0] + range.begin;
  const float* g1 = shard_gradients.size() >= 2 ? shard_gradients[1] + range.begin : nullptr;
  update_range(spec, learning_rate, step, state, g0, g1, range);
}

[[gnu::target_clones("avx512f", "avx2", "default")]]
void update(const OptimizerSpec& spec, double learning_rate, std::size_t step,
            const OptimizerState& state, const float* gradient, UpdateRange range) {
  update_range(spec, learning_rate, step, state, gradient, nullptr, range);
}

}  // namespace greentrain::trainer::detail
