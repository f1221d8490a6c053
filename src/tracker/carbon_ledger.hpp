#pragma once
// Integrates emissions interval by interval: each interval's energy is multiplied by the intensity
// of that interval, because a long run crosses day and night and one average would be wrong.
#include <array>
#include <string>

#include "greentrain/emissions.hpp"
#include "greentrain/intensity/provider.hpp"
#include "greentrain/sensors/sensor.hpp"

namespace greentrain::detail {

struct EnergyByComponent {
  std::array<Joules, 3> joules{};  // indexed by sensors::Component

  Joules& operator[](sensors::Component c) { return joules[static_cast<std::size_t>(c)]; }
  Joules operator[](sensors::Component c) const { return joules[static_cast<std::size_t>(c)]; }
  Joules total() const { return joules[0] + joules[1] + joules[2]; }
};

// Running totals; a snapshot of them at a task's start is subtracted at its end.
struct LedgerTotals {
  EnergyByComponent it_energy;
  GramsCo2e emissions{};
  KilowattHours facility_energy{};  // x PUE
  Seconds measured_time{};
};

class CarbonLedger {
 public:
  explicit CarbonLedger(double pue) : pue_(pue) {}

  void add_interval(Seconds length, const EnergyByComponent& energy,
                    const IntensityReading& intensity);

  const LedgerTotals& totals() const { return totals_; }
  double pue() const { return pue_; }
  // The sources of every intensity used, joined: "Electricity Maps 2025 yearly average, zone FR".
  const Provenance& intensity_provenance() const { return intensity_provenance_; }

 private:
  double pue_;
  LedgerTotals totals_;
  Provenance intensity_provenance_;
  bool has_intensity_ = false;
};

}  // namespace greentrain::detail
