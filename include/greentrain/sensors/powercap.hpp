#pragma once
// Linux powercap RAPL counters (Intel `intel-rapl`, `intel-rapl-mmio`; AMD under `intel-rapl` or
// `amd-rapl` naming). Zones are known by their `name` file, never by their numbering, which differs
// between machines (DRAM is `intel-rapl:0:0` on a Xeon, `intel-rapl:0:2` on a laptop).
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "greentrain/clock.hpp"
#include "greentrain/sensors/file_opener.hpp"
#include "greentrain/sensors/sensor.hpp"

namespace greentrain::sensors {

struct PowercapZone {
  std::string id;            // directory name: "intel-rapl:0:1"
  std::string control_type;  // "intel-rapl", "intel-rapl-mmio", "amd-rapl"
  std::string label;         // the `name` file: "package-0", "core", "uncore", "dram", "psys"
  std::filesystem::path dir;
  Domain domain = Domain::cpu_package;
  int package = -1;  // socket, from "package-N" of the zone or its parent; -1 for psys
  int die = -1;      // from "package-N-die-M", else -1
  std::string parent_id;  // enclosing zone ("intel-rapl:0" for "intel-rapl:0:1"), empty at top level
};

// Every zone under <sys>/class/powercap (or <sys>/devices/virtual/powercap when the class folder is
// missing) that has an energy_uj file and a name this library knows, sorted by id, MMIO copies last.
std::vector<PowercapZone> find_powercap_zones(const std::filesystem::path& sys);

// "powercap:intel-rapl:0 package-0"
std::string powercap_sensor_name(const PowercapZone& zone);

// An energy-counter sensor for one zone: reads energy_uj through a kept file descriptor and unfolds
// wraps with max_energy_range_uj. probe() opens the files and reports a root-only energy_uj (EACCES)
// with the command that makes it readable. `hardware` is what hardware() reports (the CPU model).
// Readings are stamped with `clock`'s steady time.
std::unique_ptr<Sensor> make_powercap_sensor(PowercapZone zone, FileOpener open = {},
                                             std::string hardware = {},
                                             std::shared_ptr<Clock> clock = system_clock());

// The exact fix for a root-only energy_uj of this control type under this /sys.
std::string powercap_permission_fix(const std::filesystem::path& sys, const std::string& control_type);

}  // namespace greentrain::sensors
