// greentrain regions: rank cloud regions by expected grid intensity x PUE for a job, offline on
// the embedded tables (or live data with --live when the regions component is built in).
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <set>

#include "command.hpp"
#include "greentrain/error.hpp"
#include "greentrain/intensity/embedded.hpp"
#include "greentrain/intensity/time_text.hpp"
#include "greentrain/region_picker.hpp"
#include "greentrain/scheduling/estimate.hpp"
#include "intensity/embedded_tables.hpp"
#include "json_text.hpp"
#include "live_source.hpp"
#include "redacted_output.hpp"

namespace greentrain::cli {

namespace {

using Json = nlohmann::ordered_json;

struct RegionsFlags {
  std::vector<std::string> providers, countries, zones, excluded;
  std::optional<std::string> near, baseline, start, power_from;
  std::optional<double> max_km, power_w;
  std::chrono::milliseconds duration = std::chrono::hours{1};
  std::size_t top = 20;
  bool json = false, live = false, list_zones = false;
};

std::optional<GeoPoint> parse_point(const std::string& text) {
  double lat = 0, lon = 0;
  char comma = 0, rest = 0;
  if (std::sscanf(text.c_str(), "%lf %c %lf %c", &lat, &comma, &lon, &rest) != 3 || comma != ',' ||
      !std::isfinite(lat) || !std::isfinite(lon) || std::abs(lat) > 90 || std::abs(lon) > 180)
    return std::nullopt;
  return GeoPoint{lat, lon};
}

std::set<std::string> catalog_providers() {
  std::set<std::string> providers;
  for (const auto& region : RegionCatalog::embedded().regions()) providers.insert(region.provider);
  return providers;
}

std::string provider_check(const std::string& name) {
  auto known = catalog_providers();
  if (name == "all" || known.contains(name)) return "";
  return fmt::format("unknown provider '{}'; expected all or one of {}", name,
                     fmt::join(known, ", "));
}

std::string country_check(const std::string& code) {
  return find_country(code)
             ? ""
             : fmt::format("unknown country '{}'; write ISO-2 (FR) or ISO-3 (FRA)", code);
}

std::string zone_check(const std::string& key) {
  return detail::find_zone(detail::embedded_tables(), key)
             ? ""
             : fmt::format("unknown zone '{}'; `greentrain regions --zones` lists them", key);
}

std::string region_check(const std::string& key) {
  auto location = Location::parse_cloud(key);
  if (location && RegionCatalog::embedded().find(location->provider, location->key)) return "";
  return fmt::format(
      "unknown region '{}'; expected PROVIDER:REGION as "
      "`greentrain regions` lists",
      key);
}

PickerOptions picker_options(const RegionsFlags& flags) {
  PickerOptions options;
  if (std::find(flags.providers.begin(), flags.providers.end(), "all") == flags.providers.end())
    options.constraints.providers = flags.providers;
  options.constraints.countries = flags.countries;
  options.constraints.zones = flags.zones;
  options.constraints.excluded = flags.excluded;
  if (flags.near) options.constraints.near = parse_point(*flags.near);
  options.constraints.max_km = flags.max_km;
  options.baseline = flags.baseline;
  return options;
}

Job job_from(const RegionsFlags& flags) {
  Job job;
  job.start =
      flags.start
          ? *parse_utc_time(*flags.start)
          : std::chrono::time_point_cast<SystemTime::duration>(std::chrono::system_clock::now());
  job.duration = std::chrono::duration_cast<std::chrono::seconds>(flags.duration);
  if (flags.power_w) job.power = Watts{*flags.power_w};
  if (flags.power_from) job.power = scheduling::power_from_emissions_csv(*flags.power_from);
  return job;
}

// `--zones` alone: every grid zone of the embedded tables with its figure and source.
void print_zones(bool json) {
  const auto& tables = detail::embedded_tables();
  std::set<std::string> keys;
  for (const auto& [key, figure] : tables.zones_2025) keys.insert(key);
  for (const auto& [key, figure] : tables.zones_2024) keys.insert(key);
  EmbeddedProvider embedded;
  auto now = std::chrono::system_clock::now();
  Json zones = Json::array();
  for (const auto& key : keys) {
    auto reading = embedded.intensity_at(Location::zone(key), now);
    const auto* figure = detail::find_zone(tables, key);
    if (json) {
      zones.push_back({{"zone", key},
                       {"name", figure->name},
                       {"intensity_g_per_kwh", json_figure<Json>(reading.intensity.value, 2)},
                       {"source", reading.provenance.source}});
    } else {
      cli::print("{:<16} {:<40.40} {:>6.0f} g/kWh  {}\n", key, figure->name,
                 reading.intensity.value, reading.provenance.source);
    }
  }
  if (json)
    cli::print("{}\n", json_text(Json{{"zones", std::move(zones)}}));
  else
    cli::print(
        "\n{} zones (--zone KEY). --country takes ISO 3166 codes (FR, "
        "FRA) and answers "
        "from Ember's national figures instead.\n",
        keys.size());
}

void print_json(const RegionRanking& ranking, std::size_t top) {
  auto entry = [](const RegionEstimate& e) -> Json {
    return {{"region", e.region.key()},
            {"site", e.region.site},
            {"zone", e.region.zone},
            {"intensity_g_per_kwh", json_figure<Json>(e.intensity.value, 2)},
            {"pue", json_figure<Json>(e.region.pue, 3)},
            {"effective_g_per_kwh", json_figure<Json>(e.effective.value, 2)},
            {"signal", to_string(e.signal)},
            {"basis", to_string(e.provenance.basis)},
            {"source", e.provenance.source},
            {"from_forecast", e.from_forecast},
            {"google_cfe", json_figure<Json>(e.region.google_cfe, 2)},
            {"distance_km", json_figure<Json>(e.distance_km, 0)},
            {"energy_kwh", json_figure<Json>(e.energy ? std::optional(e.energy->value) : std::nullopt, 4)},
            {"emissions_kg",
             json_figure<Json>(e.emissions ? std::optional(to_kg(*e.emissions)) : std::nullopt, 5)},
            {"saving_vs_baseline", json_figure<Json>(e.saving_vs_baseline, 4)},
            {"why", e.why}};
  };
  Json ranked = Json::array();
  for (std::size_t i = 0; i < std::min(top, ranking.ranked.size()); ++i)
    ranked.push_back(entry(ranking.ranked[i]));
  Json skipped = Json::array();
  for (const auto& s : ranking.skipped) skipped.push_back({{"region", s.region}, {"reason", s.reason}});
  Json document = {{"ranked", std::move(ranked)},
                   {"baseline", ranking.baseline ? entry(*ranking.baseline) : Json(nullptr)},
                   {"skipped", std::move(skipped)}};
  cli::print("{}\n", json_text(document));
}

void print_table(const RegionRanking& ranking, std::size_t top, const Job& job) {
  bool estimate = job.power.has_value();
  cli::print("{:>3}  {:<30} {:<20} {:<14} {:>6} {:>6} {:>6} {:>5}", "#", "region", "site", "zone",
             "grid", "PUE", "x PUE", "CFE");
  if (estimate) cli::print(" {:>9} {:>9}", "kWh", "kg CO2e");
  cli::print("  source\n");
  for (std::size_t i = 0; i < std::min(top, ranking.ranked.size()); ++i) {
    const auto& e = ranking.ranked[i];
    cli::print("{:>3}  {:<30} {:<20.20} {:<14} {:>6.0f} {:>6.3f} {:>6.0f} {:>5}", i + 1,
               e.region.key(), e.region.site, e.region.zone, e.intensity.value, e.region.pue,
               e.effective.value,
               e.region.google_cfe ? fmt::format("{:.0f}%", *e.region.google_cfe * 100) : "");
    if (estimate) cli::print(" {:>9.3f} {:>9.4f}", e.energy->value, to_kg(*e.emissions));
    cli::print("  {}\n", e.provenance.source);
  }
  cli::print("\n{} of {} admitted regions shown (g/kWh; job {:.2f} h from {}",
             std::min(top, ranking.ranked.size()), ranking.ranked.size(),
             static_cast<double>(job.duration.count()) / 3600, format_utc_time(job.start));
  if (estimate) cli::print(", {:g} W", job.power->value);
  cli::print(").\n");
  if (!ranking.ranked.empty()) cli::print("best: {}\n", ranking.ranked.front().why);
  if (ranking.baseline) cli::print("baseline: {}\n", ranking.baseline->why);
}

int run(const RegionsFlags& flags) {
  if (flags.list_zones) {
    print_zones(flags.json);
    return 0;
  }
  auto provider = make_provider(flags.live);
  auto job = job_from(flags);
  auto options = picker_options(flags);
  auto ranking = RegionPicker(*provider).rank(job, options);
  if (flags.json) {
    print_json(ranking, flags.top);
  } else if (ranking.ranked.empty()) {
    cli::print(stderr,
               "no region is admitted by these constraints ({} skipped; --json lists why)\n",
               ranking.skipped.size());
  } else {
    print_table(ranking, flags.top, job);
  }
  return ranking.ranked.empty() ? 1 : 0;
}

Action define(Options& options) {
  auto flags = std::make_shared<RegionsFlags>();
  options.list("--provider", flags->providers, "P,...",
               fmt::format("the cloud providers to consider: all or some of {}",
                           fmt::join(catalog_providers(), ", ")),
               provider_check, "all");
  options.list("--countries", flags->countries, "C,...",
               "admit only regions in these countries, ISO-2 or ISO-3 (data residency)",
               country_check);
  options.list("--zones", flags->zones, "Z,...",
               "admit only regions on these Electricity Maps zones; alone, "
               "without a value, list "
               "every zone with its figure",
               zone_check, "any", &flags->list_zones);
  options.list("--exclude", flags->excluded, "P:R,...", "leave out these regions", region_check,
               "none");
  options.checked_text("--near", flags->near, "LAT,LON",
                       "admit only regions within --max-km of this point, in degrees "
                       "(48.86,2.35)",
                       [](const std::string& text) {
                         return parse_point(text)
                                    ? ""
                                    : fmt::format(
                                          "got '{}'; expected LAT,LON in degrees, latitude "
                                          "-90 to 90 and longitude -180 to 180 (48.86,2.35)",
                                          text);
                       });
  options.number("--max-km", flags->max_km, {.min = 0, .above = true}, "KM",
                 "the largest distance from --near, in km", "no limit");
  options.needs("--max-km", "--near");
  options.duration("--duration", flags->duration, std::chrono::seconds{1}, "how long the job runs");
  options.checked_text(
      "--start", flags->start, "ISO_TIME", "when the job starts, ISO 8601 (2025-06-01T09:00:00Z)",
      [](const std::string& text) {
        return parse_utc_time(text) ? ""
                                    : fmt::format(
                                          "got '{}'; expected an ISO 8601 time such as "
                                          "2025-06-01T09:00:00Z",
                                          text);
      },
      "now");
  options.number("--power", flags->power_w, {.min = 0, .above = true}, "W",
                 "the job's average IT power in watts: adds its energy and CO2e", "none");
  options.text("--power-from", flags->power_from, "EMISSIONS_CSV",
               "take the power from the last run of this emissions.csv");
  options.exclusive({"--power", "--power-from"});
  options.checked_text("--baseline", flags->baseline, "P:REGION",
                       "the region to compare against (aws:us-east-1)", region_check);
  options.count("--top", flags->top, 1, 100000, "N", "how many regions to show");
  options.flag("--live", flags->live,
               "live grid data (Electricity Maps with ELECTRICITYMAPS_API_KEY) "
               "instead of the "
               "embedded yearly tables");
  options.flag("--json", flags->json, "machine-readable output");
  options.footer(
      "Example: greentrain regions --countries FR,DE --duration 4h "
      "--power 300");
  return [flags] { return run(*flags); };
}

const Registration registration{{
    .name = "regions",
    .summary = "rank cloud regions by grid carbon intensity x PUE for a job "
               "(offline by default)",
    .define = define,
}};

}  // namespace

}  // namespace greentrain::cli
