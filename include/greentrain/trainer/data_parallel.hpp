#pragma once
// Data-parallel training across processes: each rank trains on its slice of every global batch and
// the gradients are summed across ranks before the update. No MPI types here: the MPI component
// (greentrain::mpi, mpi_data_parallel.hpp) implements it with MPI_Allreduce.
#include <span>

namespace greentrain::trainer {

class DataParallel {
 public:
  virtual ~DataParallel() = default;
  virtual int rank() const = 0;
  virtual int size() const = 0;
  // Element-wise sums across all ranks, in place.
  virtual void sum(std::span<float> values) = 0;
  virtual void sum(std::span<double> values) = 0;
  // One rank per host reads the host's energy, so ranks sharing a machine do not each count it.
  virtual bool reads_host_energy() const = 0;
  // Element-wise sums of every rank's values, in place on rank 0 (the other ranks keep theirs).
  virtual void sum_to_root(std::span<double> values) = 0;
  double sum_to_root(double value) {
    sum_to_root(std::span<double>(&value, 1));
    return value;
  }
  // Rank 0 writes checkpoints and outputs.
  bool writes_outputs() const { return rank() == 0; }
};

}  // namespace greentrain::trainer
