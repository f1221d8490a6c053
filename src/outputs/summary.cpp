#include "greentrain/summary.hpp"

#include <fmt/format.h>

#include "core/secrets.hpp"

namespace greentrain {

namespace {

std::string component_line(std::string_view label, const ComponentFigures& c) {
  if (!c.present) return {};
  return fmt::format(" {} {:.3g} Wh at {:.3g} W mean, {}.", label, c.energy.value * 1000,
                     c.mean_power.value, describe(c.provenance));
}

std::string where(const RunInfo& info) {
  const auto& l = info.location;
  if (!l.cloud_region.empty()) return fmt::format("{}:{} ({})", l.cloud_provider, l.cloud_region, l.zone);
  if (!l.zone.empty()) return fmt::format("zone {}", l.zone);
  if (!l.country_name.empty()) return l.country_name;
  return "an unknown location";
}

}  // namespace

std::string summary(const RunResult& run) {
  const Emissions& t = run.total;
  std::string text = fmt::format(
      "greentrain: run {} of '{}' lasted {:.1f} s and used {:.3g} Wh (x PUE {}), emitting "
      "{:.3g} g CO2e in {} at {:.0f} g/kWh on average, {}.",
      run.info.run_id, run.info.project, t.duration.count(), t.energy.value * 1000, run.info.pue,
      t.emissions.value, where(run.info), t.mean_intensity.value,
      describe(t.intensity_provenance));
  text += component_line("CPU", t.cpu) + component_line("GPU", t.gpu) + component_line("RAM", t.ram);
  if (const auto& a = run.attribution)
    text += fmt::format(" Process tree {} used {:.0f} % of the busy CPU time: {:.3g} Wh of CPU energy "
                        "and {:.3g} g CO2e are attributed to it.",
                        a->pid, a->mean_cpu_share * 100, a->cpu_energy.value * 1000,
                        a->emissions.value);
  if (t.degraded) text += " Some figures are incomplete: a sensor or a provider failed during the run.";
  return detail::redact(text);
}

}  // namespace greentrain
