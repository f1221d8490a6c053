#include "trainer/optimizer_step.hpp"

#include <cmath>
#include <immintrin.h>
#include <stdexcept>
#include <type_traits>

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

// The rules for one parameter: each updates w and its moments from the gradient.
struct Sgd {
  float lr, wd, mu;
  Sgd(const OptimizerSpec& spec, float rate, float decay)
      : lr(rate), wd(decay), mu(static_cast<float>(spec.momentum)) {}
  GREENTRAIN_INLINE void operator()(float& w, float& m, float grad) const {
    float velocity = mu * m + (grad + wd * w);
    m = velocity;
    w = w - lr * velocity;
  }
};

struct AdamW {
  float lr, wd, b1, b2, eps, c1 = 1.0f, c2 = 1.0f;  // c1, c2: the bias corrections at this step
  AdamW(const OptimizerSpec& spec, float rate, float decay, std::size_t step)
      : lr(rate), wd(decay), b1(static_cast<float>(spec.beta1)), b2(static_cast<float>(spec.beta2)),
        eps(static_cast<float>(spec.epsilon)) {
    const auto t = static_cast<double>(step);
    c1 = static_cast<float>(1.0 / (1.0 - std::pow(spec.beta1, t)));
    c2 = static_cast<float>(1.0 / (1.0 - std::pow(spec.beta2, t)));
  }
  GREENTRAIN_INLINE void operator()(float& w, float& m, float& v, float grad) const {
    m = b1 * m + (1.0f - b1) * grad;
    v = b2 * v + (1.0f - b2) * grad * grad;
    w = w - lr * ((m * c1) / (std::sqrt(v * c2) + eps) + wd * w);
  }
};

// Parameter i by the rule (v is null for SGD).
template <class Rule>
GREENTRAIN_INLINE void apply(const Rule& rule, float* w, float* m, float* v, std::size_t i,
                             float grad) {
  if constexpr (std::is_same_v<Rule, AdamW>) rule(w[i], m[i], v[i], grad);
  else rule(w[i], m[i], grad);
}

// w, m, v, the bf16 copy and the gradients point at the range's first element; n elements. The
// bf16 copy is written in the same pass as the master weights, while they are in registers.
template <bool TwoShards, bool Bf16, class Rule>
GREENTRAIN_INLINE void run(const Rule& rule, float* __restrict w, float* __restrict m,
                           float* __restrict v, std::uint16_t* __restrict w_bf16,
                           const float* __restrict g0, const float* __restrict g1, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    apply(rule, w, m, v, i, TwoShards ? g0[i] + g1[i] : g0[i]);
    if constexpr (Bf16) w_bf16[i] = to_bf16(w[i]);
  }
}

// Two rows of n parameters, the second `next` values after the first in w, m and v, with their
// gradients g0 and g1 and a bf16 copy of n interleaved pairs (blocked_weights.hpp).
template <class Rule>
GREENTRAIN_INLINE void run_pair(const Rule& rule, float* __restrict w, float* __restrict m,
                                float* __restrict v, std::uint16_t* __restrict w_bf16,
                                const float* __restrict g0, const float* __restrict g1,
                                std::size_t next, std::size_t n) {
  for (std::size_t i = 0; i < n; ++i) {
    apply(rule, w, m, v, i, g0[i]);
    apply(rule, w, m, v, next + i, g1[i]);
    w_bf16[2 * i] = to_bf16(w[i]);
    w_bf16[2 * i + 1] = to_bf16(w[next + i]);
  }
}

// run_pair for SGD with the CPU's own bf16 conversion and interleave: a fifth less time per pair
// than the portable loop, with the same results. n a multiple of 32; the CPU has AVX512_BF16.
[[gnu::target("avx512f,avx512bw,avx512bf16")]]
void sgd_pair_avx512bf16(const Sgd& rule, float* __restrict w, float* __restrict m,
                         std::uint16_t* __restrict w_bf16, const float* __restrict g0,
                         const float* __restrict g1, std::size_t next, std::size_t n) {
  const __m512 lr = _mm512_set1_ps(rule.lr), wd = _mm512_set1_ps(rule.wd);
  const __m512 mu = _mm512_set1_ps(rule.mu);
  // Words of (even, odd): even i, odd i, even i + 1, ... from the two converted halves.
  const __m512i first = _mm512_set_epi16(47, 15, 46, 14, 45, 13, 44, 12, 43, 11, 42, 10, 41, 9, 40,
                                         8, 39, 7, 38, 6, 37, 5, 36, 4, 35, 3, 34, 2, 33, 1, 32, 0);
  const __m512i second = _mm512_add_epi16(first, _mm512_set1_epi16(16));
  for (std::size_t i = 0; i < n; i += 32) {
    __m512 updated[4];  // even i.., odd i.., even i + 16.., odd i + 16..
    for (int k = 0; k < 4; ++k) {
      const std::size_t at = (k & 1 ? next : 0) + i + (k >> 1) * 16;
      const float* g = (k & 1 ? g1 : g0) + i + (k >> 1) * 16;
      __m512 weight = _mm512_loadu_ps(w + at);
      __m512 velocity = _mm512_fmadd_ps(mu, _mm512_loadu_ps(m + at),
                                        _mm512_fmadd_ps(wd, weight, _mm512_loadu_ps(g)));
      _mm512_storeu_ps(m + at, velocity);
      weight = _mm512_fnmadd_ps(lr, velocity, weight);
      _mm512_storeu_ps(w + at, weight);
      updated[k] = weight;
    }
    const auto even = reinterpret_cast<__m512i>(_mm512_cvtne2ps_pbh(updated[2], updated[0]));
    const auto odd = reinterpret_cast<__m512i>(_mm512_cvtne2ps_pbh(updated[3], updated[1]));
    _mm512_storeu_si512(w_bf16 + 2 * i, _mm512_permutex2var_epi16(even, first, odd));
    _mm512_storeu_si512(w_bf16 + 2 * i + 32, _mm512_permutex2var_epi16(even, second, odd));
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
  if (spec.kind == OptimizerKind::sgd_momentum)
    run<TwoShards, Bf16>(Sgd(spec, lr, wd), w, m, nullptr, w_bf16, g0, g1, n);
  else
    run<TwoShards, Bf16>(AdamW(spec, lr, wd, step), w, m, state.second_moment.data() + range.begin,
                         w_bf16, g0, g1, n);
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
// stream, while the row-major gradient is read a run at a time. With a bf16 copy, rows go by pairs.
template <bool Bf16, class Rule>
GREENTRAIN_INLINE void blocked_rows(const Rule& rule, const OptimizerState& state, bool adamw,
                                    const float* gradient, const DenseShape& s, std::size_t first,
                                    std::size_t rows) {
  const std::size_t blocks = s.outputs / s.block_outputs, n = s.block_outputs;
  static const bool avx512bf16 = __builtin_cpu_supports("avx512bf16");
  const bool native = avx512bf16 && n % 32 == 0;
  for (std::size_t b = 0; b < blocks; ++b) {
    for (std::size_t r = first; r < first + rows; r += Bf16 ? 2 : 1) {
      const std::size_t blocked = s.weight_offset + blocked_run(s, r, b);
      const float* g = gradient + (r - first) * s.outputs + b * n;
      float* w = state.parameters.data() + blocked;
      float* m = state.first_moment.data() + blocked;
      float* v = adamw ? state.second_moment.data() + blocked : nullptr;
      if constexpr (Bf16) {
        std::uint16_t* copy = state.parameters_bf16.data() + blocked;
        if constexpr (std::is_same_v<Rule, Sgd>)
          if (native) {
            sgd_pair_avx512bf16(rule, w, m, copy, g, g + s.outputs, n, n);
            continue;
          }
        run_pair(rule, w, m, v, copy, g, g + s.outputs, n, n);
      } else {
        run<false, false>(rule, w, m, v, nullptr, g, g, n);
      }
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
  const bool bf16 = !state.parameters_bf16.empty();
  if (bf16 && (first_row % 2 != 0 || rows % 2 != 0))
    throw std::logic_error("a blocked layer's bf16 copy is updated by pairs of rows");
  auto with = [&](const auto& rule) {
    const bool adamw = spec.kind == OptimizerKind::adamw;
    if (bf16) blocked_rows<true>(rule, state, adamw, gradient, layer, first_row, rows);
    else blocked_rows<false>(rule, state, adamw, gradient, layer, first_row, rows);
  };
  if (spec.kind == OptimizerKind::sgd_momentum) with(Sgd(spec, lr, wd));
  else with(AdamW(spec, lr, wd, step));
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
