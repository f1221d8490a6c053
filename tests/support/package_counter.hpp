#pragma once
// A machine whose only sensor is one RAPL package counter that the test drives.
#include <memory>
#include <mutex>

#include "support/fake_sensor.hpp"

namespace greentrain::test {

struct PackageCounter {
  std::shared_ptr<FakeSensor::Control> control = std::make_shared<FakeSensor::Control>();

  std::function<sensors::Discovery()> discover() const {
    return [control = control] {
      sensors::Discovery d;
      d.selected.push_back(std::make_unique<FakeSensor>(
          "powercap:intel-rapl:0 package-0", sensors::Domain::cpu_package,
          sensors::SignalKind::energy_counter, measured("powercap:intel-rapl:0 package-0"),
          control));
      return d;
    };
  }

  void add_joules(double joules) const {
    std::lock_guard lock(control->mutex);
    control->value += joules;
  }
};

}  // namespace greentrain::test
