#pragma once
// What a run or a task emitted: energy per component, CO2e, and where each figure came from.
#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "greentrain/intensity/location.hpp"
#include "greentrain/provenance.hpp"
#include "greentrain/units.hpp"

namespace greentrain {

using SystemTime = std::chrono::system_clock::time_point;

enum class TrackingMode { machine, process };

struct ComponentFigures {
  KilowattHours energy{};  // IT energy, before PUE
  Watts mean_power{};
  Provenance provenance;
  bool present = false;    // a sensor or model covered this component
};

// Machine usage over a run's or a task's own intervals (time-weighted means), for CodeCarbon's
// utilisation columns.
struct Usage {
  std::optional<double> cpu_utilization_percent;
  std::optional<double> gpu_utilization_percent;
  std::optional<double> ram_utilization_percent;
  std::optional<double> ram_used_gb;
  // The tracked process tree's share of the machine's busy CPU time, weighted by CPU energy
  // (process mode, or machine mode with a pid to attribute to).
  std::optional<double> process_cpu_share;
};

struct Emissions {
  std::string task;        // empty for the whole run
  SystemTime started{};
  SystemTime ended{};
  Seconds duration{};
  ComponentFigures cpu, gpu, ram;
  KilowattHours energy{};  // (cpu + gpu + ram) x PUE
  GramsCo2e emissions{};   // sum over intervals of kWh_i x intensity_i x PUE
  GramsPerKwh mean_intensity{};  // energy-weighted over the intervals
  Provenance intensity_provenance;
  Usage usage;
  bool degraded = false;

  double emissions_kg() const { return to_kg(emissions); }
  double emissions_rate_kg_per_s() const {
    return duration.count() > 0 ? emissions_kg() / duration.count() : 0.0;
  }
};

// What does not change during a run: who, where, on what.
struct RunInfo {
  std::string project;
  std::string run_id;
  std::string experiment_id;
  // The tool whose figures these are: "greentrain 0.5.0" for a tracked run, or the tool that
  // wrote the emissions.csv row `report` read ("CodeCarbon 2.3.4").
  std::string measured_by;
  TrackingMode mode = TrackingMode::machine;
  ResolvedLocation location;
  double pue = 1.0;
  std::string os;
  std::string cpu_model;
  int cpu_count = 0;
  std::string gpu_model;
  int gpu_count = 0;
  double ram_total_gb = 0.0;
};

// The part of the machine's CPU energy that belongs to one process tree, by its share of the
// machine's busy CPU time in each interval.
struct ProcessAttribution {
  int pid = 0;
  double mean_cpu_share = 0.0;  // energy-weighted over the intervals
  KilowattHours cpu_energy{};   // IT energy, before PUE
  GramsCo2e emissions{};        // x PUE x the intensity of each interval
};

// One point of the run's time series: the mean power of each component and the grid intensity
// over the interval that ended at `time`, and the emissions of the run up to then.
struct Sample {
  SystemTime time{};   // end of the interval
  Seconds duration{};  // the interval's length; long runs merge neighbouring intervals
  Watts cpu{}, gpu{}, ram{};
  GramsPerKwh intensity{};
  GramsCo2e cumulative{};  // x PUE, since the start of the run
};

struct RunResult {
  RunInfo info;
  Emissions total;
  std::vector<Emissions> tasks;                   // in the order they ended
  std::optional<ProcessAttribution> attribution;  // machine mode with a pid to attribute to
  std::vector<Sample> samples;  // oldest first, bounded: a long run keeps coarser points
};

}  // namespace greentrain
