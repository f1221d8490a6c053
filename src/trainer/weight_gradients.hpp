#pragma once
// The weight and bias gradients of a whole batch, from the activations its shards left in a
// BatchActivations: dW = x^T dz with the whole batch as the inner dimension, split into parts by
// rows of each weight matrix (and columns of each bias) that threads take at once. Each part writes
// its own contiguous ranges of the one gradient array, so there are no per-shard gradients to sum,
// and the optimiser can update a part's ranges while they are still in cache.
#include <cstddef>
#include <memory>
#include <vector>

#include "trainer/optimizer_step.hpp"
#include "trainer/shard_net.hpp"

namespace greentrain::trainer::detail {

class WeightGradients {
 public:
  // Creates the kernels of every part on the calling thread, sized for its OpenMP team.
  WeightGradients(const ParameterLayout& layout, const BatchActivations& activations,
                  Precision precision, float* gradients, std::size_t parts);
  ~WeightGradients();
  WeightGradients(const WeightGradients&) = delete;
  WeightGradients& operator=(const WeightGradients&) = delete;

  std::size_t parts() const;
  // Writes part p's gradients; parts may run at once on different threads.
  void compute(std::size_t part);
  // The parameter ranges part p writes: its rows of each weight matrix, its columns of each bias.
  const std::vector<UpdateRange>& ranges(std::size_t part) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace greentrain::trainer::detail
