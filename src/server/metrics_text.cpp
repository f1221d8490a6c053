#include "metrics_text.hpp"

#include <fmt/format.h>

#include "core/secrets.hpp"

namespace greentrain::detail {

std::string prometheus_label(std::string_view value) {
  std::string out;
  // Before the escapes, which would hide a secret holding a quote or a backslash.
  for (char c : redact(value)) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

std::string prometheus_text(const RunResult& run) {
  std::string run_labels =
      fmt::format(R"(project="{}",run="{}")", prometheus_label(run.info.project),
                  prometheus_label(run.info.run_id));
  const Emissions& t = run.total;
  Watts cpu_now = t.cpu.mean_power, gpu_now = t.gpu.mean_power, ram_now = t.ram.mean_power;
  GramsPerKwh intensity_now = t.mean_intensity;
  if (!run.samples.empty()) {
    const Sample& last = run.samples.back();
    cpu_now = last.cpu;
    gpu_now = last.gpu;
    ram_now = last.ram;
    intensity_now = last.intensity;
  }
  struct Component {
    std::string_view name;
    const ComponentFigures& figures;
    Watts now;
  };
  const Component components[] = {
      {"cpu", t.cpu, cpu_now}, {"gpu", t.gpu, gpu_now}, {"ram", t.ram, ram_now}};

  std::string text =
      "# HELP greentrain_energy_kwh_total IT energy used since the run started, before PUE.\n"
      "# TYPE greentrain_energy_kwh_total counter\n";
  for (const auto& c : components)
    if (c.figures.present)
      text += fmt::format("greentrain_energy_kwh_total{{{},component=\"{}\"}} {}\n", run_labels,
                          c.name, c.figures.energy.value);
  text += fmt::format(
      "# HELP greentrain_emissions_kg_total CO2e emitted since the run started, PUE included.\n"
      "# TYPE greentrain_emissions_kg_total counter\n"
      "greentrain_emissions_kg_total{{{}}} {}\n"
      "# HELP greentrain_power_watts Mean power over the last sampling interval.\n"
      "# TYPE greentrain_power_watts gauge\n",
      run_labels, t.emissions_kg());
  for (const auto& c : components)
    if (c.figures.present)
      text += fmt::format("greentrain_power_watts{{{},component=\"{}\"}} {}\n", run_labels, c.name,
                          c.now.value);
  text += fmt::format(
      "# HELP greentrain_intensity_grams_per_kwh Grid carbon intensity of the last interval.\n"
      "# TYPE greentrain_intensity_grams_per_kwh gauge\n"
      "greentrain_intensity_grams_per_kwh{{{}}} {}\n",
      run_labels, intensity_now.value);
  return text;
}

}  // namespace greentrain::detail
