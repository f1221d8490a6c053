#pragma once
// DataParallel over MPI_COMM_WORLD (link greentrain::mpi, built with GREENTRAIN_WITH_MPI). The
// application initialises and finalises MPI; this only uses it.
#include <memory>

#include "greentrain/trainer/data_parallel.hpp"

namespace greentrain::trainer {

// Throws greentrain::error(invalid_argument) when MPI is not initialised.
std::shared_ptr<DataParallel> mpi_data_parallel();

}  // namespace greentrain::trainer
