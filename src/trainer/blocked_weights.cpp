#include "trainer/blocked_weights.hpp"

#include <algorithm>
#include <dnnl.hpp>
#include <tuple>
#include <vector>

#include "trainer/bf16.hpp"

namespace greentrain::trainer::detail {
namespace {

using md = dnnl::memory::desc;
using dt = dnnl::memory::data_type;
using tag = dnnl::memory::format_tag;

// The weights layout oneDNN's inner product picks for this shape and type (the same for every
// batch size), when it is OI<bi>i<bo>o (fp32) or OI<bi/2>i<bo>o2i (bf16) without padding:
// {bi, bo}; else {0, 0}.
std::pair<std::size_t, std::size_t> inner_product_blocks(const DenseShape& s, dt type) {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  const auto in = static_cast<long>(s.inputs), out = static_cast<long>(s.outputs);
  dnnl::inner_product_forward::desc desc(
      dnnl::prop_kind::forward_training, md({1, in}, type, tag::ab), md({out, in}, type, tag::any),
      md({out}, dt::f32, tag::a), md({1, out}, dt::f32, tag::ab));
  const dnnl_memory_desc_t chosen =
      dnnl::inner_product_forward::primitive_desc(desc, engine).weights_desc().data;
  const auto& blocking = chosen.format_desc.blocking;
  const bool pairs = type == dt::bf16;
  if (chosen.format_kind != dnnl_blocked || blocking.inner_nblks != (pairs ? 3 : 2) ||
      blocking.inner_idxs[0] != 1 || blocking.inner_idxs[1] != 0 ||
      (pairs && (blocking.inner_idxs[2] != 1 || blocking.inner_blks[2] != 2)))
    return {0, 0};
  const auto bi = static_cast<std::size_t>(blocking.inner_blks[0]) * (pairs ? 2 : 1);
  const auto bo = static_cast<std::size_t>(blocking.inner_blks[1]);
  // Outer dimensions: output blocks outermost, then input blocks, densely.
  if (s.inputs % bi != 0 || s.outputs % bo != 0 ||
      blocking.strides[0] != static_cast<long>(s.inputs * bo) ||
      blocking.strides[1] != static_cast<long>(bi * bo))
    return {0, 0};
  return {bi, bo};
}

template <bool ToBlocked>
void convert(const ParameterLayout& layout, std::span<float> values) {
  if (values.empty()) return;  // an optimiser's unused moment
  std::vector<float> copy;
  for (const auto& s : layout.layers) {
    if (!s.blocked()) continue;
    float* weights = values.data() + s.weight_offset;
    copy.assign(weights, weights + s.inputs * s.outputs);
    for_each_run(s, 0, s.inputs, [&](std::size_t row_major, std::size_t blocked, std::size_t n) {
      if constexpr (ToBlocked) std::copy_n(copy.data() + row_major, n, weights + blocked);
      else std::copy_n(copy.data() + blocked, n, weights + row_major);
    });
  }
}

}  // namespace

void choose_blocked_weights(ParameterLayout& layout, bool with_bf16_copy) {
  for (auto& s : layout.layers) {
    auto blocks = inner_product_blocks(s, dt::f32);
    if (with_bf16_copy && inner_product_blocks(s, dt::bf16) != blocks) blocks = {0, 0};
    std::tie(s.block_inputs, s.block_outputs) = blocks;
  }
}

void to_blocked(const ParameterLayout& layout, std::span<float> values) { convert<true>(layout, values); }
void to_row_major(const ParameterLayout& layout, std::span<float> values) { convert<false>(layout, values); }

void to_bf16_copy(const ParameterLayout& layout, std::span<const float> parameters,
                  std::span<std::uint16_t> copy) {
  for (std::size_t i = 0; i < parameters.size(); ++i) copy[i] = to_bf16(parameters[i]);
  for (const auto& s : layout.layers) {
    if (!s.blocked()) continue;
    const float* weights = parameters.data() + s.weight_offset;
    for (std::size_t row = 0; row < s.inputs; row += 2)
      for (std::size_t b = 0; b < s.outputs / s.block_outputs; ++b) {
        const std::size_t at = blocked_run(s, row, b);
        to_bf16_pairs(weights + at, weights + at + s.block_outputs,
                      copy.data() + s.weight_offset + at, s.block_outputs);
      }
  }
}

}  // namespace greentrain::trainer::detail
