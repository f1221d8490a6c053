#include "tracker/run_figures.hpp"

namespace greentrain::detail {

namespace {

ComponentFigures component_figures(const EnergyMeter& meter, sensors::Component component,
                                   Joules energy, Seconds duration,
                                   const Attribution& attribution) {
  ComponentFigures figures;
  figures.energy = to_kwh(energy);
  figures.mean_power = duration.count() > 0 ? energy / duration : Watts{};
  for (const auto& sensor : meter.sensors()) {
    if (sensors::component_of(sensor->domain()) != component) continue;
    Provenance p = sensor->provenance();
    if (!figures.present) {
      figures.provenance = p;
      figures.present = true;
      continue;
    }
    auto& merged = figures.provenance;
    merged.source += " + " + p.source;
    if (p.basis != merged.basis) merged.basis = Basis::modelled;  // part measured, part modelled
    merged.band_low = std::min(merged.band_low, p.band_low);
    merged.band_high = std::max(merged.band_high, p.band_high);
  }
  if (figures.present) {
    figures.provenance.degraded |= meter.degraded(component);
    std::string attributed = attribution && component != sensors::Component::gpu
                                 ? attribution(component)
                                 : std::string();
    if (!attributed.empty()) figures.provenance.source += " " + attributed;
  }
  return figures;
}

}  // namespace

Emissions figures_between(const LedgerTotals& from, const LedgerTotals& to, SystemTime started,
                          SystemTime ended, const EnergyMeter& meter, const CarbonLedger& ledger,
                          std::string task, const Attribution& attribution) {
  using sensors::Component;
  Emissions e;
  e.task = std::move(task);
  e.started = started;
  e.ended = ended;
  e.duration = to.measured_time - from.measured_time;
  e.cpu = component_figures(meter, Component::cpu,
                            to.it_energy[Component::cpu] - from.it_energy[Component::cpu],
                            e.duration, attribution);
  e.gpu = component_figures(meter, Component::gpu,
                            to.it_energy[Component::gpu] - from.it_energy[Component::gpu],
                            e.duration, attribution);
  e.ram = component_figures(meter, Component::ram,
                            to.it_energy[Component::ram] - from.it_energy[Component::ram],
                            e.duration, attribution);
  e.energy = to.facility_energy - from.facility_energy;
  e.emissions = to.emissions - from.emissions;
  e.mean_intensity = e.energy.value > 0 ? GramsPerKwh{e.emissions.value / e.energy.value}
                                        : GramsPerKwh{};
  e.intensity_provenance = ledger.intensity_provenance();
  e.usage = usage_between(from.usage, to.usage);
  e.degraded = e.cpu.provenance.degraded || e.gpu.provenance.degraded ||
               e.ram.provenance.degraded || e.intensity_provenance.degraded;
  return e;
}

}  // namespace greentrain::detail
