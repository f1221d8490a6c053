#pragma once
// The weight and bias gradients of a whole batch, from the activations its shards left in a
// BatchActivations: dW = x^T dz with the whole batch as the inner dimension, split into parts by
// rows of each weight matrix (and columns of each bias) that threads take at once, so there are no
// per-shard gradients to sum. Without a gradient array each part writes its rows a chunk at a
// time to a small buffer of its own that stays in cache, and hands each chunk to the optimiser:
// the gradients never travel to memory.
#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include "trainer/optimizer_step.hpp"
#include "trainer/shard_net.hpp"

namespace greentrain::trainer::detail {

class WeightGradients {
 public:
  // The gradients of `range`, gradient[0] being the range's first; valid during the call only.
  using Consumer = std::function<void(UpdateRange range, const float* gradient)>;

  // gradients: the whole batch's gradient array (same layout as the parameters), or null for
  // per-part chunk buffers. Creates the kernels on the calling thread, sized for its OpenMP team.
  // chunk_floats: the most gradient values a chunk holds, about a core's L2: smaller chunks mean
  // more GEMM calls, each packing all of dz again (at batch 64, 128 Ki floats ran 5-10 % slower).
  WeightGradients(const ParameterLayout& layout, const BatchActivations& activations,
                  Precision precision, float* gradients, std::size_t parts,
                  std::size_t chunk_floats = 256 * 1024);
  ~WeightGradients();
  WeightGradients(const WeightGradients&) = delete;
  WeightGradients& operator=(const WeightGradients&) = delete;

  std::size_t parts() const;
  // Computes part p's gradients, piece by piece, passing each to `consume` (which may be empty when
  // there is a gradient array). Parts may run at once on different threads.
  void compute(std::size_t part, const Consumer& consume = {});
  // The parameter ranges part p covers: its rows of each weight matrix, its columns of each bias.
  std::vector<UpdateRange> ranges(std::size_t part) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace greentrain::trainer::detail
