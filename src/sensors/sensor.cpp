#include "greentrain/sensors/sensor.hpp"

namespace greentrain::sensors {

std::string_view to_string(Domain domain) noexcept {
  switch (domain) {
    case Domain::cpu_package: return "cpu-package";
    case Domain::cpu_core: return "cpu-core";
    case Domain::cpu_uncore: return "cpu-uncore";
    case Domain::dram: return "dram";
    case Domain::psys: return "psys";
    case Domain::gpu: return "gpu";
    case Domain::ram: return "ram";
  }
  return "unknown";
}

std::string_view to_string(Component component) noexcept {
  switch (component) {
    case Component::cpu: return "cpu";
    case Component::gpu: return "gpu";
    case Component::ram: return "ram";
  }
  return "unknown";
}

Component component_of(Domain domain) noexcept {
  switch (domain) {
    case Domain::dram:
    case Domain::ram: return Component::ram;
    case Domain::gpu: return Component::gpu;
    // psys covers the whole platform; it is only ever selected when no package counter exists.
    case Domain::cpu_package:
    case Domain::cpu_core:
    case Domain::cpu_uncore:
    case Domain::psys: return Component::cpu;
  }
  return Component::cpu;
}

}  // namespace greentrain::sensors
