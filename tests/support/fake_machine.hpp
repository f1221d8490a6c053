#pragma once
// A tracked machine for tracker tests: one package counter the test drives, a RAM power model, and
// an error handler that keeps what it is told.
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "greentrain/tracker.hpp"
#include "support/fake_sensor.hpp"
#include "support/temp_dir.hpp"

namespace greentrain::test {

// A machine with one package counter the test drives, and a RAM power model.
struct FakeMachine {
  std::shared_ptr<FakeSensor::Control> package = std::make_shared<FakeSensor::Control>();
  std::shared_ptr<FakeSensor::Control> ram = std::make_shared<FakeSensor::Control>();

  std::function<sensors::Discovery()> discover() {
    return [this] {
      sensors::Discovery d;
      auto p = std::make_unique<FakeSensor>("powercap:intel-rapl:0 package-0",
                                            sensors::Domain::cpu_package,
                                            sensors::SignalKind::energy_counter,
                                            measured("powercap:intel-rapl:0 package-0"),
                                            package);
      auto r = std::make_unique<FakeSensor>(
          "model:ram", sensors::Domain::ram, sensors::SignalKind::power,
          Provenance{.basis = Basis::modelled, .source = "0.3725 W/GB x 8 GB", .band_low = 0.5,
                     .band_high = 1.5},
          ram);
      d.selected.push_back(std::move(p));
      d.selected.push_back(std::move(r));
      d.machine.cpu_model = "Test CPU";
      d.machine.cpu_count = 4;
      d.machine.ram_total_gb = 8;
      return d;
    };
  }

  void add_joules(double j) {
    std::lock_guard lock(package->mutex);
    package->value += j;
  }
};

struct Faults {
  std::vector<std::string> messages;
  std::mutex mutex;
  ErrorHandler handler() {
    return [this](std::error_code, const std::string& m) {
      std::lock_guard lock(mutex);
      messages.push_back(m);
    };
  }
};

inline TrackerOptions options_for(FakeMachine& machine, const TempDir& dir, Faults& faults) {
  TrackerOptions o;
  o.project = "tracker-test";
  o.output_dir = dir.path();
  o.interval = std::chrono::hours(1);  // samples happen only at task edges, flush and stop
  o.zone = "FR";
  o.intensity = GramsPerKwh{100};
  o.discover = machine.discover();
  o.on_error = faults.handler();
  return o;
}

}  // namespace greentrain::test
