#include "greentrain/region_picker.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "scheduling/expected_intensity.hpp"
#include "greentrain/error.hpp"
#include "greentrain/scheduling/window.hpp"
#include "core/key_text.hpp"

namespace greentrain {

namespace {

using detail::iequals;

bool listed(const std::vector<std::string>& list, std::string_view value) {
  return std::any_of(list.begin(), list.end(),
                     [&](const std::string& v) { return iequals(v, value); });
}

bool country_allowed(const std::vector<std::string>& countries, const std::string& alpha2) {
  return std::any_of(countries.begin(), countries.end(), [&](const std::string& c) {
    if (iequals(c, alpha2)) return true;
    auto country = find_country(c);
    return country && iequals(country->alpha2, alpha2);
  });
}

const CloudRegion& baseline_region(const RegionCatalog& catalog, const std::string& key) {
  auto location = Location::parse_cloud(key);
  const CloudRegion* region = location ? catalog.find(location->provider, location->key) : nullptr;
  if (region) return *region;
  std::vector<std::string> keys;
  for (const auto& r : catalog.regions()) keys.push_back(r.key());
  throw error(errc::unknown_location,
              fmt::format("unknown baseline region '{}'; nearest: {}; write it as provider:region",
                          key, fmt::join(detail::nearest_keys(key, keys), ", ")));
}

RegionEstimate make_estimate(const CloudRegion& region, GramsPerKwh intensity, Signal signal,
                             Provenance provenance, bool from_forecast) {
  RegionEstimate e;
  e.region = region;
  e.intensity = intensity;
  e.signal = signal;
  e.provenance = std::move(provenance);
  e.from_forecast = from_forecast;
  return e;
}

void add_estimate(RegionEstimate& e, const Job& job) {
  e.effective = e.intensity * e.region.pue;
  if (job.power) {
    e.energy = to_kwh(*job.power * Seconds(job.duration)) * e.region.pue;
    e.emissions = *e.energy * e.intensity;
  }
}

std::string explanation(const RegionEstimate& e, const std::optional<RegionEstimate>& baseline) {
  std::string why =
      fmt::format("{} ({}): {:.0f} g/kWh {} [{}] x PUE {:.4g} = {:.0f} g/kWh", e.region.key(),
                  e.region.site, e.intensity.value,
                  e.from_forecast ? "averaged over the job from the forecast" : "current figure",
                  e.provenance.source, e.region.pue, e.effective.value);
  if (e.price_per_hour)
    why += fmt::format("; price {:.3g}/h, score {:.0f}", *e.price_per_hour, e.score);
  if (baseline && e.saving_vs_baseline)
    why += fmt::format("; {:.0f} % {} than baseline {} ({:.0f} g/kWh)",
                       std::abs(*e.saving_vs_baseline) * 100,
                       *e.saving_vs_baseline >= 0 ? "less" : "more", baseline->region.key(),
                       baseline->effective.value);
  return why;
}

}  // namespace

RegionPicker::RegionPicker(IntensityProvider& provider, const RegionCatalog& catalog)
    : provider_(&provider), catalog_(&catalog) {}

std::optional<std::string> RegionPicker::rejection(const CloudRegion& region,
                                                   const RegionConstraints& c) const {
  if (!c.providers.empty() && !listed(c.providers, region.provider))
    return fmt::format("provider {} not allowed", region.provider);
  if (listed(c.excluded, region.key())) return std::string("excluded");
  if (!c.countries.empty() && !country_allowed(c.countries, region.country_iso2()))
    return fmt::format("country {} not allowed", region.country_iso2().empty()
                                                     ? std::string("unknown")
                                                     : region.country_iso2());
  if (!c.zones.empty() && !listed(c.zones, region.zone))
    return fmt::format("zone {} not allowed", region.zone.empty() ? "unknown" : region.zone);
  if (c.near && c.max_km) {
    if (!region.position) return std::string("position unknown, distance limit set");
    double km = great_circle_km(*c.near, *region.position);
    if (km > *c.max_km) return fmt::format("{:.0f} km away, limit {:.0f} km", km, *c.max_km);
  }
  return std::nullopt;
}

RegionRanking RegionPicker::rank(const Job& job, const PickerOptions& options) const {
  if (job.duration.count() <= 0)
    throw error(errc::invalid_argument, "a job must last longer than 0 s");
  RegionRanking ranking;
  std::optional<Signal> signal;
  auto estimate = [&](const CloudRegion& region) -> std::optional<RegionEstimate> {
    std::string failure;
    auto expected = decide::expected_intensity(*provider_, region, job.start,
                                               job.start + job.duration, failure);
    if (!expected) {
      ranking.skipped.push_back({region.key(), failure});
      return std::nullopt;
    }
    auto e = make_estimate(region, expected->intensity, expected->signal,
                           std::move(expected->provenance), expected->from_forecast);
    add_estimate(e, job);
    if (options.constraints.near && region.position)
      e.distance_km = great_circle_km(*options.constraints.near, *region.position);
    return e;
  };
  if (options.baseline) {
    ranking.baseline = estimate(baseline_region(*catalog_, *options.baseline));
    if (ranking.baseline) signal = ranking.baseline->signal;
  }
  std::vector<const CloudRegion*> admitted;
  std::vector<Location> locations;
  for (const auto& region : catalog_->regions()) {
    if (auto why_not = rejection(region, options.constraints)) {
      ranking.skipped.push_back({region.key(), *why_not});
      continue;
    }
    admitted.push_back(&region);
    locations.push_back(Location::cloud(region.provider, region.region));
  }
  provider_->prefetch(locations, job.start);  // a live provider fetches them all concurrently
  for (const CloudRegion* admitted_region : admitted) {
    const CloudRegion& region = *admitted_region;
    auto e = estimate(region);
    if (!e) continue;
    if (!signal) signal = e->signal;
    if (e->signal != *signal) {
      ranking.skipped.push_back(
          {region.key(), fmt::format("{} signal is not comparable with {}", to_string(e->signal),
                                     to_string(*signal))});
      continue;
    }
    e->score = e->effective.value;
    if (options.price.weight != 0) {
      auto price = options.price.price_per_hour.find(region.key());
      if (price == options.price.price_per_hour.end()) {
        ranking.skipped.push_back(
            {region.key(), "no price per hour given while prices are weighed"});
        continue;
      }
      e->price_per_hour = price->second;
      e->score += options.price.weight * price->second;
    }
    ranking.ranked.push_back(std::move(*e));
  }
  std::stable_sort(
      ranking.ranked.begin(), ranking.ranked.end(),
      [](const RegionEstimate& a, const RegionEstimate& b) { return a.score < b.score; });
  for (auto& e : ranking.ranked) {
    if (ranking.baseline && ranking.baseline->effective.value > 0)
      e.saving_vs_baseline = 1.0 - e.effective / ranking.baseline->effective;
    e.why = explanation(e, ranking.baseline);
  }
  if (ranking.baseline) ranking.baseline->why = explanation(*ranking.baseline, std::nullopt);
  return ranking;
}

PlacementPlan RegionPicker::plan(const Job& job, SystemTime deadline,
                                 const PickerOptions& options) const {
  if (job.start + job.duration > deadline)
    throw error(errc::invalid_argument, "the deadline leaves no room for the job after its start");
  PlacementPlan plan;
  for (const auto& region : catalog_->regions()) {
    if (auto why_not = rejection(region, options.constraints)) {
      plan.skipped.push_back({region.key(), *why_not});
      continue;
    }
    auto location = Location::cloud(region.provider, region.region);
    ProviderFault fault;
    auto forecast = provider_->forecast(location, job.start, deadline, fault);
    Placement placement;
    if (!fault && !forecast.points.empty()) {
      try {
        // A forecast may stop short of the deadline: choose among the starts it can judge.
        const auto& last = forecast.points.back();
        SystemTime horizon = std::min(deadline, last.time + last.duration);
        auto best = scheduling::best_windows(forecast.points, job.duration, job.start, horizon);
        auto at_start =
            scheduling::average_over_period(forecast.points, job.start, job.start + job.duration);
        placement.start = best.front().time;
        for (const auto& w : best) placement.tied_starts.push_back(w.time);
        placement.estimate = make_estimate(region, best.front().intensity, forecast.signal,
                                           forecast.provenance, true);
        placement.effective_at_job_start = at_start * region.pue;
      } catch (const error& e) {
        plan.skipped.push_back({region.key(), e.what()});
        continue;
      }
    } else {
      auto reading = provider_->intensity_at(location, job.start, fault);
      if (fault) {
        plan.skipped.push_back({region.key(), provider_->reason(location, fault)});
        continue;
      }
      placement.start = job.start;
      placement.tied_starts = {job.start};
      placement.estimate =
          make_estimate(region, reading.intensity, reading.signal, reading.provenance, false);
      placement.effective_at_job_start = reading.intensity * region.pue;
    }
    Job chosen = job;
    chosen.start = placement.start;
    add_estimate(placement.estimate, chosen);
    placement.estimate.score = placement.estimate.effective.value;
    placement.estimate.why = explanation(placement.estimate, std::nullopt);
    plan.placements.push_back(std::move(placement));
  }
  std::stable_sort(plan.placements.begin(), plan.placements.end(),
                   [](const Placement& a, const Placement& b) {
                     return a.estimate.effective < b.estimate.effective;
                   });
  return plan;
}

}  // namespace greentrain
