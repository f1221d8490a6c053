#include "greentrain/trainer/mpi_data_parallel.hpp"

#include <mpi.h>

#include "greentrain/error.hpp"

namespace greentrain::trainer {
namespace {

class MpiDataParallel : public DataParallel {
 public:
  MpiDataParallel() {
    MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
    MPI_Comm_size(MPI_COMM_WORLD, &size_);
    // Ranks that share memory share a host: the lowest of them reads its energy.
    MPI_Comm host;
    MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &host);
    int host_rank = 0;
    MPI_Comm_rank(host, &host_rank);
    MPI_Comm_free(&host);
    reads_host_energy_ = host_rank == 0;
  }
  int rank() const override { return rank_; }
  int size() const override { return size_; }
  void sum(std::span<float> values) override {
    MPI_Allreduce(MPI_IN_PLACE, values.data(), static_cast<int>(values.size()), MPI_FLOAT, MPI_SUM,
                  MPI_COMM_WORLD);
  }
  void sum(std::span<double> values) override {
    MPI_Allreduce(MPI_IN_PLACE, values.data(), static_cast<int>(values.size()), MPI_DOUBLE, MPI_SUM,
                  MPI_COMM_WORLD);
  }
  bool reads_host_energy() const override { return reads_host_energy_; }
  void sum_to_root(std::span<double> values) override {
    const int count = static_cast<int>(values.size());
    if (rank_ == 0)
      MPI_Reduce(MPI_IN_PLACE, values.data(), count, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
    else
      MPI_Reduce(values.data(), nullptr, count, MPI_DOUBLE, MPI_SUM, 0, MPI_COMM_WORLD);
  }

 private:
  int rank_ = 0;
  int size_ = 1;
  bool reads_host_energy_ = true;
};

}  // namespace

std::shared_ptr<DataParallel> mpi_data_parallel() {
  int initialised = 0;
  MPI_Initialized(&initialised);
  if (!initialised)
    throw error(errc::invalid_argument, "MPI is not initialised: call MPI_Init before mpi_data_parallel()");
  return std::make_shared<MpiDataParallel>();
}

}  // namespace greentrain::trainer
