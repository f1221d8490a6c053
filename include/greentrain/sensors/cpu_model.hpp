#pragma once
// CPU power modelled from TDP and machine load, for machines without a readable package counter
// (VMs, containers). W = TDP x curve(load), load = busy / total CPU time from <proc>/stat between
// two readings. The figure is labelled modelled, with its inputs and an uncertainty band.
#include <filesystem>
#include <memory>
#include <string>

#include "greentrain/clock.hpp"
#include "greentrain/sensors/cpu_tdp.hpp"
#include "greentrain/sensors/cpu_time.hpp"
#include "greentrain/sensors/sensor.hpp"

namespace greentrain::sensors {

// Fraction of TDP drawn at a load in [0, 1]: the Teads curve used by Boavizta (measured on servers:
// 12 % at idle, 32 % at 10 %, 75 % at 50 %, 102 % at 100 % load), linearly interpolated.
double teads_power_fraction(double load) noexcept;

// CodeCarbon's curve for the same purpose: 0.1 + 0.9 x load^3. Bounds the band of the model.
double codecarbon_power_fraction(double load) noexcept;

// The relative band [low, high] around the Teads figure that reaches CodeCarbon's at this load.
struct Band {
  double low = 1.0;
  double high = 1.0;
};
Band cpu_model_band(double load) noexcept;

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
