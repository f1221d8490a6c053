#pragma once
// The emissions of a job that has not run, from its hardware, load and duration (Green
// Algorithms' use case), with the tracker's own power models: a CPU at a load here draws what a
// tracked run at that load is modelled to draw.
#include <chrono>
#include <optional>
#include <string>

#include "greentrain/intensity/location.hpp"
#include "greentrain/provenance.hpp"
#include "greentrain/units.hpp"

namespace greentrain::scheduling {

struct JobDescription {
  std::string cpu_model;  // as /proc/cpuinfo names it; the TDP table is matched on it
  std::string cpu_microarchitecture;  // CPUID's, said where the name is not in the table
  int threads = 1;        // logical CPUs the job's machine has
  int sockets = 1;
  double cpu_load = 1.0;  // busy share of all threads, 0..1
  double ram_gb = 0;      // installed memory
  std::string gpu_model;  // empty: no GPU
  int gpus = 0;
  double gpu_load = 1.0;
  Seconds duration{3600};
  std::optional<Location> location;  // none: the world average
  std::optional<double> pue;         // none: the location's default (a cloud's published PUE)
};

// One component's modelled power and its band in watts.
struct ModelledPower {
  Watts power{};
  Watts low{}, high{};
  double coverage = 0;  // share of measured points the band held for; 0: not measured
  Provenance provenance;
};

struct JobEstimate {
  ModelledPower cpu;
  double cpu_tdp_w = 0;
  ModelledPower ram;
  std::optional<ModelledPower> gpu;
  double pue = 1.0;
  KilowattHours it_energy{};
  KilowattHours energy{};  // x PUE
  GramsPerKwh intensity{};
  Provenance intensity_provenance;
  GramsCo2e emissions{};
  ResolvedLocation where;
};

// Throws greentrain::error for an unknown location or GPU (naming the known ones) and for loads
// outside 0..1, durations not above 0 or a PUE below 1.
JobEstimate estimate_job(const JobDescription& job);

}  // namespace greentrain::scheduling
