#pragma once
// Where and when to run a job: ranks cloud regions by the intensity expected over the job x PUE,
// under the user's constraints, estimates each region's energy and CO2e before the run, and finds
// the best (region, start) pair before a deadline. Works with any IntensityProvider: forecasts
// where the provider has them, else its current reading (the embedded yearly figure offline).
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "greentrain/intensity/catalog.hpp"
#include "greentrain/intensity/provider.hpp"

namespace greentrain {

struct Job {
  SystemTime start{};
  std::chrono::seconds duration{3600};
  std::optional<Watts> power;  // expected average IT power; enables the energy and CO2e estimate
};

struct RegionConstraints {
  std::vector<std::string> providers;  // "aws", "gcp", "azure", ...; empty: any
  std::vector<std::string> countries;  // ISO-2 or ISO-3 (data residency); empty: any
  std::vector<std::string> zones;      // Electricity Maps zone keys; empty: any
  std::vector<std::string> excluded;   // region keys, "aws:eu-west-3"
  std::optional<GeoPoint> near;        // with max_km: a stand-in for latency
  std::optional<double> max_km;
};

// Another cost the user weighs against carbon: score = effective g/kWh + weight x price per hour.
struct PriceWeight {
  std::map<std::string, double, std::less<>> price_per_hour;  // by region key
  double weight = 0;  // g/kWh that one unit of price per hour is worth to the user
};

struct PickerOptions {
  RegionConstraints constraints;
  std::optional<std::string> baseline;  // region key to compare against ("aws:us-east-1")
  PriceWeight price;
};

struct RegionEstimate {
  CloudRegion region;
  GramsPerKwh intensity{};  // grid intensity expected over the job
  GramsPerKwh effective{};  // x PUE: what each kWh of IT energy emits
  Signal signal = Signal::average;
  Provenance provenance;
  bool from_forecast = false;  // false: the provider's reading at the job start
  std::optional<double> distance_km;
  std::optional<KilowattHours> energy;  // power x duration x PUE
  std::optional<GramsCo2e> emissions;
  std::optional<double> price_per_hour;
  double score = 0;                          // what the ranking sorts by, lower first
  std::optional<double> saving_vs_baseline;  // 0.4: 40 % less CO2e than the baseline
  std::string why;  // the figures compared and their sources, in one sentence
};

struct SkippedRegion {
  std::string region;  // key
  std::string reason;
};

struct RegionRanking {
  std::vector<RegionEstimate> ranked;  // best first
  std::optional<RegionEstimate> baseline;
  std::vector<SkippedRegion> skipped;  // filtered out, or the provider had no figure
};

// A region with its best start before the deadline.
struct Placement {
  RegionEstimate estimate;  // for the chosen start
  SystemTime start{};
  std::vector<SystemTime> tied_starts;   // every start with the same average, chosen one first
  GramsPerKwh effective_at_job_start{};  // x PUE, starting at Job::start instead
};

struct PlacementPlan {
  std::vector<Placement> placements;   // best (region, start) first
  std::vector<SkippedRegion> skipped;  // filtered out, or no figure covering the period
};

class RegionPicker {
 public:
  // Neither is owned; both must outlive the picker.
  explicit RegionPicker(IntensityProvider& provider,
                        const RegionCatalog& catalog = RegionCatalog::embedded());

  RegionRanking rank(const Job& job, const PickerOptions& options = {}) const;

  // For each admitted region, the best start in [job.start, deadline - duration] (Carbon Aware SDK
  // windows over its forecast, up to where the forecast ends; a provider without forecasts gives
  // job.start). Best pair first.
  PlacementPlan plan(const Job& job, SystemTime deadline, const PickerOptions& options = {}) const;

  // The reason a region is not admitted by the constraints, or nullopt.
  std::optional<std::string> rejection(const CloudRegion& region,
                                       const RegionConstraints& constraints) const;

 private:
  IntensityProvider* provider_;
  const RegionCatalog* catalog_;
};

}  // namespace greentrain
