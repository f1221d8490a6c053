#include "trainer/weight_gradients.hpp"

#include <algorithm>
#include <dnnl.hpp>
#include <omp.h>
#include <optional>
#include <unordered_map>

#include "trainer/gemm_clock.hpp"

namespace greentrain::trainer::detail {
namespace {

using dt = dnnl::memory::data_type;
using md = dnnl::memory::desc;
using dims = dnnl::memory::dims;

struct Span {
  std::size_t first = 0;
  std::size_t count = 0;
};

// Part p of n of `total` items in whole units (total a multiple of unit), the first parts one unit
// larger.
Span part_of(std::size_t total, std::size_t n, std::size_t p, std::size_t unit = 1) {
  std::size_t base = total / unit / n, extra = total / unit % n;
  return {(p * base + std::min(p, extra)) * unit, (base + (p < extra ? 1 : 0)) * unit};
}

long as_dim(std::size_t n) { return static_cast<long>(n); }

// oneDNN 2.6 runs a part's strided x^T through its plain jit gemm, which is slow for narrow
// outputs (0.25 ms instead of 0.01 ms for 512 x 64 x 10): a narrow layer goes whole to the last
// part, where x^T is dense.
constexpr std::size_t narrow_outputs = 64;

dnnl::engine& cpu_engine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

// One piece of a part: rows of a weight gradient by a matmul, or columns of a bias gradient.
struct Piece {
  UpdateRange range;
  float* out = nullptr;  // where the gradient of `range` is written
  std::optional<dnnl::matmul> weight_grad;
  std::unordered_map<int, dnnl::memory> args;
  const float* dz = nullptr;  // bias pieces: batch x outputs, fp32
  std::size_t outputs = 0;
  std::size_t first_column = 0;
};

struct Part {
  std::vector<float> chunk;  // without a gradient array
  std::vector<Piece> pieces;
  dnnl::stream stream{cpu_engine()};  // one per part: parts run at once
};

}  // namespace

struct WeightGradients::Impl {
  std::size_t batch = 0;
  std::vector<Part> parts;

  void bias_gradient(const Piece& piece) const {
    const std::size_t n = piece.range.end - piece.range.begin;
    const float* dz = piece.dz + piece.first_column;
    float* out = piece.out;
    for (std::size_t c = 0; c < n; ++c) out[c] = 0.0f;
    for (std::size_t r = 0; r < batch; ++r)
      for (std::size_t c = 0; c < n; ++c) out[c] += dz[r * piece.outputs + c];
  }
};

WeightGradients::WeightGradients(const ParameterLayout& layout, const BatchActivations& acts,
                                 Precision precision, float* gradients, std::size_t n,
                                 std::size_t chunk_floats)
    : impl_(std::make_unique<Impl>()) {
  const bool bf16 = precision == Precision::bf16;
  const dt mul = bf16 ? dt::bf16 : dt::f32;
  const std::size_t b = impl_->batch = acts.batch;
  impl_->parts.resize(n);
  std::size_t widest = 0;
  for (const auto& s : layout.layers) widest = std::max(widest, s.outputs);
  for (std::size_t p = 0; p < n; ++p) {
    Part& part = impl_->parts[p];
    if (!gradients) part.chunk.resize(std::max(chunk_floats, 2 * widest));
    auto out_for = [&](std::size_t begin) { return gradients ? gradients + begin : part.chunk.data(); };
    for (std::size_t l = 0; l < layout.layers.size(); ++l) {
      const DenseShape& s = layout.layers[l];
      const bool narrow = s.outputs < narrow_outputs;
      // A blocked layer's bf16 copy is updated by pairs of rows.
      const std::size_t unit = s.blocked() ? 2 : 1;
      Span rows = narrow ? (p + 1 == n ? Span{0, s.inputs} : Span{0, 0})
                         : part_of(s.inputs, n, p, unit);
      // Chunks of even size: a small remainder chunk would run the gemm at a fraction of its rate.
      const std::size_t most = std::max(chunk_floats / s.outputs / unit * unit, unit);
      const std::size_t chunks = gradients || rows.count == 0 ? 1 : (rows.count + most - 1) / most;
      for (std::size_t c = 0; c < chunks && rows.count > 0; ++c) {
        Span chunk = part_of(rows.count, chunks, c, unit);
        const std::size_t first = rows.first + chunk.first, count = chunk.count;
        // Rows [first, first + count) of x^T: columns of the row-major batch x inputs activations.
        const void* x = bf16 ? static_cast<const void*>(acts.inputs_bf16[l].data() + first)
                             : static_cast<const void*>(acts.inputs[l].data() + first);
        const void* dz = bf16 ? static_cast<const void*>(acts.dz_bf16[l].data())
                              : static_cast<const void*>(acts.dz[l].data());
        md xt_md(dims{as_dim(count), as_dim(b)}, mul, dims{1, as_dim(s.inputs)});
        md dz_md(dims{as_dim(b), as_dim(s.outputs)}, mul, dnnl::memory::format_tag::ab);
        md dw_md(dims{as_dim(count), as_dim(s.outputs)}, dt::f32, dnnl::memory::format_tag::ab);
        Piece piece;
        piece.range.begin = s.weight_offset + first * s.outputs;
        piece.range.end = piece.range.begin + count * s.outputs;
        piece.out = out_for(piece.range.begin);
        piece.weight_grad.emplace(
            dnnl::matmul::primitive_desc(dnnl::matmul::desc(xt_md, dz_md, dw_md), cpu_engine()));
        auto wrap = [](const md& d, const void* data) {
          return dnnl::memory(d, cpu_engine(), const_cast<void*>(data));
        };
        piece.args = {{DNNL_ARG_SRC, wrap(xt_md, x)},
                      {DNNL_ARG_WEIGHTS, wrap(dz_md, dz)},
                      {DNNL_ARG_DST, wrap(dw_md, piece.out)}};
        part.pieces.push_back(std::move(piece));
      }
      Span columns = part_of(s.outputs, n, p);
      if (columns.count > 0) {
        Piece bias;
        bias.range = {s.bias_offset + columns.first, s.bias_offset + columns.first + columns.count, false};
        bias.out = out_for(bias.range.begin);
        bias.dz = acts.dz[l].data();
        bias.outputs = s.outputs;
        bias.first_column = columns.first;
        part.pieces.push_back(std::move(bias));
      }
    }
  }
}

WeightGradients::~WeightGradients() = default;

std::size_t WeightGradients::parts() const { return impl_->parts.size(); }

void WeightGradients::compute(std::size_t p, const Consumer& consume) {
  Part& part = impl_->parts[p];
  for (auto& piece : part.pieces) {
    if (piece.weight_grad) {
      GemmClock::time(omp_get_max_threads(), [&] {
        piece.weight_grad->execute(part.stream, piece.args);
        part.stream.wait();
      });
    } else {
      impl_->bias_gradient(piece);
    }
    if (consume) consume(piece.range, piece.out);
  }
}

std::vector<UpdateRange> WeightGradients::ranges(std::size_t p) const {
  std::vector<UpdateRange> out;
  for (const auto& piece : impl_->parts[p].pieces) out.push_back(piece.range);
  return out;
}

}  // namespace greentrain::trainer::detail
