#pragma once
// A sensor whose readings the test sets: a counter or a power value, a fault, a provenance.
#include <memory>
#include <mutex>
#include <string>

#include "greentrain/clock.hpp"
#include "greentrain/sensors/sensor.hpp"

namespace greentrain::test {

class FakeSensor final : public sensors::Sensor {
 public:
  struct Control {
    std::mutex mutex;
    double value = 0.0;  // joules for a counter, watts for power
    std::error_code fault;
    std::chrono::steady_clock::time_point at{};  // when set, the reading's time
    std::shared_ptr<Clock> clock = system_clock();  // else the reading's time is this clock's
  };

  // Sensors made with the same control read the same value, like two readers of one counter.
  FakeSensor(std::string name, sensors::Domain domain, sensors::SignalKind kind,
             Provenance provenance, std::shared_ptr<Control> control = std::make_shared<Control>())
      : name_(std::move(name)), domain_(domain), kind_(kind), provenance_(std::move(provenance)),
        control_(std::move(control)) {}

  std::shared_ptr<Control> control() const { return control_; }

  std::string_view name() const noexcept override { return name_; }
  sensors::Domain domain() const noexcept override { return domain_; }
  sensors::SignalKind kind() const noexcept override { return kind_; }
  sensors::Availability probe() override { return {.available = true, .reason = "fake"}; }
  sensors::Reading read(std::error_code& ec) noexcept override {
    std::lock_guard lock(control_->mutex);
    ec = control_->fault;
    auto at = control_->at == std::chrono::steady_clock::time_point{} ? control_->clock->steady_now()
                                                                     : control_->at;
    return {.value = control_->value, .at = at};
  }
  Provenance provenance() const override { return provenance_; }

  void set(double value) {
    std::lock_guard lock(control_->mutex);
    control_->value = value;
  }

 private:
  std::string name_;
  sensors::Domain domain_;
  sensors::SignalKind kind_;
  Provenance provenance_;
  std::shared_ptr<Control> control_;
};

inline Provenance measured(std::string source) {
  return {.basis = Basis::measured, .source = std::move(source)};
}

}  // namespace greentrain::test
