#include "trainer/weight_gradients.hpp"

#include <algorithm>
#include <dnnl.hpp>
#include <optional>
#include <unordered_map>

namespace greentrain::trainer::detail {
namespace {

using dt = dnnl::memory::data_type;
using md = dnnl::memory::desc;
using dims = dnnl::memory::dims;

struct Span {
  std::size_t first = 0;
  std::size_t count = 0;
};

// Part p of n of `total` items, the first total % n parts one larger.
Span part_of(std::size_t total, std::size_t n, std::size_t p) {
  std::size_t base = total / n, extra = total % n;
  return {p * base + std::min(p, extra), base + (p < extra ? 1 : 0)};
}

long as_dim(std::size_t n) { return static_cast<long>(n); }

constexpr std::size_t narrow_outputs = 64;

dnnl::engine& cpu_engine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

// One layer's share of a part: rows of dW by a matmul, columns of the bias gradient by a loop.
struct LayerPart {
  std::optional<dnnl::matmul> weight_grad;
  std::unordered_map<int, dnnl::memory> args;
  const float* dz = nullptr;  // batch x outputs, fp32
  std::size_t outputs = 0;
  Span bias_columns;
  float* bias_gradient = nullptr;
};

}  // namespace

struct WeightGradients::Impl {
  std::size_t batch = 0;
  std::vector<dnnl::stream> streams;  // one per part: parts run at once
  std::vector<std::vector<LayerPart>> parts;  // [part][layer]
  std::vector<std::vector<UpdateRange>> ranges;

  void bias_gradient(const LayerPart& l) const {
    float* out = l.bias_gradient + l.bias_columns.first;
    const float* dz = l.dz + l.bias_columns.first;
    for (std::size_t c = 0; c < l.bias_columns.count; ++c) out[c] = 0.0f;
    for (std::size_t r = 0; r < batch; ++r)
      for (std::size_t c = 0; c < l.bias_columns.count; ++c) out[c] += dz[r * l.outputs + c];
  }
};

WeightGradients::WeightGradients(const ParameterLayout& layout, const BatchActivations& acts,
                                 Precision precision, float* gradients, std::size_t n)
    : impl_(std::make_unique<Impl>()) {
  const bool bf16 = precision == Precision::bf16;
  const dt mul = bf16 ? dt::bf16 : dt::f32;
  const std::size_t b = impl_->batch = acts.batch;
  impl_->parts.resize(n);
  for (std::size_t p = 0; p < n; ++p) impl_->streams.emplace_back(cpu_engine());
  impl_->ranges.resize(n);
  for (std::size_t p = 0; p < n; ++p) {
    for (std::size_t l = 0; l < layout.layers.size(); ++l) {
      const DenseShape& s = layout.layers[l];
      LayerPart part;
      part.dz = acts.dz[l].data();
      part.outputs = s.outputs;
      part.bias_columns = part_of(s.outputs, n, p);
      part.bias_gradient = gradients + s.bias_offset;
      // oneDNN 2.6 runs a part's strided x^T through its plain jit gemm, which is slow for narrow
      // outputs (0.25 ms instead of 0.01 ms for 512 x 64 x 10): a narrow layer goes whole to the
      // last part, where x^T is dense.
      const bool narrow = s.outputs < narrow_outputs;
      Span rows = narrow ? (p + 1 == n ? Span{0, s.inputs} : Span{0, 0}) : part_of(s.inputs, n, p);
      if (rows.count > 0) {
        // Rows [first, first + count) of x^T: columns of the row-major batch x inputs activations.
        const void* x = bf16 ? static_cast<const void*>(acts.inputs_bf16[l].data() + rows.first)
                             : static_cast<const void*>(acts.inputs[l].data() + rows.first);
        const void* dz = bf16 ? static_cast<const void*>(acts.dz_bf16[l].data())
                              : static_cast<const void*>(acts.dz[l].data());
        md xt_md(dims{as_dim(rows.count), as_dim(b)}, mul, dims{1, as_dim(s.inputs)});
        md dz_md(dims{as_dim(b), as_dim(s.outputs)}, mul, dnnl::memory::format_tag::ab);
        md dw_md(dims{as_dim(rows.count), as_dim(s.outputs)}, dt::f32, dnnl::memory::format_tag::ab);
        float* dw = gradients + s.weight_offset + rows.first * s.outputs;
        part.weight_grad.emplace(dnnl::matmul::primitive_desc(
            dnnl::matmul::desc(xt_md, dz_md, dw_md), cpu_engine()));
        auto wrap = [](const md& d, const void* data) {
          return dnnl::memory(d, cpu_engine(), const_cast<void*>(data));
        };
        part.args = {{DNNL_ARG_SRC, wrap(xt_md, x)},
                     {DNNL_ARG_WEIGHTS, wrap(dz_md, dz)},
                     {DNNL_ARG_DST, wrap(dw_md, dw)}};
        std::size_t begin = s.weight_offset + rows.first * s.outputs;
        impl_->ranges[p].push_back({begin, begin + rows.count * s.outputs, true});
      }
      if (part.bias_columns.count > 0) {
        std::size_t begin = s.bias_offset + part.bias_columns.first;
        impl_->ranges[p].push_back({begin, begin + part.bias_columns.count, false});
      }
      impl_->parts[p].push_back(std::move(part));
    }
  }
}

WeightGradients::~WeightGradients() = default;

std::size_t WeightGradients::parts() const { return impl_->parts.size(); }

void WeightGradients::compute(std::size_t p) {
  for (auto& layer : impl_->parts[p]) {
    if (layer.weight_grad) layer.weight_grad->execute(impl_->streams[p], layer.args);
    impl_->bias_gradient(layer);
  }
  impl_->streams[p].wait();
}

const std::vector<UpdateRange>& WeightGradients::ranges(std::size_t p) const { return impl_->ranges[p]; }

}  // namespace greentrain::trainer::detail
