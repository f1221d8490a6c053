#pragma once
// Turns sensor readings into energy per component and interval: counters are differenced,
// instantaneous power is integrated (trapezoid) over the time between readings, and a power
// averaged since the previous read is multiplied by that time.
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

  // How long the last sample()'s energy of a component was gathered over, from the readings'
  // own times: the interval to divide by for its power. Zero when nothing was read.
  Seconds span(sensors::Component c) const { return spans_[static_cast<std::size_t>(c)]; }

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
  std::array<Seconds, 3> spans_{};
  FaultHandler on_fault_;
};

}  // namespace greentrain::detail
