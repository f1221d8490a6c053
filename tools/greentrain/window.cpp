// greentrain window: the start before a deadline with the lowest average intensity for a job in
// one zone (Carbon Aware SDK semantics), or the cheapest slots for a job that may pause.
#include "greentrain/scheduling/window.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <limits>
#include <memory>

#include "command.hpp"
#include "greentrain/error.hpp"
#include "greentrain/intensity/embedded.hpp"
#include "greentrain/intensity/time_text.hpp"
#include "greentrain/intensity/trace.hpp"
#include "core/key_text.hpp"
#include "json_text.hpp"
#include "live_source.hpp"
#include "redacted_output.hpp"
#include "tracking_options.hpp"

namespace greentrain::cli {

namespace {

using std::chrono::seconds;
using Json = nlohmann::ordered_json;

struct WindowFlags {
  LocationFlags location;
  std::chrono::milliseconds duration = std::chrono::hours{1};
  std::optional<std::string> deadline, trace, at;
  double noise = 0;
  std::uint64_t seed = 0;
  bool interruptible = false, json = false, live = false, allow_gaps = false;
};

// An ISO 8601 time, or +DURATION from `now`; nullopt when the text is neither.
std::optional<SystemTime> parse_time(const std::string& text, SystemTime now) {
  if (text.starts_with("+")) {
    auto ahead = parse_duration(std::string_view(text).substr(1));
    if (!ahead) return std::nullopt;
    return now + *ahead;
  }
  return parse_utc_time(text);
}

std::string time_check(const std::string& text) {
  return parse_time(text, {}) ? ""
                              : fmt::format(
                                    "got '{}'; expected an ISO 8601 "
                                    "time (2020-06-01T09:00:00Z) or "
                                    "+DURATION, {} (+24h)",
                                    text, duration_forms);
}

SystemTime time_option(const std::optional<std::string>& text, SystemTime now) {
  return text ? *parse_time(*text, now) : now;
}

// The location asked for: a trace named after its zone (gb-2020.csv) gives it, and a --zone must
// agree; a trace whose name gives none needs a known zone; without a trace, the flags decide.
std::optional<Location> location_for(const WindowFlags& flags) {
  auto named = flags.trace ? zone_named_by(*flags.trace) : std::string{};
  auto& zone = flags.location.zone;
  if (!named.empty()) {
    if (zone && !detail::iequals(*zone, named))
      throw error(errc::invalid_argument,
                  fmt::format("--zone {} disagrees with the trace {}, whose name says it holds "
                              "zone {}: drop --zone, or give the trace of {}",
                              *zone, *flags.trace, named, *zone));
    if (!zone && flags.location.location())
      throw error(errc::invalid_argument,
                  fmt::format("the trace {} holds zone {}: give --zone {} or no location",
                              *flags.trace, named, named));
    return Location::zone(named);
  }
  if (flags.trace && zone) {
    EmbeddedProvider known;
    ProviderFault fault;
    known.resolve(Location::zone(*zone), fault);
    if (fault)
      throw error(fault.code,
                  fmt::format("--zone of the trace {}: {}", *flags.trace, fault.reason));
  }
  return flags.location.location();
}

std::unique_ptr<IntensityProvider> provider_for(const WindowFlags& flags, const Location& location) {
  if (flags.trace) {
    TraceOptions options{location.key, flags.noise, flags.seed};
    return std::make_unique<TraceProvider>(TraceProvider::load(*flags.trace, std::move(options)));
  }
  return make_provider(flags.live);
}

// What to do without a forecast: the recorded traces beside the sources, ready to paste.
std::string no_forecast_hint(const std::string& provider, const std::string& where) {
  return fmt::format(
      "{} data has no forecast for {} (embedded figures are "
      "yearly averages: every start looks "
      "the same). Give --live with ELECTRICITYMAPS_API_KEY set, "
      "or give --trace FILE to replay a "
      "recorded year; the bundled traces are "
      "fr-2020-halfhourly.csv (zone FR) and "
      "gb-2020-halfhourly.csv (zone GB) in {}, as in:\n  "
      "greentrain window --zone FR --duration "
      "4h --deadline +24h --trace {}/fr-2020-halfhourly.csv "
      "--at 2020-06-01T08:00:00Z",
      provider, where, GREENTRAIN_TRACES_DIR, GREENTRAIN_TRACES_DIR);
}

// Adjacent slots joined into one stretch with their time-weighted average, for reading.
std::vector<IntensityPoint> contiguous_runs(const std::vector<IntensityPoint>& slots) {
  std::vector<IntensityPoint> runs;
  for (const auto& s : slots) {
    if (!runs.empty() && runs.back().time + runs.back().duration == s.time) {
      auto& run = runs.back();
      double total = static_cast<double>((run.duration + s.duration).count());
      run.intensity = GramsPerKwh{(run.intensity.value * static_cast<double>(run.duration.count()) +
                                   s.intensity.value * static_cast<double>(s.duration.count())) /
                                  total};
      run.duration += s.duration;
    } else {
      runs.push_back(s);
    }
  }
  return runs;
}

struct Choice {
  std::vector<IntensityPoint> pieces;  // the tied windows, or the slots of an interruptible job
  GramsPerKwh average{};
  GramsPerKwh at_now{};
  std::vector<DataGap> gaps;  // scheduled around, with --allow-gaps
};

// Refuses a forecast that stops before the deadline, or (without --allow-gaps) has a gap before
// it: the choice would be made on a shorter period, or on figures that were never recorded.
std::vector<DataGap> check_coverage(const Forecast& forecast, const WindowFlags& flags, SystemTime now,
                                    SystemTime deadline) {
  const auto& trace = flags.trace;
  auto what = trace ? fmt::format("the trace {}", *trace) : std::string("the forecast");
  if (forecast.points.empty())
    throw error(errc::invalid_argument, fmt::format("{} has no points before the deadline", what));
  const auto& last = forecast.points.back();
  if (last.time + last.duration < deadline)
    throw error(
        errc::invalid_argument,
        fmt::format("{} ends at {}, before the deadline {}: give a deadline by then{}", what,
                    format_utc_time(last.time + last.duration), format_utc_time(deadline),
                    trace ? ", or a trace that reaches the deadline" : ""));
  auto gaps = scheduling::gaps(forecast.points, now, deadline);
  if (gaps.empty() || flags.allow_gaps) return gaps;
  auto more = gaps.size() > 1 ? fmt::format(" and {} more gaps", gaps.size() - 1) : std::string{};
  auto why =
      trace ? fmt::format(" (rows more than {:g} h apart)",
                          std::chrono::duration<double>(TraceOptions{}.max_step).count() / 3600)
            : std::string{};
  throw error(
      errc::invalid_argument,
      fmt::format("{} has no data from {} to {}{}{}: fill the gap, or give --allow-gaps "
                  "to schedule around it",
                  what, format_utc_time(gaps[0].from), format_utc_time(gaps[0].to), more, why));
}

void print_text(const Choice& choice, bool interruptible, const Forecast& forecast,
                const std::string& zone, seconds duration, SystemTime now, SystemTime deadline) {
  cli::print("zone {}, job {:.2f} h{}, from {} to deadline {}\nforecast: {} ({})\n", zone,
             static_cast<double>(duration.count()) / 3600, interruptible ? " (interruptible)" : "",
             format_utc_time(now), format_utc_time(deadline), forecast.provenance.source,
             to_string(forecast.provenance.basis));
  if (interruptible) {
    auto runs = contiguous_runs(choice.pieces);
    cli::print("run in {} stretch{}:\n", runs.size(), runs.size() == 1 ? "" : "es");
    for (const auto& s : runs)
      cli::print("  {} for {:.2f} h at {:.1f} g/kWh\n", format_utc_time(s.time),
                 static_cast<double>(s.duration.count()) / 3600, s.intensity.value);
  } else {
    cli::print("best start: {} (average {:.1f} g/kWh)\n", format_utc_time(choice.pieces[0].time),
               choice.average.value);
    for (std::size_t i = 1; i < choice.pieces.size(); ++i)
      cli::print("  tied: {}\n", format_utc_time(choice.pieces[i].time));
  }
  for (const auto& gap : choice.gaps)
    cli::print("warning: no data from {} to {}; no start or slot uses it\n",
               format_utc_time(gap.from), format_utc_time(gap.to));
  cli::print("average {:.1f} g/kWh against {:.1f} g/kWh starting now: {:.1f} % less ({} signal)\n",
             choice.average.value, choice.at_now.value, 100 * (1 - choice.average / choice.at_now),
             to_string(forecast.signal));
}

void print_json(const Choice& choice, bool interruptible, const Forecast& forecast,
                const std::string& zone, seconds duration, SystemTime now, SystemTime deadline) {
  Json pieces = Json::array();
  for (const auto& piece : choice.pieces)
    pieces.push_back({{"start", format_utc_time(piece.time)},
                      {"duration_s", piece.duration.count()},
                      {"g_per_kwh", json_figure<Json>(piece.intensity.value, 3)}});
  Json document = {{"zone", zone},
                   {"duration_s", duration.count()},
                   {"now", format_utc_time(now)},
                   {"deadline", format_utc_time(deadline)},
                   {"interruptible", interruptible},
                   {"signal", to_string(forecast.signal)},
                   {"source", forecast.provenance.source},
                   {"basis", to_string(forecast.provenance.basis)},
                   {"average_g_per_kwh", json_figure<Json>(choice.average.value, 3)},
                   {"now_g_per_kwh", json_figure<Json>(choice.at_now.value, 3)},
                   {"saving", json_figure<Json>(1 - choice.average / choice.at_now, 4)},
                   {interruptible ? "slots" : "starts", std::move(pieces)}};
  Json gaps = Json::array();
  for (const auto& gap : choice.gaps)
    gaps.push_back({{"from", format_utc_time(gap.from)}, {"to", format_utc_time(gap.to)}});
  document["gaps"] = std::move(gaps);
  cli::print("{}\n", json_text(document));
}

int run(const WindowFlags& flags) {
  auto location_given = location_for(flags);
  if (!location_given)
    throw error(errc::invalid_argument,
                "give the location: --zone FR, --country FR or --cloud gcp:europe-west9");
  auto location = *location_given;
  auto zone = location.kind == Location::Kind::zone ? location.key : flags.location.key();
  auto provider = provider_for(flags, location);
  auto now = time_option(flags.at, std::chrono::time_point_cast<SystemTime::duration>(
                                       std::chrono::system_clock::now()));
  auto deadline = time_option(flags.deadline, now);
  auto duration = std::chrono::duration_cast<seconds>(flags.duration);
  if (duration.count() <= 0 || now + duration > deadline)
    throw error(errc::invalid_argument,
                "the job must last more than 0 s and fit before the deadline");

  ProviderFault fault;
  auto forecast = provider->forecast(location, now, deadline, fault);
  if (fault.code == errc::unsupported)
    throw error(fault.code, no_forecast_hint(std::string(provider->name()), to_string(location)));
  if (fault) throw error(fault.code, provider->reason(location, fault));

  bool interruptible = flags.interruptible;
  Choice choice;
  choice.gaps = check_coverage(forecast, flags, now, deadline);
  choice.at_now = scheduling::average_over_period(forecast.points, now, now + duration);
  if (interruptible) {
    auto plan = scheduling::cheapest_slots(forecast.points, duration, now, deadline);
    choice.pieces = std::move(plan.slots);
    choice.average = plan.average;
  } else {
    choice.pieces = scheduling::best_windows(forecast.points, duration, now, deadline);
    choice.average = choice.pieces.front().intensity;
  }
  if (flags.json)
    print_json(choice, interruptible, forecast, zone, duration, now, deadline);
  else
    print_text(choice, interruptible, forecast, zone, duration, now, deadline);
  return 0;
}

Action define(Options& options) {
  auto flags = std::make_shared<WindowFlags>();
  add_location_options(options, flags->location);
  options.duration("--duration", flags->duration, std::chrono::seconds{1}, "how long the job runs");
  options.checked_text("--deadline", flags->deadline, "ISO_TIME|+DURATION",
                       "when the job must have finished: an ISO 8601 time or +24h from now",
                       time_check, "required");
  options.text("--trace", flags->trace, "FILE",
               "replay a recorded intensity series (Time,Carbon Intensity CSV) "
               "as the forecast",
               "none: --live or the embedded tables, which have no forecast");
  options.checked_text("--at", flags->at, "ISO_TIME", "the clock of a --trace replay: its \"now\"",
                       time_check, "now");
  options.needs("--at", "--trace");
  options.number("--noise", flags->noise, {.min = 0, .max = 10}, "SIGMA",
                 "relative error of a --trace forecast (0.1: 10 %)");
  options.count("--seed", flags->seed, 0, std::numeric_limits<std::uint64_t>::max(), "N",
                "the seed of the --noise");
  options.flag("--interruptible", flags->interruptible,
               "the job may pause: choose the cheapest slots, not one start");
  options.flag("--live", flags->live,
               "live forecast (Electricity Maps with ELECTRICITYMAPS_API_KEY)");
  options.flag("--allow-gaps", flags->allow_gaps,
               "schedule around gaps in the forecast (rows more than 3 h apart) with a warning, "
               "instead of refusing them");
  options.flag("--json", flags->json, "machine-readable output");
  options.footer(
      "With --trace, \"now\" is --at and the recorded series serves "
      "as the forecast (perfect, or "
      "with --noise relative error); a trace named after its zone (gb-2020.csv) sets the zone, "
      "which --zone must agree with. Example: greentrain window "
      "--zone FR --duration 4h "
      "--deadline +24h --live");
  return [flags, &options] {
    if (!options.given("--deadline"))
      throw error(errc::invalid_argument, "--deadline is required (ISO time or +24h)");
    flags->location.fill_from_config();
    return run(*flags);
  };
}

const Registration registration{{
    .name = "window",
    .summary = "find the lowest-carbon start (or slots) for a job before a deadline",
    .define = define,
}};

}  // namespace

}  // namespace greentrain::cli
