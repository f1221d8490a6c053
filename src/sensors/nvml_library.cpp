#include "sensors/nvml_library.hpp"

#include <dlfcn.h>
#include <fmt/format.h>

namespace greentrain::sensors::detail {

namespace {

constexpr const char* driver_fix =
    "install the NVIDIA driver, which provides libnvidia-ml.so.1 (Debian: nvidia-driver from "
    "non-free, or the CUDA repository's cuda-drivers), or set the library path";

template <class Function>
void bind(void* handle, const char* symbol, Function& slot) {
  slot = reinterpret_cast<Function>(::dlsym(handle, symbol));
}

}  // namespace

std::shared_ptr<NvmlLibrary> NvmlLibrary::load(const std::string& library, Availability& why) {
  void* handle = ::dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* error = ::dlerror();
    why = {false, fmt::format("{} could not be loaded: {}", library, error ? error : "unknown error"),
           driver_fix};
    return nullptr;
  }
  std::shared_ptr<NvmlLibrary> nvml(new NvmlLibrary);
  nvml->handle_ = handle;
  NvmlApi& api = nvml->api_;
  bind(handle, "nvmlInit_v2", api.init);
  bind(handle, "nvmlShutdown", api.shutdown);
  bind(handle, "nvmlErrorString", api.error_string);
  bind(handle, "nvmlDeviceGetCount_v2", api.device_count);
  bind(handle, "nvmlDeviceGetHandleByIndex_v2", api.device_by_index);
  bind(handle, "nvmlDeviceGetUUID", api.uuid);
  bind(handle, "nvmlDeviceGetName", api.name);
  bind(handle, "nvmlDeviceGetTotalEnergyConsumption", api.total_energy_mj);
  bind(handle, "nvmlDeviceGetPowerUsage", api.power_mw);
  bind(handle, "nvmlDeviceGetUtilizationRates", api.utilization);
  if (!api.init || !api.shutdown || !api.device_count || !api.device_by_index || !api.uuid ||
      !api.name || !api.power_mw) {
    why = {false, fmt::format("{} lacks NVML functions greentrain needs (driver too old?)", library),
           driver_fix};
    return nullptr;
  }
  if (nvml_return code = api.init(); code != nvml_success) {
    why = {false, fmt::format("nvmlInit failed: {}", nvml->error_text(code)),
           "check that the NVIDIA kernel module is loaded (nvidia-smi should list the GPUs) and that "
           "the driver and library versions match"};
    return nullptr;
  }
  nvml->initialised_ = true;
  why = {true, fmt::format("NVML loaded from {}", library), ""};
  return nvml;
}

NvmlLibrary::~NvmlLibrary() {
  if (initialised_) api_.shutdown();
  if (handle_ != nullptr) ::dlclose(handle_);
}

std::string NvmlLibrary::error_text(nvml_return code) const {
  const char* text = api_.error_string ? api_.error_string(code) : nullptr;
  return text ? fmt::format("{} (NVML error {})", text, code) : fmt::format("NVML error {}", code);
}

}  // namespace greentrain::sensors::detail
