#pragma once
// The sensor interface: each sensor describes itself (name, domain, signal kind), says whether it
// can be read here and why not, and gives readings whose provenance it can explain.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "greentrain/provenance.hpp"

namespace greentrain::sensors {

// What part of the machine a sensor covers. Nested RAPL domains (psys > package > core) are
// distinct domains so that nobody sums them.
enum class Domain { cpu_package, cpu_core, cpu_uncore, dram, psys, gpu, ram };

// The three components of CodeCarbon's model that a domain's energy counts towards.
enum class Component { cpu, gpu, ram };

enum class SignalKind {
  energy_counter,  // monotone cumulative joules (wraps already unfolded by the sensor)
  power,           // instantaneous watts, integrated over time by the caller (trapezoid)
  average_power,   // watts averaged over the time since the previous read (a load model)
};

std::string_view to_string(Domain domain) noexcept;
std::string_view to_string(Component component) noexcept;
Component component_of(Domain domain) noexcept;

struct Availability {
  bool available = false;
  std::string reason;  // why it can or cannot be read: "energy_uj is readable by root only"
  std::string fix;     // what to do about it, empty when available
};

struct Reading {
  // Joules since an arbitrary origin for energy_counter, watts for power.
  double value = 0.0;
  // When it was read, by the steady_now() of the sensor's clock (greentrain::Clock): the meter
  // divides and integrates over these times.
  std::chrono::steady_clock::time_point at{};
};

class Sensor {
 public:
  virtual ~Sensor() = default;

  // Unique and stable: "powercap:intel-rapl:0 package-0", "nvml:GPU-3f1c... energy", "model:cpu-tdp".
  virtual std::string_view name() const noexcept = 0;
  virtual Domain domain() const noexcept = 0;
  virtual SignalKind kind() const noexcept = 0;

  // Cheap and side-effect free apart from opening what later reads need.
  virtual Availability probe() = 0;

  // Called from the sampler thread: never throws, reports faults through ec.
  virtual Reading read(std::error_code& ec) noexcept = 0;

  // Where the readings so far came from; for a model, its inputs averaged over the readings.
  virtual Provenance provenance() const = 0;

  // Short description of the hardware for reports: "Intel(R) Xeon(R) Gold 6248", "NVIDIA A100-SXM4-40GB".
  virtual std::string hardware() const { return {}; }

  // How busy the device is, in percent (0-100), for sensors of a device that tells (a GPU);
  // nullopt for the others or when the device cannot say now.
  virtual std::optional<double> utilisation_percent() const noexcept { return std::nullopt; }
};

using SensorList = std::vector<std::unique_ptr<Sensor>>;

}  // namespace greentrain::sensors
