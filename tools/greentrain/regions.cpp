// greentrain regions: rank cloud regions by expected grid intensity x PUE for a job, offline on
// the embedded tables (or live data with --live when the regions component is built in).
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>

#include "args.hpp"
#include "command.hpp"
#include "greentrain/error.hpp"
#include "greentrain/intensity/time_text.hpp"
#include "greentrain/region_picker.hpp"
#include "greentrain/scheduling/estimate.hpp"
#include "json_text.hpp"
#include "live_source.hpp"

namespace greentrain::cli {

namespace {

using Json = nlohmann::ordered_json;

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> items;
  std::size_t begin = 0;
  while (begin <= text.size()) {
    std::size_t comma = std::min(text.find(',', begin), text.size());
    if (comma > begin) items.push_back(text.substr(begin, comma - begin));
    begin = comma + 1;
  }
  return items;
}

GeoPoint parse_point(const std::string& text) {
  auto parts = split_list(text);
  double lat = 0, lon = 0;
  if (parts.size() != 2 || std::sscanf(parts[0].c_str(), "%lf", &lat) != 1 ||
      std::sscanf(parts[1].c_str(), "%lf", &lon) != 1 || std::abs(lat) > 90 || std::abs(lon) > 180)
    throw error(errc::invalid_argument,
                fmt::format("--near expects LAT,LON in degrees (48.86,2.35), got '{}'", text));
  return {lat, lon};
}

PickerOptions picker_options(const Args& args) {
  PickerOptions options;
  auto providers = args.get_or("provider", "all");
  if (providers != "all") options.constraints.providers = split_list(providers);
  if (auto countries = args.get("countries"))
    options.constraints.countries = split_list(*countries);
  for (const auto& code : options.constraints.countries)
    if (!find_country(code))
      throw error(
          errc::invalid_argument,
          fmt::format("unknown country '{}' in --countries; write ISO-2 (FR) or ISO-3 (FRA)",
                      code));
  if (auto zones = args.get("zones")) options.constraints.zones = split_list(*zones);
  if (auto excluded = args.get("exclude")) options.constraints.excluded = split_list(*excluded);
  if (auto near = args.get("near")) options.constraints.near = parse_point(*near);
  if (args.get("max-km")) {
    if (!options.constraints.near)
      throw error(errc::invalid_argument, "--max-km needs --near LAT,LON");
    options.constraints.max_km = args.number("max-km", 0);
  }
  options.baseline = args.get("baseline");
  return options;
}

Job job_from(const Args& args) {
  Job job;
  job.start = std::chrono::time_point_cast<SystemTime::duration>(std::chrono::system_clock::now());
  if (auto at = args.get("start")) {
    auto parsed = parse_utc_time(*at);
    if (!parsed)
      throw error(
          errc::invalid_argument,
          fmt::format("--start expects an ISO 8601 time (2025-06-01T09:00:00Z), got '{}'", *at));
    job.start = *parsed;
  }
  job.duration =
      std::chrono::seconds{std::llround(parse_duration_s(args.get_or("duration", "1h")))};
  if (args.get("power")) job.power = Watts{args.number("power", 0)};
  if (auto earlier = args.get("power-from")) {
    if (job.power) throw error(errc::invalid_argument, "give --power or --power-from, not both");
    job.power = scheduling::power_from_emissions_csv(*earlier);
  }
  return job;
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
  fmt::print("{}\n", json_text(document));
}

void print_table(const RegionRanking& ranking, std::size_t top, const Job& job) {
  bool estimate = job.power.has_value();
  fmt::print("{:>3}  {:<30} {:<20} {:<14} {:>6} {:>6} {:>6} {:>5}", "#", "region", "site", "zone",
             "grid", "PUE", "x PUE", "CFE");
  if (estimate) fmt::print(" {:>9} {:>9}", "kWh", "kg CO2e");
  fmt::print("  source\n");
  for (std::size_t i = 0; i < std::min(top, ranking.ranked.size()); ++i) {
    const auto& e = ranking.ranked[i];
    fmt::print("{:>3}  {:<30} {:<20.20} {:<14} {:>6.0f} {:>6.3f} {:>6.0f} {:>5}", i + 1,
               e.region.key(), e.region.site, e.region.zone, e.intensity.value, e.region.pue,
               e.effective.value,
               e.region.google_cfe ? fmt::format("{:.0f}%", *e.region.google_cfe * 100) : "");
    if (estimate) fmt::print(" {:>9.3f} {:>9.4f}", e.energy->value, to_kg(*e.emissions));
    fmt::print("  {}\n", e.provenance.source);
  }
  fmt::print("\n{} of {} admitted regions shown (g/kWh; job {:.2f} h from {}",
             std::min(top, ranking.ranked.size()), ranking.ranked.size(),
             static_cast<double>(job.duration.count()) / 3600, format_utc_time(job.start));
  if (estimate) fmt::print(", {:g} W", job.power->value);
  fmt::print(").\n");
  if (!ranking.ranked.empty()) fmt::print("best: {}\n", ranking.ranked.front().why);
  if (ranking.baseline) fmt::print("baseline: {}\n", ranking.baseline->why);
}

int run(std::span<const std::string_view> raw) {
  Args args(raw,
            {"provider", "countries", "zones", "exclude", "near", "max-km", "duration", "power",
             "power-from", "top", "baseline", "start"},
            {"json", "live"});
  auto provider = make_provider(args.flag("live"));
  auto job = job_from(args);
  auto options = picker_options(args);
  auto ranking = RegionPicker(*provider).rank(job, options);
  double top = args.number("top", 20);
  if (top < 1) throw error(errc::invalid_argument, "--top must be at least 1");
  auto shown = static_cast<std::size_t>(top);
  if (args.flag("json")) {
    print_json(ranking, shown);
  } else if (ranking.ranked.empty()) {
    fmt::print(stderr,
               "no region is admitted by these constraints ({} skipped; --json lists why)\n",
               ranking.skipped.size());
  } else {
    print_table(ranking, shown, job);
  }
  return ranking.ranked.empty() ? 1 : 0;
}

const Registration registration{{
    "regions",
    "rank cloud regions by grid carbon intensity x PUE for a job (offline by default)",
    "greentrain regions [--provider aws|gcp|azure|all] [--countries A,B] [--zones Z,...]\n"
    "                   [--exclude P:R,...] [--near LAT,LON --max-km N] [--duration 4h]\n"
    "                   [--start ISO] [--power W | --power-from EMISSIONS_CSV]\n"
    "                   [--baseline P:REGION] [--live] [--top N]\n"
    "                   [--json]",
    run,
}};

}  // namespace

}  // namespace greentrain::cli
