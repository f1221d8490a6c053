#include "greentrain/sensors/user_power.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace greentrain::sensors {

namespace {

Domain domain_of(Component component) {
  switch (component) {
    case Component::cpu: return Domain::cpu_package;
    case Component::gpu: return Domain::gpu;
    case Component::ram: return Domain::ram;
  }
  return Domain::cpu_package;
}

class UserPowerSensor final : public Sensor {
 public:
  UserPowerSensor(Component component, Watts power, std::shared_ptr<Clock> clock)
      : name_(fmt::format("user:{}-power", to_string(component))),
        domain_(domain_of(component)),
        power_(power),
        clock_(clock ? std::move(clock) : system_clock()) {}

  std::string_view name() const noexcept override { return name_; }
  Domain domain() const noexcept override { return domain_; }
  SignalKind kind() const noexcept override { return SignalKind::power; }
  Availability probe() override { return {.available = true, .reason = "given by the user"}; }
  Reading read(std::error_code& ec) noexcept override {
    ec.clear();
    return {.value = power_.value, .at = clock_->steady_now()};
  }
  Provenance provenance() const override {
    return {.basis = Basis::user, .source = fmt::format("given by the user: {} W", power_.value)};
  }

 private:
  std::string name_;
  Domain domain_;
  Watts power_;
  std::shared_ptr<Clock> clock_;
};

void replace(Discovery& discovery, Component component, Watts power, const std::shared_ptr<Clock>& clock) {
  auto& selected = discovery.selected;
  selected.erase(
      std::remove_if(selected.begin(), selected.end(),
                     [&](const auto& s) { return component_of(s->domain()) == component; }),
      selected.end());
  for (auto& candidate : discovery.candidates)
    if (candidate.selected && component_of(candidate.domain) == component) {
      candidate.selected = false;
      candidate.verdict = fmt::format("replaced by the user's figure: {} W", power.value);
    }
  auto sensor = make_user_power_sensor(component, power, clock);
  discovery.candidates.push_back(
      {std::string(sensor->name()), sensor->domain(), sensor->kind(), sensor->probe(), true,
       fmt::format("selected for {}: given by the user", to_string(component))});
  selected.push_back(std::move(sensor));
}

}  // namespace

std::unique_ptr<Sensor> make_user_power_sensor(Component component, Watts power,
                                               std::shared_ptr<Clock> clock) {
  return std::make_unique<UserPowerSensor>(component, power, std::move(clock));
}

void apply_power_overrides(Discovery& discovery, const PowerOverrides& overrides,
                           std::shared_ptr<Clock> clock) {
  if (overrides.cpu) replace(discovery, Component::cpu, *overrides.cpu, clock);
  if (overrides.ram) replace(discovery, Component::ram, *overrides.ram, clock);
  if (overrides.gpu) replace(discovery, Component::gpu, *overrides.gpu, clock);
}

}  // namespace greentrain::sensors
