#pragma once
// The few NVML declarations greentrain uses, declared here so that nothing needs NVIDIA's headers,
// and the loaded library with nvmlInit/nvmlShutdown tied to its lifetime.
#include <memory>
#include <string>

#include "greentrain/sensors/sensor.hpp"

namespace greentrain::sensors::detail {

using nvml_return = int;  // nvmlReturn_t
inline constexpr nvml_return nvml_success = 0;
inline constexpr nvml_return nvml_not_supported = 3;
using nvml_device = struct nvmlDevice_st*;
struct nvml_utilization {  // nvmlUtilization_t
  unsigned int gpu;
  unsigned int memory;
};

struct NvmlApi {
  nvml_return (*init)() = nullptr;      // nvmlInit_v2
  nvml_return (*shutdown)() = nullptr;  // nvmlShutdown
  const char* (*error_string)(nvml_return) = nullptr;
  nvml_return (*device_count)(unsigned int*) = nullptr;                 // nvmlDeviceGetCount_v2
  nvml_return (*device_by_index)(unsigned int, nvml_device*) = nullptr;  // ..GetHandleByIndex_v2
  nvml_return (*uuid)(nvml_device, char*, unsigned int) = nullptr;
  nvml_return (*name)(nvml_device, char*, unsigned int) = nullptr;
  nvml_return (*total_energy_mj)(nvml_device, unsigned long long*) = nullptr;
  nvml_return (*power_mw)(nvml_device, unsigned int*) = nullptr;
  nvml_return (*utilization)(nvml_device, nvml_utilization*) = nullptr;
};

class NvmlLibrary {
 public:
  // Loads and initialises NVML; on failure returns null and says why (and what to do) in `why`.
  static std::shared_ptr<NvmlLibrary> load(const std::string& library, Availability& why);

  NvmlLibrary(const NvmlLibrary&) = delete;
  NvmlLibrary& operator=(const NvmlLibrary&) = delete;
  ~NvmlLibrary();

  const NvmlApi& api() const noexcept { return api_; }
  std::string error_text(nvml_return code) const;

 private:
  NvmlLibrary() = default;
  void* handle_ = nullptr;
  NvmlApi api_;
  bool initialised_ = false;
};

}  // namespace greentrain::sensors::detail
