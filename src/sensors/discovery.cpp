#include "greentrain/sensors/discovery.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "greentrain/error.hpp"
#include "greentrain/sensors/cpu_model.hpp"
#include "greentrain/sensors/cpu_tdp.hpp"
#include "greentrain/sensors/powercap.hpp"
#include "greentrain/sensors/ram_model.hpp"
#include "sensors/cpuinfo.hpp"
#include "sensors/microarchitecture.hpp"
#include "sensors/powercap_selection.hpp"

namespace greentrain::sensors {

namespace {

// Why a component is modelled rather than measured, from the powercap zones of its domain.
std::string why_not_measured(const std::vector<PowercapZone>& zones,
                             const std::vector<Availability>& availability, Domain domain,
                             const std::filesystem::path& sys) {
  for (std::size_t i = 0; i < zones.size(); ++i)
    if (zones[i].domain == domain && !availability[i].available)
      return fmt::format("{} unreadable: {}", powercap_sensor_name(zones[i]), availability[i].reason);
  if (zones.empty()) return fmt::format("no RAPL counter under {}/class/powercap", sys.string());
  return fmt::format("no RAPL {} counter", to_string(domain));
}

class Discoverer {
 public:
  Discoverer(const Roots& roots, std::shared_ptr<Clock> clock)
      : roots_(roots), clock_(clock ? std::move(clock) : system_clock()),
        cpu_(detail::read_cpuinfo(roots.proc)) {}

  Discovery run() {
    found_.machine.cpu_model = cpu_.model;
    found_.machine.cpu_count = cpu_.logical_cpus;
    found_.machine.cpu_sockets = cpu_.sockets;
    if (auto arch =
            detail::microarchitecture(cpu_.vendor, cpu_.family, cpu_.model_number, cpu_.stepping);
        !arch.empty())
      found_.machine.cpu_microarchitecture =
          fmt::format("{} (CPUID family {} model {} stepping {})", arch, cpu_.family,
                      cpu_.model_number, cpu_.stepping);
    found_.machine.ram_total_gb = installed_ram_gib(roots_.proc).value_or(0.0);
    add_powercap();
    add_nvml();
    add_models();
    return std::move(found_);
  }

 private:
  void add(std::unique_ptr<Sensor> sensor, Availability availability, bool selected, std::string verdict) {
    found_.candidates.push_back({std::string(sensor->name()), sensor->domain(), sensor->kind(),
                                 std::move(availability), selected, std::move(verdict)});
    if (selected) found_.selected.push_back(std::move(sensor));
  }

  bool measured(Component component) const {
    return std::any_of(found_.selected.begin(), found_.selected.end(),
                       [&](const auto& s) { return component_of(s->domain()) == component; });
  }

  void add_powercap() {
    zones_ = find_powercap_zones(roots_.sys);
    if (zones_.empty()) {
      found_.candidates.push_back(
          {"powercap", Domain::cpu_package, SignalKind::energy_counter,
           {false,
            fmt::format("no RAPL zone under {}/class/powercap (a VM or a container, or the powercap "
                        "driver is not loaded)",
                        roots_.sys.string()),
            "on bare metal: sudo modprobe intel_rapl_msr (Intel; AMD needs Linux 5.8 or later); a VM "
            "or a container does not see the host's counters, so its CPU and RAM are modelled"},
           false, "unavailable"});
      return;
    }
    std::vector<std::unique_ptr<Sensor>> sensors;
    std::vector<bool> readable;
    for (const auto& zone : zones_) {
      std::string hardware = zone.domain == Domain::dram ? "DRAM" : cpu_.model;
      sensors.push_back(make_powercap_sensor(zone, roots_.open_file, std::move(hardware), clock_));
      availability_.push_back(sensors.back()->probe());
      readable.push_back(availability_.back().available);
    }
    auto verdicts = detail::choose_zones(zones_, readable, cpu_.amd_like());
    for (std::size_t i = 0; i < zones_.size(); ++i)
      add(std::move(sensors[i]), availability_[i], verdicts[i].selected, verdicts[i].why);
    for (std::size_t i = 0; i < zones_.size(); ++i) {
      if (availability_[i].available || availability_[i].fix.empty()) continue;
      found_.warnings.push_back(fmt::format("{}: {}; to measure it: {}", powercap_sensor_name(zones_[i]),
                                            availability_[i].reason, availability_[i].fix));
      break;  // one fix covers every zone of the machine
    }
  }

  void add_nvml() {
    auto gpus = find_nvml_devices(roots_.nvml_library, clock_);
    if (gpus.sensors.empty() && gpus.unused.empty()) {
      found_.candidates.push_back({"nvml", Domain::gpu, SignalKind::energy_counter, gpus.availability,
                                   false, "unavailable"});
      return;
    }
    std::vector<std::string> names;
    for (auto& sensor : gpus.sensors) {
      auto availability = sensor->probe();
      bool ok = availability.available;
      ++found_.machine.gpu_count;
      if (auto name = sensor->hardware(); std::find(names.begin(), names.end(), name) == names.end())
        names.push_back(name);
      add(std::move(sensor), std::move(availability), ok, ok ? "selected for gpu" : "unreadable");
    }
    for (auto& unused : gpus.unused)
      found_.candidates.push_back({unused.name, Domain::gpu, unused.kind, unused.why, false,
                                   "not used"});
    found_.machine.gpu_model = fmt::format("{}", fmt::join(names, ", "));
  }

  void add_models() {
    // A VM's "physical id"s are not the host's packages: its TDP is not multiplied by them.
    int sockets = cpu_.virtualised ? 1 : cpu_.sockets;
    auto tdp = lookup_cpu_tdp(cpu_.model, cpu_.logical_cpus, sockets);
    // 4 W per thread stays the figure: Cloud Carbon Footprint's per-microarchitecture watts did
    // worse on the measured CPUs (docs/measurement.md); the name says what the CPU is.
    if (!tdp.matched && !found_.machine.cpu_microarchitecture.empty())
      tdp.identified_as = found_.machine.cpu_microarchitecture;
    bool model_cpu = !measured(Component::cpu);
    std::string why = model_cpu ? why_not_measured(zones_, availability_, Domain::cpu_package, roots_.sys) : "";
    try {
      found_.machine_cpu_time =
          std::make_shared<MachineCpuTime>(roots_.proc, std::chrono::milliseconds(1), clock_);
    } catch (const error&) {
      // The model's probe() says why.
    }
    auto cpu = found_.machine_cpu_time ? make_cpu_model_sensor(tdp, found_.machine_cpu_time, std::move(why))
                                       : make_cpu_model_sensor(tdp, roots_.proc, std::move(why), clock_);
    add_model(std::move(cpu), model_cpu, "cpu");

    bool model_ram = !measured(Component::ram);
    auto ram = make_ram_model_sensor(
        found_.machine.ram_total_gb,
        model_ram ? why_not_measured(zones_, availability_, Domain::dram, roots_.sys) : "", clock_);
    add_model(std::move(ram), model_ram, "ram");
  }

  void add_model(std::unique_ptr<Sensor> model, bool needed, std::string_view component) {
    auto availability = model->probe();
    bool selected = needed && availability.available;
    std::string verdict = selected    ? fmt::format("selected for {}: no readable counter", component)
                          : needed    ? "unavailable"
                                      : fmt::format("not needed: {} is measured by a counter", component);
    add(std::move(model), std::move(availability), selected, std::move(verdict));
  }

  const Roots& roots_;
  std::shared_ptr<Clock> clock_;
  detail::CpuInfo cpu_;
  std::vector<PowercapZone> zones_;
  std::vector<Availability> availability_;
  Discovery found_;
};

}  // namespace

Discovery discover(const Roots& roots, std::shared_ptr<Clock> clock) {
  return Discoverer(roots, std::move(clock)).run();
}

}  // namespace greentrain::sensors
