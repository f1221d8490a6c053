#pragma once
// The CPU model's calibration: measured package power of real CPUs under load steps (CodeCarbon's
// load profiles, data/hardware/cpu-load-rapl), the fit of the load curve to them and its
// leave-one-CPU-out validation. The benchmark model_accuracy prints it; a test checks that the
// shipped constants are what the data give.
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "greentrain/sensors/cpu_model.hpp"

namespace greentrain::sensors::calibration {

struct LoadStep {
  std::string cpu;   // the profile's cpu_name
  double tdp_w = 0;  // from the embedded TDP table
  int threads = 0;   // the most cores_used of its file: the CPU's hardware threads
  double load = 0;   // busy share of all hardware threads, 0..1
  double watts = 0;  // measured: rapl_energy (kWh) x 3.6e6 / duration (s)
};

// One profile file. The rapl_power column belongs to the row before, so power is the step's own
// energy over its own duration. Throws greentrain::error for a file that is not such a profile.
std::vector<LoadStep> read_load_profile(const std::filesystem::path& csv);

// Every *.csv of a folder, in name order.
std::vector<LoadStep> read_load_profiles(const std::filesystem::path& folder);

// The curve minimising the squared log of measured / modelled over the steps (relative errors
// either way weigh alike), on a grid of 0.01 (idle, full) and 0.05 (saturation).
CpuCurve fit_curve(std::span<const LoadStep> steps);

struct CpuResult {
  std::string cpu;
  std::size_t steps = 0;
  double mape = 0;             // the curve fitted without this CPU
  double mape_codecarbon = 0;  // CodeCarbon's formula, TDP x (0.1 + 0.9 load^3)
  std::size_t inside_band = 0;
};

struct Validation {
  std::vector<CpuResult> cpus;
  Band band;                             // from the ratios of all held-out predictions
  double mape = 0, mape_codecarbon = 0;  // over all steps
};

// The band of CPUs missing from the TDP table, whose TDP is taken as CodeCarbon's 4 W per thread:
// the ratios measured / (4 W x threads x CpuCurve{}) of the steps, trimmed as below.
Band default_tdp_band(std::span<const LoadStep> steps);

// Each CPU predicted by the curve fitted on the others. The band drops the 10 % lowest and the
// 10 % highest ratios measured / modelled (rounded down), so it covers at least 80 % of them;
// `band.coverage` is the share it covers.
Validation leave_one_cpu_out(std::span<const LoadStep> steps);

}  // namespace greentrain::sensors::calibration
