#pragma once
// NVIDIA GPUs through NVML, loaded at run time with dlopen: no build dependency on the driver.
// Each GPU, keyed by its UUID, gets its total-energy counter where it has one (Volta and newer),
// else its power draw as a power sensor that the caller integrates over time.
#include <optional>
#include <string>
#include <vector>

#include "greentrain/clock.hpp"
#include "greentrain/sensors/sensor.hpp"

namespace greentrain::sensors {

inline constexpr const char* default_nvml_library = "libnvidia-ml.so.1";

struct NvmlDevices {
  // Of NVML as a whole: the library is missing, nvmlInit failed, or there is no GPU.
  Availability availability;
  // One sensor per GPU, in NVML's index order; each keeps the library loaded.
  SensorList sensors;
  // Signals considered and not used, with why: "nvml:GPU-... energy" on a GPU without the counter.
  struct Unused {
    std::string name;
    SignalKind kind = SignalKind::energy_counter;
    Availability why;
  };
  std::vector<Unused> unused;
};

// Loads `library` (a name for the loader's search path, or a path) and lists its GPUs, whose
// readings are stamped with `clock`'s steady time.
NvmlDevices find_nvml_devices(const std::string& library = default_nvml_library,
                              std::shared_ptr<Clock> clock = system_clock());

}  // namespace greentrain::sensors
