#include "tracker/energy_meter.hpp"

#include <algorithm>

#include "greentrain/error.hpp"

namespace greentrain::detail {

EnergyMeter::EnergyMeter(sensors::SensorList sensors, FaultHandler on_fault)
    : sensors_(std::move(sensors)), last_(sensors_.size()), on_fault_(std::move(on_fault)) {}

EnergyByComponent EnergyMeter::sample() {
  EnergyByComponent energy;
  spans_.fill(Seconds{0.0});
  for (std::size_t i = 0; i < sensors_.size(); ++i) {
    auto& sensor = *sensors_[i];
    auto& last = last_[i];
    auto component = sensors::component_of(sensor.domain());
    std::error_code ec;
    sensors::Reading now = sensor.read(ec);
    if (!ec && sensor.kind() == sensors::SignalKind::energy_counter && last.valid &&
        now.value < last.reading.value)
      ec = errc::malformed_data;  // a counter went backwards: reset or unfolded wrap missed
    if (ec) {
      degraded_[static_cast<std::size_t>(component)] = true;
      last.valid = false;
      if (!last.fault_reported && on_fault_) on_fault_(sensor, ec);
      last.fault_reported = true;
      continue;
    }
    if (last.valid) {
      Seconds dt = now.at - last.reading.at;
      Seconds& span = spans_[static_cast<std::size_t>(component)];
      span = std::max(span, dt);
      switch (sensor.kind()) {
        case sensors::SignalKind::energy_counter:
          energy[component] += Joules{now.value - last.reading.value};
          break;
        case sensors::SignalKind::power:
          energy[component] += Watts{(now.value + last.reading.value) / 2} * dt;
          break;
        case sensors::SignalKind::average_power:
          energy[component] += Watts{now.value} * dt;
          break;
      }
    }
    last.reading = now;
    last.valid = true;
  }
  return energy;
}

}  // namespace greentrain::detail
