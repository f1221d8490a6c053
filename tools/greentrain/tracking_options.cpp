#include "tracking_options.hpp"

#include <fmt/format.h>

#include <charconv>
#include <span>
#include <tuple>

#include "config_flags.hpp"
#include "greentrain/emissions.hpp"
#include "greentrain/sensors/cpu_model.hpp"
#include "greentrain/tracker.hpp"
#include "redacted_output.hpp"

namespace greentrain::cli {

namespace {

constexpr std::string_view location_flags[] = {"--zone", "--country", "--cloud"};
constexpr std::string_view tracking_flags[] = {"--output-dir", "--interval", "--pue",
                                               "--intensity",  "--project",  "--cpu-power",
                                               "--ram-power",  "--gpu-power"};

std::string cloud_form(const std::string& text) {
  return Location::parse_cloud(text) ? ""
                                     : fmt::format(
                                           "got '{}'; expected PROVIDER:REGION, such as "
                                           "gcp:europe-west9 or "
                                           "aws:eu-west-3 (`greentrain regions` lists them)",
                                           text);
}

}  // namespace

std::optional<Location> LocationFlags::location() const {
  if (zone) return Location::zone(*zone);
  if (country) return Location::country(*country);
  if (cloud) return Location::parse_cloud(*cloud);
  return std::nullopt;
}

std::string LocationFlags::key() const {
  return zone ? *zone : country ? *country : cloud.value_or("");
}

void LocationFlags::fill_from_config() {
  if (location()) return;
  Config config = load_config_with_flags([](std::string_view) { return std::nullopt; });
  zone = config.text("zone");
  if (!zone) country = config.text("country");
  if (!zone && !country) cloud = config.text("cloud");
}

void add_location_options(Options& options, LocationFlags& flags) {
  options.text("--zone", flags.zone, "ZONE",
               "the Electricity Maps zone the power comes from (FR, DE, "
               "US-CAL-CISO; `greentrain "
               "regions --zones` lists them), answered by the Electricity Maps "
               "yearly average",
               "none: the world average");
  options.text("--country", flags.country, "COUNTRY",
               "the country, ISO 3166 alpha-2 or alpha-3 (FR, FRA), answered "
               "by Ember's yearly "
               "national average, a different table from --zone's, so FR "
               "differs from --zone FR",
               "none");
  options.checked_text("--cloud", flags.cloud, "PROVIDER:REGION",
                       "the cloud region (gcp:europe-west9, aws:eu-west-3): "
                       "the zone of its data "
                       "centre and the provider's published PUE",
                       cloud_form, "none");
  options.exclusive({"--zone", "--country", "--cloud"});
}

void add_tracking_options(Options& options, TrackingFlags& flags, std::string project_default) {
  add_location_options(options, flags.location);
  options.text("--output-dir", flags.output_dir, "DIR",
               "the folder for emissions.csv and the run's JSON (and reports)");
  options.duration("--interval", flags.interval, std::chrono::milliseconds{1},
                   "time between two samples of the sensors");
  options.number("--pue", flags.pue, {.min = 1}, "X",
                 "power usage effectiveness of the data centre, at least 1",
                 "the cloud provider's published PUE with --cloud, else 1.0");
  options.number("--intensity", flags.intensity_g_per_kwh, {.min = 0}, "G_PER_KWH",
                 "force the grid carbon intensity, in g CO2e/kWh (labelled as "
                 "given by you)",
                 "from the location");
  options.text("--project", flags.project, "NAME", "the project name in emissions.csv",
               std::move(project_default));
  for (auto [flag, value, what] : {std::tuple{"--cpu-power", &flags.cpu_power, "the CPUs'"},
                                   std::tuple{"--ram-power", &flags.ram_power, "the RAM's"},
                                   std::tuple{"--gpu-power", &flags.gpu_power, "the GPUs'"}})
    options.number(flag, *value, {.min = 0, .max = 100000, .above = true}, "W",
                   fmt::format("{} power in watts, as you measured it (at the wall, say): used "
                               "instead of any sensor or model and labelled as given by you",
                               what),
                   "the sensors, else the models");
  flags.declared_in = &options;
}

void add_serve_option(Options& options, std::optional<std::string>& where) {
  options.checked_text(
      "--serve", where, "[ADDR:]PORT",
      "live metrics and dashboard at http://ADDR:PORT/ while it runs (ADDR "
      "127.0.0.1 by default; "
      "another needs GREENTRAIN_SERVER_TOKEN)",
      [](const std::string& text) -> std::string {
        auto port = std::string_view(text).substr(text.rfind(':') + 1);
        unsigned short number = 0;
        auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
        if (ec == std::errc{} && end == port.data() + port.size() && !port.empty()) return "";
        return fmt::format(
            "got '{}'; expected [ADDR:]PORT with a port from 0 "
            "to 65535, such as "
            "9464 or 0.0.0.0:9464",
            text);
      },
      "off");
}

void print_written(const std::filesystem::path& path) {
  cli::print(stderr, "wrote {}\n", path.string());
}

void print_written_files(const TrackerOptions& options, const RunResult& result) {
  const auto& dir = options.output_dir;
  const auto& id = result.info.run_id;
  std::vector<std::filesystem::path> files;
  if (options.write_csv)
    files.insert(files.end(), {dir / "emissions.csv", dir / "emissions_tasks.csv"});
  if (options.write_json) files.push_back(dir / ("greentrain-" + id + ".json"));
  if (options.write_report)
    files.insert(files.end(), {dir / ("greentrain-report-" + id + ".md"),
                               dir / ("greentrain-report-" + id + ".html")});
  // Only those there: a file the tracker could not write was reported as it failed.
  std::error_code ec;
  for (const auto& file : files)
    if (std::filesystem::exists(file, ec)) print_written(file);
}

std::vector<std::string> TrackingFlags::given_flags() const {
  std::vector<std::string> flags;
  for (auto names : {std::span<const std::string_view>(location_flags),
                     std::span<const std::string_view>(tracking_flags)})
    for (auto name : names)
      if (given(name)) flags.emplace_back(name);
  return flags;
}

std::optional<std::string> TrackingFlags::given_value(std::string_view key) const {
  if (!given(fmt::format("--{}", key))) return std::nullopt;
  if (key == "zone") return location.zone;
  if (key == "country") return location.country;
  if (key == "cloud") return location.cloud;
  if (key == "output-dir") return output_dir;
  if (key == "interval") return fmt::format("{}ms", interval.count());
  if (key == "pue" && pue) return fmt::format("{}", *pue);
  if (key == "project") return project;
  for (auto [name, value] : {std::pair{"cpu-power", &cpu_power}, std::pair{"ram-power", &ram_power},
                             std::pair{"gpu-power", &gpu_power}})
    if (key == name && *value) return fmt::format("{}", **value);
  return std::nullopt;
}

Config TrackingFlags::apply_to(TrackerOptions& options) const {
  Config config = load_config_with_flags([this](std::string_view key) { return given_value(key); });
  config.apply(options);
  if (!config.text("project")) options.project = project;
  if (intensity_g_per_kwh) options.intensity = GramsPerKwh{*intensity_g_per_kwh};
  return config;
}

std::string modelled_power_note() {
  auto known = sensors::cpu_model_band();
  auto unknown = sensors::cpu_model_band(sensors::CpuTdp{});  // not in the TDP table
  return fmt::format(
      "Without a readable energy counter (most VMs and containers) CPU power is modelled from TDP "
      "and the load of each interval, labelled modelled, with the band x{:.2f}-x{:.2f} (x{:.2f}-"
      "x{:.2f} for a CPU missing from the TDP table, whose TDP is taken as 4 W per thread): on the "
      "measured CPUs it was calibrated on, the measured power fell inside it for {:.0f} % of the "
      "load steps (docs/measurement.md).",
      known.low, known.high, unknown.low, unknown.high, 100 * known.coverage);
}

}  // namespace greentrain::cli
