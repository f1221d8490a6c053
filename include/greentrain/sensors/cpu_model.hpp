#pragma once
// CPU power modelled from TDP and machine load, for machines without a readable package counter
// (VMs, containers). W = TDP x curve(load), load = busy / total CPU time from <proc>/stat between
// two readings, so each sampling interval is modelled at its own load. The figure is labelled
// modelled, with its inputs and an uncertainty band whose coverage was measured
// (docs/measurement.md).
#include <filesystem>
#include <memory>
#include <string>

#include "greentrain/clock.hpp"
#include "greentrain/sensors/cpu_tdp.hpp"
#include "greentrain/sensors/cpu_time.hpp"
#include "greentrain/sensors/sensor.hpp"

namespace greentrain::sensors {

// Fraction of TDP drawn at a load in [0, 1] (the busy share of all hardware threads):
// idle + (full - idle) x min(1, load / saturation). Past `saturation` every core is busy and
// its second hardware thread adds little power. The defaults are the fit to the measured package
// power of the CPUs in data/hardware/cpu-load-rapl (two AMD CPUs, 44 load steps; at full load
// they drew 51 % and 93 % of TDP).
struct CpuCurve {
  double idle = 0.22;
  double full = 0.70;
  double saturation = 0.45;

  double fraction(double load) const noexcept;
};

// The model's watts at a load: TDP x CpuCurve{}.fraction(load). The sensor and `greentrain
// estimate` both use it, so an estimate and a tracked run at the same load agree.
double modelled_cpu_watts(const CpuTdp& tdp, double load) noexcept;

// CodeCarbon's formula, for comparison: 0.1 + 0.9 x load^3.
double codecarbon_power_fraction(double load) noexcept;

// A two-sided relative band: measured / modelled fell within [low, high] for `coverage` of the
// measured points it was calibrated on.
struct Band {
  double low = 1.0;
  double high = 1.0;
  double coverage = 0.0;
};

// The band of CpuCurve{} for a CPU in the TDP table: the ratios measured / modelled of the shipped
// profiles, each CPU predicted by the curve fitted on the others, the 10 % lowest and highest left
// out; it holds 36 of the 44 steps (82 %). With two CPUs this says how far one CPU's curve is
// from another's, not more: benchmarks/model_accuracy prints it.
Band cpu_model_band() noexcept;

// The band for `tdp`: the one above for a CPU in the TDP table; for one that is not (TDP taken as
// 4 W per thread), the ratios of the shipped profiles modelled that way, x1.04-x1.90: such a TDP
// underestimated both measured CPUs.
Band cpu_model_band(const CpuTdp& tdp) noexcept;

// Power sensor "model:cpu-tdp", domain cpu_package. `why_modelled` is added to its provenance
// ("RAPL unreadable: energy_uj is readable by root only") so a modelled figure says why it is not
// measured. probe() must succeed before read(). Readings are stamped with `clock`'s steady time.
std::unique_ptr<Sensor> make_cpu_model_sensor(CpuTdp tdp, std::filesystem::path proc = "/proc",
                                              std::string why_modelled = {},
                                              std::shared_ptr<Clock> clock = system_clock());

// The same, reading the machine's CPU time through a shared reader (see MachineCpuTime), on that
// reader's clock.
std::unique_ptr<Sensor> make_cpu_model_sensor(CpuTdp tdp, std::shared_ptr<MachineCpuTime> machine_time,
                                              std::string why_modelled = {});

}  // namespace greentrain::sensors
