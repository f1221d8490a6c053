#include "tracker/carbon_ledger.hpp"

namespace greentrain::detail {

void CarbonLedger::add_interval(Seconds length, const EnergyByComponent& energy,
                                const IntensityReading& intensity) {
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
