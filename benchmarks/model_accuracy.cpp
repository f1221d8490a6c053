// How close the CPU power model comes to measured package power, each CPU of the shipped load
// profiles (data/hardware/cpu-load-rapl) predicted by the curve fitted on the others, against
// CodeCarbon's formula on the same inputs (TDP, load), and the share of steps inside the band.
//
// usage: model_accuracy [PROFILES_DIR]
#include <fmt/format.h>

#include <exception>

#include "sensors/cpu_calibration.hpp"

using namespace greentrain::sensors;

int main(int argc, char** argv) try {
  std::filesystem::path dir = argc > 1 ? argv[1] : GREENTRAIN_LOAD_PROFILES_DIR;
  auto steps = calibration::read_load_profiles(dir);
  auto v = calibration::leave_one_cpu_out(steps);
  fmt::print("CPU power model, leave-one-CPU-out on {} ({} load steps)\n\n", dir.string(),
             steps.size());
  fmt::print("| CPU | steps | greentrain MAPE | CodeCarbon formula MAPE | inside the band |\n");
  fmt::print("|---|---|---|---|---|\n");
  for (const auto& c : v.cpus)
    fmt::print("| {} | {} | {:.0f} % | {:.0f} % | {}/{} |\n", c.cpu, c.steps, 100 * c.mape,
               100 * c.mape_codecarbon, c.inside_band, c.steps);
  fmt::print("| all | {} | {:.0f} % | {:.0f} % | {:.0f} % |\n\n", steps.size(), 100 * v.mape,
             100 * v.mape_codecarbon, 100 * v.band.coverage);
  fmt::print("band from the held-out ratios measured / modelled: x{:.2f} - x{:.2f}\n", v.band.low,
             v.band.high);
  auto all = calibration::fit_curve(steps);
  fmt::print(
      "curve fitted on every CPU (shipped: idle {:.2f}, full {:.2f}, saturation {:.2f}): "
      "idle {:.2f}, full {:.2f}, saturation {:.2f} of TDP\n",
      CpuCurve{}.idle, CpuCurve{}.full, CpuCurve{}.saturation, all.idle, all.full, all.saturation);
  auto shipped = cpu_model_band();
  fmt::print("shipped band: x{:.2f} - x{:.2f}, coverage {:.0f} %\n", shipped.low, shipped.high,
             100 * shipped.coverage);
  auto unknown = calibration::default_tdp_band(steps);
  auto shipped_unknown = cpu_model_band(CpuTdp{});
  fmt::print(
      "a CPU missing from the TDP table (4 W per thread): x{:.2f} - x{:.2f}, coverage "
      "{:.0f} % (shipped: x{:.2f} - x{:.2f})\n",
      unknown.low, unknown.high, 100 * unknown.coverage, shipped_unknown.low, shipped_unknown.high);
  return 0;
} catch (const std::exception& e) {
  fmt::print(stderr, "model_accuracy: {}\n", e.what());
  return 1;
}
