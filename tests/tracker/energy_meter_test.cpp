#include <catch2/catch.hpp>

#include "support/fake_sensor.hpp"
#include "tracker/energy_meter.hpp"

using namespace greentrain;
using greentrain::test::FakeSensor;

namespace {

struct Rig {
  std::shared_ptr<FakeSensor::Control> counter, power;
  std::vector<std::string> faults;
  std::unique_ptr<detail::EnergyMeter> meter;

  Rig() {
    sensors::SensorList list;
    auto c = std::make_unique<FakeSensor>("counter", sensors::Domain::cpu_package,
                                          sensors::SignalKind::energy_counter, test::measured("c"));
    auto p = std::make_unique<FakeSensor>("power", sensors::Domain::ram, sensors::SignalKind::power,
                                          test::measured("p"));
    counter = c->control();
    power = p->control();
    list.push_back(std::move(c));
    list.push_back(std::move(p));
    meter = std::make_unique<detail::EnergyMeter>(
        std::move(list), [this](const sensors::Sensor& s, std::error_code) {
          faults.emplace_back(s.name());
        });
  }

  void set(double joules, double watts, double at_s) {
    SteadyTime t{std::chrono::duration_cast<SteadyTime::duration>(Seconds{at_s + 1000})};
    counter->value = joules;
    counter->at = t;
    power->value = watts;
    power->at = t;
  }
};

}  // namespace

TEST_CASE("counters are differenced and power is integrated between samples", "[tracker][meter]") {
  Rig rig;
  rig.set(100, 10, 0);
  auto first = rig.meter->sample();
  CHECK(first.total().value == 0);  // the baseline
  rig.set(150, 30, 2);              // 50 J counted; power ramps 10 -> 30 W over 2 s: 40 J
  auto second = rig.meter->sample();
  CHECK(second[sensors::Component::cpu].value == Approx(50));
  CHECK(second[sensors::Component::ram].value == Approx(40));
}

TEST_CASE("a failed read drops that sensor's interval, reports once and marks degraded",
          "[tracker][meter]") {
  Rig rig;
  rig.set(0, 10, 0);
  rig.meter->sample();
  rig.counter->fault = std::make_error_code(std::errc::io_error);
  rig.set(10, 10, 1);
  auto e = rig.meter->sample();
  rig.set(20, 10, 2);
  rig.meter->sample();
  CHECK(e[sensors::Component::cpu].value == 0);
  CHECK(e[sensors::Component::ram].value == Approx(10));
  CHECK(rig.faults == std::vector<std::string>{"counter"});
  CHECK(rig.meter->degraded(sensors::Component::cpu));
  CHECK_FALSE(rig.meter->degraded(sensors::Component::ram));

  rig.counter->fault = {};  // recovers: a new baseline, then counting again
  rig.set(30, 10, 3);
  rig.meter->sample();
  rig.set(45, 10, 4);
  CHECK(rig.meter->sample()[sensors::Component::cpu].value == Approx(15));
}

TEST_CASE("a counter that goes backwards is a fault, not negative energy", "[tracker][meter]") {
  Rig rig;
  rig.set(500, 0, 0);
  rig.meter->sample();
  rig.set(100, 0, 1);
  CHECK(rig.meter->sample()[sensors::Component::cpu].value == 0);
  CHECK(rig.meter->degraded(sensors::Component::cpu));
}

TEST_CASE("a power averaged since the last read is multiplied by the interval, not averaged again",
          "[tracker][meter]") {
  auto control = std::make_shared<FakeSensor::Control>();
  sensors::SensorList list;
  list.push_back(std::make_unique<FakeSensor>("model", sensors::Domain::cpu_package,
                                              sensors::SignalKind::average_power,
                                              test::measured("m"), control));
  detail::EnergyMeter meter(std::move(list), nullptr);
  control->at = SteadyTime{std::chrono::seconds(100)};
  control->value = 10;
  meter.sample();
  control->at = SteadyTime{std::chrono::seconds(102)};
  control->value = 30;  // the mean over the last 2 s
  CHECK(meter.sample()[sensors::Component::cpu].value == Approx(60));
}
