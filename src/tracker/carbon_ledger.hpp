#pragma once
// Integrates emissions interval by interval: each interval's energy is multiplied by the intensity
// of that interval, because a long run crosses day and night and one average would be wrong.
#include <array>
#include <optional>
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

// What was read of the machine's use over one interval; empty where it could not be read.
struct IntervalUsage {
  std::optional<double> cpu_percent;
  std::optional<double> gpu_percent;
  std::optional<double> ram_used_gb;
  std::optional<double> ram_total_gb;
  std::optional<double> process_cpu_share;  // of busy CPU time, when a process is tracked
};

// A utilisation integrated over the intervals it was read in, so that a task's mean is the
// difference of two snapshots over its own time, as its energy is.
struct TimeWeighted {
  double integral = 0;  // value x seconds
  Seconds time{};

  void add(std::optional<double> value, Seconds length);
  std::optional<double> mean_since(const TimeWeighted& start) const;
};

struct UsageTotals {
  TimeWeighted cpu_percent, gpu_percent, ram_used_gb, ram_percent;
  Joules machine_cpu{};     // CPU energy of the intervals with a process share
  Joules attributed_cpu{};  // the process tree's part of it
};

// Running totals; a snapshot of them at a task's start is subtracted at its end.
struct LedgerTotals {
  EnergyByComponent it_energy;
  GramsCo2e emissions{};
  KilowattHours facility_energy{};  // x PUE
  Seconds measured_time{};
  UsageTotals usage;
};

// The usage between two snapshots of the totals.
Usage usage_between(const UsageTotals& from, const UsageTotals& to);

class CarbonLedger {
 public:
  explicit CarbonLedger(double pue) : pue_(pue) {}

  // `energy` is the machine's CPU energy before any process attribution, so that the process
  // share is weighted by it.
  void add_interval(Seconds length, const EnergyByComponent& energy,
                    const IntensityReading& intensity, const IntervalUsage& usage = {},
                    Joules machine_cpu = {});

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
