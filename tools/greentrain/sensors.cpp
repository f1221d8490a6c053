// greentrain sensors: what can be measured here, what is modelled, and how to measure more.
#include <fmt/format.h>

#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "command.hpp"
#include "greentrain/sensors/discovery.hpp"
#include "json_text.hpp"
#include "redacted_output.hpp"
#include "tracking_options.hpp"

namespace greentrain::cli {

namespace {

using namespace greentrain::sensors;
using Json = nlohmann::ordered_json;

std::string_view kind_name(SignalKind kind) {
  switch (kind) {
    case SignalKind::energy_counter: return "energy";
    case SignalKind::power: return "power";
    case SignalKind::average_power: return "mean power";
  }
  return "unknown";
}

const Sensor* selected_sensor(const Discovery& found, std::string_view name) {
  for (const auto& sensor : found.selected)
    if (sensor->name() == name) return sensor.get();
  return nullptr;
}

std::string machine_line(const MachineInfo& m) {
  std::string gpus = m.gpu_count == 0 ? "no NVIDIA GPU" : fmt::format("{} x {}", m.gpu_count, m.gpu_model);
  std::string arch = m.cpu_microarchitecture.empty() ? "" : " [" + m.cpu_microarchitecture + "]";
  return fmt::format("{}{}, {} logical CPUs on {} socket(s), {:.1f} GB RAM, {}", m.cpu_model, arch,
                     m.cpu_count, m.cpu_sockets, m.ram_total_gb, gpus);
}

void print_text(const Discovery& found) {
  cli::print("Machine: {}\n\nSensors ([x] selected; selected ones are summed per component):\n",
             machine_line(found.machine));
  for (const auto& c : found.candidates) {
    cli::print("  [{}] {:<40} {:<11} {:<6} {}\n", c.selected ? 'x' : ' ', c.name, to_string(c.domain),
               kind_name(c.kind), c.availability.available ? "available" : "unavailable");
    cli::print("      {}\n", c.availability.reason);
    cli::print("      -> {}\n", c.verdict);
    if (const Sensor* sensor = selected_sensor(found, c.name))
      cli::print("      {} energy: {}\n", to_string(component_of(c.domain)), describe(sensor->provenance()));
    if (!c.availability.available && !c.availability.fix.empty())
      cli::print("      to enable: {}\n", c.availability.fix);
  }
  for (const auto& warning : found.warnings) cli::print("\nwarning: {}\n", warning);
}

void print_json(const Discovery& found) {
  const auto& m = found.machine;
  Json sensors = Json::array();
  for (const auto& c : found.candidates) {
    Json provenance = nullptr;
    if (const Sensor* sensor = selected_sensor(found, c.name)) {
      auto p = sensor->provenance();
      provenance = {{"basis", to_string(p.basis)},
                    {"source", p.source},
                    {"band_low", json_figure<Json>(p.band_low, 4)},
                    {"band_high", json_figure<Json>(p.band_high, 4)},
                    {"band_coverage", json_figure<Json>(p.band_coverage, 4)}};
    }
    sensors.push_back({{"name", c.name}, {"domain", to_string(c.domain)},
                       {"component", to_string(component_of(c.domain))}, {"kind", kind_name(c.kind)},
                       {"available", c.availability.available}, {"reason", c.availability.reason},
                       {"fix", c.availability.fix}, {"selected", c.selected}, {"verdict", c.verdict},
                       {"provenance", std::move(provenance)}});
  }
  Json document = {{"machine",
                    {{"cpu_model", m.cpu_model},
                     {"cpu_microarchitecture", m.cpu_microarchitecture},
                     {"cpu_count", m.cpu_count},
                     {"cpu_sockets", m.cpu_sockets},
                     {"gpu_model", m.gpu_model},
                     {"gpu_count", m.gpu_count},
                     {"ram_total_gb", json_figure<Json>(m.ram_total_gb, 3)}}},
                   {"sensors", std::move(sensors)},
                   {"warnings", found.warnings}};
  cli::print("{}\n", json_text(document, 2));
}

Action define(Options& options) {
  struct Flags {
    Roots roots;
    std::string sys = roots.sys.string(), proc = roots.proc.string();
    bool json = false;
  };
  auto flags = std::make_shared<Flags>();
  options.flag("--json", flags->json, "machine-readable output");
  options.text("--sys", flags->sys, "DIR", "root of /sys to read");
  options.text("--proc", flags->proc, "DIR", "root of /proc to read");
  options.text("--nvml", flags->roots.nvml_library, "LIBRARY", "NVML library to load");
  options.footer(modelled_power_note());
  return [flags] {
    flags->roots.sys = flags->sys;
    flags->roots.proc = flags->proc;
    auto found = discover(flags->roots);
    if (flags->json)
      print_json(found);
    else
      print_text(found);
    return 0;
  };
}

const Registration registration{{
    .name = "sensors",
    .summary = "list every sensor, available or not, why, and how to enable it",
    .define = define,
}};

}  // namespace

}  // namespace greentrain::cli
