#pragma once
// Turns sensor readings into energy per component and interval: counters are differenced,
// instantaneous power is integrated (trapezoid) over the time between readings.
#include <functional>
#include <string_view>
#include <system_error>
#include <vector>

#include "greentrain/sensors/sensor.hpp"
#include "tracker/carbon_ledger.hpp"

namespace greentrain::detail {

class EnergyMeter {
 public:
  using FaultHandler = std::function<void(const sensors::Sensor&, std::error_code)>;

  EnergyMeter(sensors::SensorList sensors, FaultHandler on_fault);

  // Reads every sensor; returns the energy since the previous call (zero on the first call).
  // A sensor that fails is skipped for this interval and marked degraded.
  EnergyByComponent sample();

  const sensors::SensorList& sensors() const { return sensors_; }
  bool degraded(sensors::Component c) const { return degraded_[static_cast<std::size_t>(c)]; }

 private:
  struct Last {
    sensors::Reading reading;
    bool valid = false;
    bool fault_reported = false;
  };

  sensors::SensorList sensors_;
  std::vector<Last> last_;
  std::array<bool, 3> degraded_{};
  FaultHandler on_fault_;
};

}  // namespace greentrain::detail
