// Data-parallel training over MPI: without MPI initialised the factory refuses, saying why.
#include <greentrain/error.hpp>
#include <greentrain/trainer/mpi_data_parallel.hpp>

#include "uses.hpp"

bool use_mpi() {
  try {
    greentrain::trainer::mpi_data_parallel();
  } catch (const greentrain::error& e) {
    return e.code() == greentrain::errc::invalid_argument;
  }
  return false;
}
