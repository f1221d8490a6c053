// Layout: activations are row-major (batch x width). A dense layer is one matmul, x (b x in) times
// W (in x out) plus bias, or an inner product when its weights are blocked (blocked_weights.hpp),
// with ReLU fused as a post-op. Backward uses transposed *views* (strides, no copies): dW = x^T dz,
// dx = dz W^T, and the bias gradient as ones^T dz, which keeps oneDNN 2.6 off its reference
// bias-reduction kernel.
#include "trainer/shard_net.hpp"

#include <cmath>
#include <algorithm>
#include <dnnl.hpp>
#include <omp.h>
#include <optional>
#include <unordered_map>
#include <vector>

#include "greentrain/error.hpp"
#include "trainer/gemm_clock.hpp"
#include "trainer/rng.hpp"

namespace greentrain::trainer::detail {
namespace {

using dt = dnnl::memory::data_type;
using md = dnnl::memory::desc;
using dims = dnnl::memory::dims;

md plain(std::size_t rows, std::size_t cols, dt type) {
  return md(dims{static_cast<long>(rows), static_cast<long>(cols)}, type, dnnl::memory::format_tag::ab);
}

// A row-major cols x rows matrix seen as its rows x cols transpose.
md transposed(std::size_t rows, std::size_t cols, dt type) {
  return md(dims{static_cast<long>(rows), static_cast<long>(cols)}, type,
            dims{1, static_cast<long>(rows)});
}

dnnl::engine& cpu_engine() {
  static dnnl::engine engine(dnnl::engine::kind::cpu, 0);
  return engine;
}

dnnl::matmul make_matmul(const md& src, const md& weights, const md& dst,
                         const md* bias = nullptr, bool relu = false) {
  dnnl::primitive_attr attr;
  if (relu) {
    dnnl::post_ops ops;
    ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_relu, 0.0f, 0.0f);
    attr.set_post_ops(ops);
  }
  auto desc = bias ? dnnl::matmul::desc(src, weights, *bias, dst)
                   : dnnl::matmul::desc(src, weights, dst);
  return dnnl::matmul(dnnl::matmul::primitive_desc(desc, attr, cpu_engine()));
}

// The forward inner product of a layer whose weights are blocked, in the layout
// choose_blocked_weights found for x's type (oneDNN picks the same one for every batch size).
dnnl::inner_product_forward::primitive_desc blocked_inner_product(const DenseShape& s, const md& x,
                                                                  const md& out, bool relu) {
  dnnl::primitive_attr attr;
  if (relu) {
    dnnl::post_ops ops;
    ops.append_eltwise(1.0f, dnnl::algorithm::eltwise_relu, 0.0f, 0.0f);
    attr.set_post_ops(ops);
  }
  const auto in = static_cast<long>(s.inputs), outputs = static_cast<long>(s.outputs);
  const dt type = x.data_type();
  dnnl::inner_product_forward::desc desc(dnnl::prop_kind::forward_training, x,
                                         md(dims{outputs, in}, type, dnnl::memory::format_tag::any),
                                         md(dims{outputs}, dt::f32, dnnl::memory::format_tag::a), out);
  dnnl::inner_product_forward::primitive_desc pd(desc, attr, cpu_engine());
  const auto& blocking = pd.weights_desc().data.format_desc.blocking;
  const bool pairs = type == dt::bf16;  // OI<bi/2>i<bo>o2i
  if (blocking.inner_nblks != (pairs ? 3 : 2) ||
      blocking.inner_blks[0] != static_cast<long>(s.block_inputs / (pairs ? 2 : 1)) ||
      blocking.inner_blks[1] != static_cast<long>(s.block_outputs))
    throw error(errc::unsupported, "oneDNN chose another blocked weights layout for this batch size");
  return pd;
}

template <class T>
dnnl::memory wrap(const md& desc, T* data) {
  return dnnl::memory(desc, cpu_engine(), const_cast<void*>(static_cast<const void*>(data)));
}

// Rows [first, first + rows) of a batch-wide buffer when there is one, else storage of its own.
template <class T>
T* rows_of(std::vector<T>* batch_wide, std::size_t first, std::size_t rows, std::size_t width,
           std::vector<T>& own) {
  if (batch_wide) return batch_wide->data() + first * width;
  own.resize(rows * width);
  return own.data();
}

struct Layer {
  DenseShape shape;
  // Forward
  std::vector<float> z;        // pre-activation (GELU backward reads it); the output for ReLU
  float* a = nullptr;          // post-activation and dropout: the next layer's input
  std::vector<float> own_a;
  std::vector<float> keep;     // dropout scale per unit: 0 or 1/(1-p)
  dnnl::primitive forward;  // a matmul, or an inner product on blocked weights
  std::unordered_map<int, dnnl::memory> forward_args;
  std::optional<dnnl::eltwise_forward> gelu_forward;
  std::unordered_map<int, dnnl::memory> gelu_forward_args;
  // Backward
  float* dz = nullptr;         // gradient at the pre-activation
  std::vector<float> own_dz;
  std::vector<float> da;       // gradient at the output (hidden layers)
  std::optional<dnnl::eltwise_backward> activation_backward;
  std::unordered_map<int, dnnl::memory> activation_backward_args;
  std::optional<dnnl::matmul> weight_grad, bias_grad;  // not with batch-wide activations
  std::unordered_map<int, dnnl::memory> weight_grad_args, bias_grad_args;
  std::optional<dnnl::primitive> input_grad;  // not for the first layer
  std::unordered_map<int, dnnl::memory> input_grad_args;
  // bf16 copies of the matmul operands
  std::uint16_t* input_bf16 = nullptr;
  std::uint16_t* dz_bf16 = nullptr;
  std::vector<std::uint16_t> own_input_bf16, own_dz_bf16;
  std::optional<dnnl::reorder> input_to_bf16, dz_to_bf16;
  std::unordered_map<int, dnnl::memory> input_to_bf16_args, dz_to_bf16_args;
};

}  // namespace

struct ShardNet::Impl {
  std::size_t batch;
  bool bf16;
  bool training;
  ShardBuffers buffers;
  dnnl::stream stream{cpu_engine()};
  float* input = nullptr;
  std::vector<float> own_input;
  std::vector<std::int32_t> labels;
  std::vector<float> log_probabilities;
  std::vector<float> ones;
  std::vector<std::uint16_t> ones_bf16;
  std::vector<Layer> layers;
  bool dropout_applied = false;  // by the last forward: backward masks the same units
  dnnl::logsoftmax_forward log_softmax;
  std::unordered_map<int, dnnl::memory> log_softmax_args;

  Impl(const ParameterLayout& layout, std::size_t b, Precision precision, ShardBuffers bufs)
      : batch(b), bf16(precision == Precision::bf16),
        training(bufs.gradients != nullptr || bufs.batch != nullptr), buffers(bufs), labels(b),
        ones(b, 1.0f), ones_bf16(b, 0x3f80) {
    const dt mul = bf16 ? dt::bf16 : dt::f32;
    BatchActivations* wide = buffers.batch;
    const std::size_t first = buffers.first_row;
    input = rows_of(wide ? &wide->inputs[0] : nullptr, first, b, layout.layers.front().inputs, own_input);
    layers.resize(layout.layers.size());
    for (std::size_t l = 0; l < layers.size(); ++l) {
      Layer& layer = layers[l];
      const DenseShape& s = layer.shape = layout.layers[l];
      bool fused_relu = s.hidden && s.activation == Activation::relu;
      if (!fused_relu) layer.z.resize(b * s.outputs);
      if (s.hidden)
        layer.a = rows_of(wide ? &wide->inputs[l + 1] : nullptr, first, b, s.outputs, layer.own_a);
      if (s.hidden && s.dropout > 0.0f && training) layer.keep.resize(b * s.outputs);
      float* x = l == 0 ? input : layers[l - 1].a;
      // ReLU writes straight into `a`; GELU goes z -> a through an eltwise primitive.
      float* dst = fused_relu ? layer.a : layer.z.data();
      auto x_md = plain(b, s.inputs, dt::f32);
      auto w_md = plain(s.inputs, s.outputs, mul);
      auto bias_md = plain(1, s.outputs, dt::f32);
      auto out_md = plain(b, s.outputs, dt::f32);
      const void* x_mul = x;
      const void* w_mul = bf16 ? static_cast<const void*>(buffers.parameters_bf16 + s.weight_offset)
                               : static_cast<const void*>(buffers.parameters + s.weight_offset);
      if (bf16) {
        layer.input_bf16 = rows_of(wide ? &wide->inputs_bf16[l] : nullptr, first, b, s.inputs,
                                   layer.own_input_bf16);
        auto to_md = plain(b, s.inputs, dt::bf16);
        layer.input_to_bf16.emplace(wrap(x_md, x), wrap(to_md, layer.input_bf16));
        layer.input_to_bf16_args = {{DNNL_ARG_FROM, wrap(x_md, x)},
                                    {DNNL_ARG_TO, wrap(to_md, layer.input_bf16)}};
        x_mul = layer.input_bf16;
      }
      auto x_mul_md = plain(b, s.inputs, mul);
      // Blocked weights: inner products, whose forward and data-gradient kernels share the layout.
      std::optional<dnnl::inner_product_forward::primitive_desc> blocked_forward;
      if (s.blocked()) {
        blocked_forward = blocked_inner_product(s, x_mul_md, out_md, fused_relu);
        auto blocked_md = blocked_forward->weights_desc();
        layer.forward = dnnl::inner_product_forward(*blocked_forward);
        layer.forward_args = {
            {DNNL_ARG_SRC, wrap(x_mul_md, x_mul)},
            {DNNL_ARG_WEIGHTS, wrap(blocked_md, w_mul)},
            {DNNL_ARG_BIAS, wrap(blocked_forward->bias_desc(), buffers.parameters + s.bias_offset)},
            {DNNL_ARG_DST, wrap(out_md, dst)}};
      } else {
        layer.forward = make_matmul(x_mul_md, w_md, out_md, &bias_md, fused_relu);
        layer.forward_args = {{DNNL_ARG_SRC, wrap(x_mul_md, x_mul)},
                              {DNNL_ARG_WEIGHTS, wrap(w_md, w_mul)},
                              {DNNL_ARG_BIAS, wrap(bias_md, buffers.parameters + s.bias_offset)},
                              {DNNL_ARG_DST, wrap(out_md, dst)}};
      }
      if (s.hidden && s.activation == Activation::gelu) {
        dnnl::eltwise_forward::desc d(dnnl::prop_kind::forward_training,
                                      dnnl::algorithm::eltwise_gelu_erf, out_md, 0.0f, 0.0f);
        dnnl::eltwise_forward::primitive_desc pd(d, cpu_engine());
        layer.gelu_forward.emplace(pd);
        layer.gelu_forward_args = {{DNNL_ARG_SRC, wrap(out_md, layer.z.data())},
                                   {DNNL_ARG_DST, wrap(out_md, layer.a)}};
        if (training) {
          dnnl::eltwise_backward::desc bd(dnnl::algorithm::eltwise_gelu_erf, out_md, out_md, 0.0f, 0.0f);
          layer.activation_backward.emplace(dnnl::eltwise_backward::primitive_desc(bd, cpu_engine(), pd));
        }
      } else if (fused_relu && training) {
        auto algo = dnnl::algorithm::eltwise_relu_use_dst_for_bwd;
        dnnl::eltwise_forward::desc d(dnnl::prop_kind::forward_training, algo, out_md, 0.0f, 0.0f);
        dnnl::eltwise_forward::primitive_desc hint(d, cpu_engine());
        dnnl::eltwise_backward::desc bd(algo, out_md, out_md, 0.0f, 0.0f);
        layer.activation_backward.emplace(dnnl::eltwise_backward::primitive_desc(bd, cpu_engine(), hint));
      }
      if (!training) continue;
      layer.dz = rows_of(wide ? &wide->dz[l] : nullptr, first, b, s.outputs, layer.own_dz);
      if (s.hidden) layer.da.resize(b * s.outputs);
      if (layer.activation_backward) {
        bool gelu = s.activation == Activation::gelu;
        layer.activation_backward_args = {
            {gelu ? DNNL_ARG_SRC : DNNL_ARG_DST, wrap(out_md, gelu ? layer.z.data() : layer.a)},
            {DNNL_ARG_DIFF_DST, wrap(out_md, layer.da.data())},
            {DNNL_ARG_DIFF_SRC, wrap(out_md, layer.dz)}};
      }
      const void* dz_mul = layer.dz;
      if (bf16) {
        layer.dz_bf16 = rows_of(wide ? &wide->dz_bf16[l] : nullptr, first, b, s.outputs,
                                layer.own_dz_bf16);
        auto to_md = plain(b, s.outputs, dt::bf16);
        layer.dz_to_bf16.emplace(wrap(out_md, layer.dz), wrap(to_md, layer.dz_bf16));
        layer.dz_to_bf16_args = {{DNNL_ARG_FROM, wrap(out_md, layer.dz)},
                                 {DNNL_ARG_TO, wrap(to_md, layer.dz_bf16)}};
        dz_mul = layer.dz_bf16;
      }
      auto dz_md = plain(b, s.outputs, mul);
      if (buffers.gradients) {
        auto xt_md = transposed(s.inputs, b, mul);
        auto dw_md = plain(s.inputs, s.outputs, dt::f32);
        layer.weight_grad = make_matmul(xt_md, dz_md, dw_md);
        layer.weight_grad_args = {{DNNL_ARG_SRC, wrap(xt_md, x_mul)},
                                  {DNNL_ARG_WEIGHTS, wrap(dz_md, dz_mul)},
                                  {DNNL_ARG_DST, wrap(dw_md, buffers.gradients + s.weight_offset)}};
        auto ones_md = plain(1, b, mul);
        layer.bias_grad = make_matmul(ones_md, dz_md, bias_md);
        layer.bias_grad_args = {
            {DNNL_ARG_SRC, bf16 ? wrap(ones_md, ones_bf16.data()) : wrap(ones_md, ones.data())},
            {DNNL_ARG_WEIGHTS, wrap(dz_md, dz_mul)},
            {DNNL_ARG_DST, wrap(bias_md, buffers.gradients + s.bias_offset)}};
      }
      if (l > 0 && blocked_forward) {
        auto dx_md = plain(b, s.inputs, dt::f32);
        auto blocked_md = blocked_forward->weights_desc();
        dnnl::inner_product_backward_data::desc desc(dx_md, blocked_md, dz_md);
        layer.input_grad = dnnl::inner_product_backward_data(
            dnnl::inner_product_backward_data::primitive_desc(desc, cpu_engine(), *blocked_forward));
        layer.input_grad_args = {{DNNL_ARG_DIFF_DST, wrap(dz_md, dz_mul)},
                                 {DNNL_ARG_WEIGHTS, wrap(blocked_md, w_mul)},
                                 {DNNL_ARG_DIFF_SRC, wrap(dx_md, layers[l - 1].da.data())}};
      } else if (l > 0) {
        auto wt_md = transposed(s.outputs, s.inputs, mul);
        auto dx_md = plain(b, s.inputs, dt::f32);
        layer.input_grad = make_matmul(dz_md, wt_md, dx_md);
        layer.input_grad_args = {{DNNL_ARG_SRC, wrap(dz_md, dz_mul)},
                                 {DNNL_ARG_WEIGHTS, wrap(wt_md, w_mul)},
                                 {DNNL_ARG_DST, wrap(dx_md, layers[l - 1].da.data())}};
      }
    }
    const DenseShape& top = layers.back().shape;
    auto logits_md = plain(b, top.outputs, dt::f32);
    log_probabilities.resize(b * top.outputs);
    dnnl::logsoftmax_forward::desc d(dnnl::prop_kind::forward_training, logits_md, 1);
    log_softmax = dnnl::logsoftmax_forward(dnnl::logsoftmax_forward::primitive_desc(d, cpu_engine()));
    log_softmax_args = {{DNNL_ARG_SRC, wrap(logits_md, layers.back().z.data())},
                        {DNNL_ARG_DST, wrap(logits_md, log_probabilities.data())}};
  }

  void gemm(dnnl::primitive& kernel, const std::unordered_map<int, dnnl::memory>& args) {
    GemmClock::time(omp_get_max_threads(), [&] { kernel.execute(stream, args); });
  }

  void apply_dropout(std::size_t l, Layer& layer, const DropoutDraw& draw) {
    const float p = layer.shape.dropout;
    const float scale = 1.0f / (1.0f - p);
    const std::size_t width = layer.shape.outputs;
    std::uint64_t seed = draw.seed ^ mix(draw.step);
    for (std::size_t r = 0; r < batch; ++r) {
      std::uint64_t sample = draw.first_sample + r;
      for (std::size_t j = 0; j < width; ++j) {
        std::size_t i = r * width + j;
        bool dropped = uniform01(random_bits(seed, dropout_stream + 16 * l, sample * width + j)) < p;
        layer.keep[i] = dropped ? 0.0f : scale;
        layer.a[i] *= layer.keep[i];
      }
    }
  }

  ShardResult forward(bool train, const DropoutDraw& draw) {
    dropout_applied = train;
    for (std::size_t l = 0; l < layers.size(); ++l) {
      Layer& layer = layers[l];
      if (layer.input_to_bf16) layer.input_to_bf16->execute(stream, layer.input_to_bf16_args);
      gemm(layer.forward, layer.forward_args);
      if (layer.gelu_forward) layer.gelu_forward->execute(stream, layer.gelu_forward_args);
      if (train && !layer.keep.empty()) apply_dropout(l, layer, draw);
    }
    log_softmax.execute(stream, log_softmax_args);
    stream.wait();
    const std::size_t classes = layers.back().shape.outputs;
    ShardResult result;
    for (std::size_t r = 0; r < batch; ++r) {
      const float* row = log_probabilities.data() + r * classes;
      result.loss_sum -= row[labels[r]];
      auto best = static_cast<std::int32_t>(std::max_element(row, row + classes) - row);
      if (best == labels[r]) ++result.correct;
    }
    return result;
  }

  void backward(float loss_scale) {
    Layer& top = layers.back();
    const std::size_t classes = top.shape.outputs;
    for (std::size_t r = 0; r < batch; ++r) {
      for (std::size_t c = 0; c < classes; ++c) {
        std::size_t i = r * classes + c;
        float target = static_cast<std::int32_t>(c) == labels[r] ? 1.0f : 0.0f;
        top.dz[i] = (std::exp(log_probabilities[i]) - target) * loss_scale;
      }
    }
    for (std::size_t l = layers.size(); l-- > 0;) {
      Layer& layer = layers[l];
      if (layer.shape.hidden) {
        if (dropout_applied && !layer.keep.empty())
          for (std::size_t i = 0; i < layer.da.size(); ++i) layer.da[i] *= layer.keep[i];
        layer.activation_backward->execute(stream, layer.activation_backward_args);
      }
      if (layer.dz_to_bf16) layer.dz_to_bf16->execute(stream, layer.dz_to_bf16_args);
      if (layer.weight_grad) gemm(*layer.weight_grad, layer.weight_grad_args);
      if (layer.bias_grad) gemm(*layer.bias_grad, layer.bias_grad_args);
      if (layer.input_grad) gemm(*layer.input_grad, layer.input_grad_args);
    }
    stream.wait();
  }
};

BatchActivations::BatchActivations(const ParameterLayout& layout, std::size_t rows,
                                   Precision precision)
    : batch(rows) {
  const bool bf16 = precision == Precision::bf16;
  for (const auto& s : layout.layers) {
    inputs.emplace_back(rows * s.inputs);
    dz.emplace_back(rows * s.outputs);
    inputs_bf16.emplace_back(bf16 ? rows * s.inputs : 0);
    dz_bf16.emplace_back(bf16 ? rows * s.outputs : 0);
  }
}

ShardNet::ShardNet(const ParameterLayout& layout, std::size_t batch, Precision precision,
                   ShardBuffers buffers)
    : impl_(std::make_unique<Impl>(layout, batch, precision, buffers)) {}
ShardNet::~ShardNet() = default;
std::size_t ShardNet::batch() const { return impl_->batch; }
float* ShardNet::input() { return impl_->input; }
std::int32_t* ShardNet::labels() { return impl_->labels.data(); }
const float* ShardNet::logits() const { return impl_->layers.back().z.data(); }
ShardResult ShardNet::forward(bool training, const DropoutDraw& draw) {
  return impl_->forward(training && impl_->training, draw);
}
void ShardNet::backward(float loss_scale) { impl_->backward(loss_scale); }

}  // namespace greentrain::trainer::detail
