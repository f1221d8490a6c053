#pragma once
// A power the user states for a component ("my GPUs draw 300 W"), used in place of its counter or
// model and labelled so: basis user, "given by the user: 300 W".
#include <memory>
#include <optional>

#include "greentrain/clock.hpp"
#include "greentrain/sensors/discovery.hpp"
#include "greentrain/units.hpp"

namespace greentrain::sensors {

struct PowerOverrides {
  std::optional<Watts> cpu, ram, gpu;
};

// A constant power for `component`, read at `clock`'s time; its name is "user:cpu-power" and the like.
std::unique_ptr<Sensor> make_user_power_sensor(Component component, Watts power,
                                               std::shared_ptr<Clock> clock = system_clock());

// Replaces the selected sensors of each overridden component by the user's figure, read at
// `clock`'s time. The replaced sensors stay among the candidates, with the verdict "replaced by
// the user's figure".
void apply_power_overrides(Discovery& discovery, const PowerOverrides& overrides,
                           std::shared_ptr<Clock> clock = system_clock());

}  // namespace greentrain::sensors
