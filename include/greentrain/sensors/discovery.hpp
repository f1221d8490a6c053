#pragma once
// Finds every sensor this machine offers and selects a set that can be summed per component
// (cpu, gpu, ram) without counting anything twice; the rest is listed with the reason it is not used.
#include <filesystem>
#include <string>
#include <vector>

#include "greentrain/clock.hpp"
#include "greentrain/sensors/cpu_time.hpp"
#include "greentrain/sensors/file_opener.hpp"
#include "greentrain/sensors/nvml.hpp"
#include "greentrain/sensors/sensor.hpp"

namespace greentrain::sensors {

// Where sensors read from; tests point these at recorded trees.
struct Roots {
  std::filesystem::path sys{"/sys"};
  std::filesystem::path proc{"/proc"};
  std::string nvml_library{default_nvml_library};
  FileOpener open_file{};  // how powercap counters are opened; open(2) when empty
};

struct Candidate {
  std::string name;
  Domain domain = Domain::cpu_package;
  SignalKind kind = SignalKind::energy_counter;
  Availability availability;
  bool selected = false;
  // "selected for cpu", or why not: "nested in ...", "duplicate of ...", "unreadable", "not needed: ..."
  std::string verdict;
};

struct MachineInfo {
  std::string cpu_model;  // "model name" of <proc>/cpuinfo
  int cpu_count = 0;      // logical CPUs
  int cpu_sockets = 1;    // distinct "physical id"
  // From CPUID's family and model: "Zen 4 (CPUID family 25 model 17 stepping 1)"; empty when
  // cpuinfo does not print them or they are not known here.
  std::string cpu_microarchitecture;
  std::string gpu_model;  // NVML names, distinct ones joined by ", "
  int gpu_count = 0;
  double ram_total_gb = 0.0;  // MemTotal in GiB
};

struct Discovery {
  // Non-overlapping: summing energy per component_of(domain) is correct. One powercap package per
  // socket for cpu and its dram for ram where readable, one NVML sensor per GPU; the CPU and RAM
  // models where no such counter is readable. Each has been probed and is available.
  SensorList selected;
  std::vector<Candidate> candidates;  // every sensor considered, selected or not
  MachineInfo machine;
  // Things a user should know and can fix: "CPU energy is modelled because energy_uj is root-only ..."
  std::vector<std::string> warnings;
  // The <proc>/stat reader of the CPU model (null if /proc/stat is unreadable). Pass it to
  // ProcessCpuShare::self/tree so that one sample reads /proc/stat once.
  std::shared_ptr<MachineCpuTime> machine_cpu_time;
};

// Every sensor found, and the machine's CPU time reader, take their time from `clock`: one fake
// clock drives a whole run in a test.
Discovery discover(const Roots& roots = {}, std::shared_ptr<Clock> clock = system_clock());

}  // namespace greentrain::sensors
