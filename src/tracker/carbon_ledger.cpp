#include "tracker/carbon_ledger.hpp"

namespace greentrain::detail {

void TimeWeighted::add(std::optional<double> value, Seconds length) {
  if (!value || length.count() <= 0) return;
  integral += *value * length.count();
  time += length;
}

std::optional<double> TimeWeighted::mean_since(const TimeWeighted& start) const {
  Seconds span = time - start.time;
  if (span.count() <= 0) return std::nullopt;
  return (integral - start.integral) / span.count();
}

Usage usage_between(const UsageTotals& from, const UsageTotals& to) {
  Usage u;
  u.cpu_utilization_percent = to.cpu_percent.mean_since(from.cpu_percent);
  u.gpu_utilization_percent = to.gpu_percent.mean_since(from.gpu_percent);
  u.ram_used_gb = to.ram_used_gb.mean_since(from.ram_used_gb);
  u.ram_utilization_percent = to.ram_percent.mean_since(from.ram_percent);
  Joules machine = to.machine_cpu - from.machine_cpu;
  if (machine.value > 0) u.process_cpu_share = (to.attributed_cpu - from.attributed_cpu) / machine;
  return u;
}

void CarbonLedger::add_interval(Seconds length, const EnergyByComponent& energy,
                                const IntensityReading& intensity, const IntervalUsage& usage,
                                Joules machine_cpu) {
  auto& u = totals_.usage;
  u.cpu_percent.add(usage.cpu_percent, length);
  u.gpu_percent.add(usage.gpu_percent, length);
  u.ram_used_gb.add(usage.ram_used_gb, length);
  if (usage.ram_used_gb && usage.ram_total_gb && *usage.ram_total_gb > 0)
    u.ram_percent.add(100.0 * *usage.ram_used_gb / *usage.ram_total_gb, length);
  if (usage.process_cpu_share) {
    u.machine_cpu += machine_cpu;
    u.attributed_cpu += machine_cpu * *usage.process_cpu_share;
  }

  KilowattHours facility = to_kwh(energy.total()) * pue_;
  totals_.it_energy.joules[0] += energy.joules[0];
  totals_.it_energy.joules[1] += energy.joules[1];
  totals_.it_energy.joules[2] += energy.joules[2];
  totals_.facility_energy += facility;
  totals_.emissions += facility * intensity.intensity;
  totals_.measured_time += length;

  if (!has_intensity_) {
    intensity_provenance_ = intensity.provenance;
    has_intensity_ = true;
  } else if (intensity.provenance.source != intensity_provenance_.source &&
             intensity_provenance_.source.find(intensity.provenance.source) == std::string::npos) {
    intensity_provenance_.source += "; " + intensity.provenance.source;
    if (intensity.provenance.basis != intensity_provenance_.basis)
      intensity_provenance_.basis = Basis::default_table;  // mixed: report the weakest basis
  }
  intensity_provenance_.degraded |= intensity.provenance.degraded;
}

}  // namespace greentrain::detail
