#pragma once
// RAM power modelled from installed memory, for machines without a readable DRAM counter:
// 0.3725 W per GB (Green Algorithms, Lannelongue et al. 2021) x installed GiB from <proc>/meminfo.
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "greentrain/clock.hpp"
#include "greentrain/sensors/sensor.hpp"

namespace greentrain::sensors {

inline constexpr double ram_watts_per_gb = 0.3725;

// The band chosen for the RAM model: per-GB draw falls with DIMM size (about 0.15 W/GB for 64 GB
// server DIMMs) and rises for small DIMMs under heavy traffic (about 0.75 W/GB), so the true figure
// is expected within 0.4x to 2x of 0.3725 W/GB. Modelling installed rather than used memory is also
// why the band is wide.
inline constexpr double ram_band_low = 0.4;
inline constexpr double ram_band_high = 2.0;

// The model's watts for `gib` of memory; the sensor and `greentrain estimate` both use it.
inline double modelled_ram_watts(double gib) noexcept { return ram_watts_per_gb * gib; }

// MemTotal of <proc>/meminfo in GiB; nullopt when it cannot be read.
std::optional<double> installed_ram_gib(const std::filesystem::path& proc = "/proc");

// Power sensor "model:ram", domain ram, constant W = 0.3725 x installed_gib, read at `clock`'s time.
std::unique_ptr<Sensor> make_ram_model_sensor(double installed_gib, std::string why_modelled = {},
                                              std::shared_ptr<Clock> clock = system_clock());

}  // namespace greentrain::sensors
