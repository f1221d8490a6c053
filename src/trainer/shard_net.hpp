#pragma once
// The network's oneDNN kernels and activation buffers for one fixed batch size: forward, softmax
// cross-entropy and backward for one shard of a mini-batch. Primitives are created once here and
// reused for every batch. The shard reads the trainer's shared parameters and writes its own
// gradient buffer (overwritten on each backward).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "greentrain/trainer/precision.hpp"
#include "trainer/parameter_layout.hpp"

namespace greentrain::trainer::detail {

// The activations of a whole batch, per layer, row-major (a row per sample): a shard's rows are
// one block of each, so the weight gradients can be taken once over the batch (weight_gradients.hpp).
struct BatchActivations {
  std::size_t batch = 0;
  std::vector<std::vector<float>> inputs;  // layer l's input, batch x inputs (the input for l = 0)
  std::vector<std::vector<float>> dz;      // gradient at layer l's pre-activation, batch x outputs
  std::vector<std::vector<std::uint16_t>> inputs_bf16, dz_bf16;  // bf16 copies, bf16 only

  BatchActivations(const ParameterLayout& layout, std::size_t batch, Precision precision);
};

struct ShardBuffers {
  const float* parameters = nullptr;
  // bf16 only: the same places, blocked layers in their bf16 layout (blocked_weights.hpp).
  const std::uint16_t* parameters_bf16 = nullptr;
  // Same layout, written by backward; null when not training or when `batch` is set.
  float* gradients = nullptr;
  // When set: the shard trains, keeping its activations in rows [first_row, first_row + its batch)
  // of these, and backward stops at the data gradients (no weight or bias gradients).
  BatchActivations* batch = nullptr;
  std::size_t first_row = 0;
};

// Which dropout units fall: a function of (seed, step, first sample index) only.
struct DropoutDraw {
  std::uint64_t seed = 0;
  std::uint64_t step = 0;
  std::uint64_t first_sample = 0;
};

struct ShardResult {
  double loss_sum = 0.0;  // cross-entropy summed over the shard's samples
  std::size_t correct = 0;
};

class ShardNet {
 public:
  ShardNet(const ParameterLayout& layout, std::size_t batch, Precision precision,
           ShardBuffers buffers);
  ~ShardNet();
  ShardNet(const ShardNet&) = delete;
  ShardNet& operator=(const ShardNet&) = delete;

  std::size_t batch() const;
  float* input();            // batch x inputs, filled by the caller
  std::int32_t* labels();    // batch
  const float* logits() const;

  // training: apply dropout (and keep what backward needs).
  ShardResult forward(bool training, const DropoutDraw& draw = {});
  // Gradients of loss_sum * loss_scale, after a training forward: into ShardBuffers::gradients, or
  // only as far as each layer's dz with ShardBuffers::batch.
  void backward(float loss_scale);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace greentrain::trainer::detail
