#include "greentrain/sensors/nvml.hpp"

#include <fmt/format.h>

#include <atomic>

#include "greentrain/error.hpp"
#include "sensors/nvml_library.hpp"

namespace greentrain::sensors {

namespace {

using detail::nvml_success;

class NvmlSensor final : public Sensor {
 public:
  NvmlSensor(std::shared_ptr<detail::NvmlLibrary> nvml, detail::nvml_device device, std::string uuid,
             std::string gpu_name, SignalKind kind, std::shared_ptr<Clock> clock)
      : nvml_(std::move(nvml)), device_(device), gpu_name_(std::move(gpu_name)), kind_(kind),
        name_(fmt::format("nvml:{} {}", uuid, kind == SignalKind::energy_counter ? "energy" : "power")),
        clock_(std::move(clock)) {}

  std::string_view name() const noexcept override { return name_; }
  Domain domain() const noexcept override { return Domain::gpu; }
  SignalKind kind() const noexcept override { return kind_; }

  Availability probe() override {
    std::error_code ec;
    read(ec);
    degraded_.store(false, std::memory_order_relaxed);
    if (ec)
      return {false, fmt::format("{} failed: {}", signal(), nvml_->error_text(last_code_)),
              "check the GPU with nvidia-smi"};
    return {true, fmt::format("{} of {}", signal(), gpu_name_), ""};
  }

  Reading read(std::error_code& ec) noexcept override {
    ec.clear();
    Reading reading{last_value_, clock_->steady_now()};
    const auto& api = nvml_->api();
    detail::nvml_return code;
    if (kind_ == SignalKind::energy_counter) {
      unsigned long long millijoules = 0;
      code = api.total_energy_mj(device_, &millijoules);
      if (code == nvml_success) reading.value = static_cast<double>(millijoules) * 1e-3;
    } else {
      unsigned int milliwatts = 0;
      code = api.power_mw(device_, &milliwatts);
      if (code == nvml_success) reading.value = static_cast<double>(milliwatts) * 1e-3;
    }
    if (code != nvml_success) {
      ec = make_error_code(errc::sensor_unavailable);
      last_code_ = code;
      degraded_.store(true, std::memory_order_relaxed);
      return reading;
    }
    last_value_ = reading.value;
    return reading;
  }

  Provenance provenance() const override {
    Provenance p;
    p.basis = Basis::measured;
    p.source = kind_ == SignalKind::energy_counter ? name_ : name_ + " (integrated over time)";
    p.degraded = degraded_.load(std::memory_order_relaxed);
    return p;
  }

  std::string hardware() const override { return gpu_name_; }

  std::optional<double> utilisation_percent() const noexcept override {
    if (!nvml_->api().utilization) return std::nullopt;
    detail::nvml_utilization rates{};
    if (nvml_->api().utilization(device_, &rates) != nvml_success) return std::nullopt;
    return static_cast<double>(rates.gpu);
  }

 private:
  const char* signal() const {
    return kind_ == SignalKind::energy_counter ? "nvmlDeviceGetTotalEnergyConsumption"
                                               : "nvmlDeviceGetPowerUsage";
  }

  std::shared_ptr<detail::NvmlLibrary> nvml_;
  detail::nvml_device device_;
  std::string gpu_name_;
  SignalKind kind_;
  std::string name_;
  std::shared_ptr<Clock> clock_;
  double last_value_ = 0.0;
  detail::nvml_return last_code_ = nvml_success;
  std::atomic<bool> degraded_{false};  // set by the sampler, read by reports
};

std::string text_of(detail::nvml_return (*get)(detail::nvml_device, char*, unsigned int),
                    detail::nvml_device device) {
  char buffer[96] = {};
  if (get(device, buffer, sizeof buffer) != nvml_success) return {};
  return buffer;
}

}  // namespace

NvmlDevices find_nvml_devices(const std::string& library, std::shared_ptr<Clock> clock) {
  if (!clock) clock = system_clock();
  NvmlDevices found;
  auto nvml = detail::NvmlLibrary::load(library, found.availability);
  if (!nvml) return found;
  const auto& api = nvml->api();
  unsigned int count = 0;
  if (auto code = api.device_count(&count); code != nvml_success) {
    found.availability = {false, fmt::format("nvmlDeviceGetCount failed: {}", nvml->error_text(code)),
                          "check that nvidia-smi lists the GPUs"};
    return found;
  }
  if (count == 0) {
    found.availability = {false, "NVML found no GPU", "nothing to do on a machine without NVIDIA GPUs"};
    return found;
  }
  for (unsigned int index = 0; index < count; ++index) {
    detail::nvml_device device = nullptr;
    if (auto code = api.device_by_index(index, &device); code != nvml_success) {
      found.unused.push_back({fmt::format("nvml:index-{}", index), SignalKind::energy_counter,
                              {false, fmt::format("no handle for GPU {}: {}", index, nvml->error_text(code)),
                               "check the GPU with nvidia-smi"}});
      continue;
    }
    std::string uuid = text_of(api.uuid, device);
    if (uuid.empty()) uuid = fmt::format("index-{}", index);
    std::string gpu_name = text_of(api.name, device);
    unsigned long long millijoules = 0;
    auto energy = api.total_energy_mj ? api.total_energy_mj(device, &millijoules) : detail::nvml_not_supported;
    SignalKind kind = SignalKind::energy_counter;
    if (energy != nvml_success) {
      kind = SignalKind::power;
      found.unused.push_back(
          {fmt::format("nvml:{} energy", uuid), SignalKind::energy_counter,
           {false,
            energy == detail::nvml_not_supported
                ? "this GPU has no total-energy counter (Volta and newer have one); its power draw "
                  "is integrated instead"
                : fmt::format("nvmlDeviceGetTotalEnergyConsumption failed: {}", nvml->error_text(energy)),
            ""}});
    }
    found.sensors.push_back(std::make_unique<NvmlSensor>(nvml, device, uuid, gpu_name, kind, clock));
  }
  return found;
}

}  // namespace greentrain::sensors
