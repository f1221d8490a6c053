#include "trainer/optimizer_step.hpp"

#include <cmath>

#include "trainer/bf16.hpp"
#include "trainer/blocked_weights.hpp"

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

// w, m, v, the bf16 copy and the gradients point at the range's first element; n elements. The
// bf16 copy is written in the same pass as the master weights, while they are in registers.
template <bool TwoShards, bool Bf16>
GREENTRAIN_INLINE void sgd(const OptimizerSpec& spec, float lr, float wd, float* __restrict w,
                           float* __restrict m, std::uint16_t* __restrict w_bf16,
                           const float* __restrict g0, const float* __restrict g1, std::size_t n) {
  const auto mu = static_cast<float>(spec.momentum);
  for (std::size_t i = 0; i < n; ++i) {
    float grad = (TwoShards ? g0[i] + g1[i] : g0[i]) + wd * w[i];
    float velocity = mu * m[i] + grad;
    m[i] = velocity;
    float updated = w[i] - lr * velocity;
    w[i] = updated;
    if constexpr (Bf16) w_bf16[i] = to_bf16(updated);
  }
}

// AdamW's bias corrections at a step, computed once per update.
struct BiasCorrection {
  float c1 = 1.0f, c2 = 1.0f;
  BiasCorrection(const OptimizerSpec& spec, std::size_t step) {
    if (spec.kind != OptimizerKind::adamw) return;
    const auto t = static_cast<double>(step);
    c1 = static_cast<float>(1.0 / (1.0 - std::pow(spec.beta1, t)));
    c2 = static_cast<float>(1.0 / (1.0 - std::pow(spec.beta2, t)));
  }
};

template <bool TwoShards, bool Bf16>
GREENTRAIN_INLINE void adamw(const OptimizerSpec& spec, float lr, float wd, BiasCorrection bias,
                             float* __restrict w, float* __restrict m, float* __restrict v,
                             std::uint16_t* __restrict w_bf16, const float* __restrict g0,
                             const float* __restrict g1, std::size_t n) {
  const auto b1 = static_cast<float>(spec.beta1);
  const auto b2 = static_cast<float>(spec.beta2);
  const auto eps = static_cast<float>(spec.epsilon);
  const float c1 = bias.c1, c2 = bias.c2;
  for (std::size_t i = 0; i < n; ++i) {
    float grad = TwoShards ? g0[i] + g1[i] : g0[i];
    float mi = b1 * m[i] + (1.0f - b1) * grad;
    float vi = b2 * v[i] + (1.0f - b2) * grad * grad;
    m[i] = mi;
    v[i] = vi;
    float updated = w[i] - lr * ((mi * c1) / (std::sqrt(vi * c2) + eps) + wd * w[i]);
    w[i] = updated;
    if constexpr (Bf16) w_bf16[i] = to_bf16(updated);
  }
}

template <bool TwoShards, bool Bf16>
GREENTRAIN_INLINE void step_range(const OptimizerSpec& spec, float lr, float wd, std::size_t step,
                                  const OptimizerState& state, const float* g0, const float* g1,
                                  UpdateRange range) {
  const std::size_t n = range.end - range.begin;
  float* w = state.parameters.data() + range.begin;
  float* m = state.first_moment.data() + range.begin;
  std::uint16_t* w_bf16 = Bf16 ? state.parameters_bf16.data() + range.begin : nullptr;
  if (spec.kind == OptimizerKind::sgd_momentum) {
    sgd<TwoShards, Bf16>(spec, lr, wd, w, m, w_bf16, g0, g1, n);
  } else {
    float* v = state.second_moment.data() + range.begin;
    adamw<TwoShards, Bf16>(spec, lr, wd, BiasCorrection(spec, step), w, m, v, w_bf16, g0, g1, n);
  }
}

// The update of one range from at most two gradient arrays that point at the range's start.
GREENTRAIN_INLINE void update_range(const OptimizerSpec& spec, double learning_rate,
                                    std::size_t step, const OptimizerState& state,
                                    const float* g0, const float* g1, UpdateRange range) {
  const auto lr = static_cast<float>(learning_rate);
  const auto wd = range.decay ? static_cast<float>(spec.weight_decay) : 0.0f;
  const bool bf16 = !state.parameters_bf16.empty();
  if (g1) {
    if (bf16) step_range<true, true>(spec, lr, wd, step, state, g0, g1, range);
    else step_range<true, false>(spec, lr, wd, step, state, g0, g1, range);
  } else {
    if (bf16) step_range<false, true>(spec, lr, wd, step, state, g0, g0, range);
    else step_range<false, false>(spec, lr, wd, step, state, g0, g0, range);
  }
}

// Rows [first, first + rows) of a blocked layer, output block by output block: within a block
// the rows' runs of block_outputs values are adjacent in the blocked weights and moments, so those
// stream, while the row-major gradient and bf16 copy are read and written a run at a time.
template <bool Bf16>
GREENTRAIN_INLINE void blocked_rows(const OptimizerSpec& spec, float lr, float wd, BiasCorrection bias,
                                    const OptimizerState& state, const float* gradient,
                                    const DenseShape& s, std::size_t first, std::size_t rows) {
  const std::size_t blocks = s.outputs / s.block_outputs, n = s.block_outputs;
  for (std::size_t b = 0; b < blocks; ++b) {
    for (std::size_t r = first; r < first + rows; ++r) {
      const std::size_t row_major = s.weight_offset + r * s.outputs + b * n;
      const std::size_t blocked = s.weight_offset + blocked_run(s, r, b);
      const float* g = gradient + (r - first) * s.outputs + b * n;
      float* w = state.parameters.data() + blocked;
      float* m = state.first_moment.data() + blocked;
      std::uint16_t* w_bf16 = Bf16 ? state.parameters_bf16.data() + row_major : nullptr;
      if (spec.kind == OptimizerKind::sgd_momentum)
        sgd<false, Bf16>(spec, lr, wd, w, m, w_bf16, g, g, n);
      else
        adamw<false, Bf16>(spec, lr, wd, bias, w, m, state.second_moment.data() + blocked, w_bf16, g,
                           g, n);
    }
  }
}

}  // namespace

[[gnu::target_clones("avx512f", "avx2", "default")]]
void update_blocked(const OptimizerSpec& spec, double learning_rate, std::size_t step,
                    const OptimizerState& state, const float* gradient, const DenseShape& layer,
                    std::size_t first_row, std::size_t rows) {
  const auto lr = static_cast<float>(learning_rate);
  const auto wd = static_cast<float>(spec.weight_decay);
  BiasCorrection bias(spec, step);
  if (state.parameters_bf16.empty())
    blocked_rows<false>(spec, lr, wd, bias, state, gradient, layer, first_row, rows);
  else
    blocked_rows<true>(spec, lr, wd, bias, state, gradient, layer, first_row, rows);
}

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
