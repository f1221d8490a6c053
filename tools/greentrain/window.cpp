// greentrain window: the start before a deadline with the lowest average intensity for a job in
// one zone (averaged as the Carbon Aware SDK does), or the cheapest slots for a job that may pause.
#include "greentrain/scheduling/window.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cmath>

#include "args.hpp"
#include "command.hpp"
#include "greentrain/error.hpp"
#include "greentrain/intensity/embedded.hpp"
#include "greentrain/intensity/time_text.hpp"
#include "greentrain/intensity/trace.hpp"
#include "intensity/key_text.hpp"
#include "json_text.hpp"
#include "live_source.hpp"

namespace greentrain::cli {

namespace {

using std::chrono::seconds;

SystemTime time_option(const Args& args, std::string_view name, SystemTime now) {
  auto text = args.get(name);
  if (!text) return now;
  if (text->starts_with("+"))
    return now + seconds{std::llround(parse_duration_s(std::string_view(*text).substr(1)))};
  auto parsed = parse_utc_time(*text);
  if (!parsed)
    throw error(errc::invalid_argument,
                fmt::format("--{} expects an ISO 8601 time (2020-06-01T09:00:00Z) or +DURATION "
                            "(+24h), got '{}'",
                            name, *text));
  return *parsed;
}

// The zone asked for: --zone, which must agree with the zone a trace's name gives (and be a known
// zone where the name gives none), or that zone when --zone is absent.
std::string zone_for(const Args& args) {
  auto zone = args.get("zone");
  auto trace = args.get("trace");
  auto named = trace ? zone_named_by(*trace) : std::string{};
  if (!named.empty()) {
    if (zone && !detail::iequals(*zone, named))
      throw error(errc::invalid_argument,
                  fmt::format("--zone {} disagrees with the trace {}, whose name says it holds "
                              "zone {}: drop --zone, or give the trace of {}",
                              *zone, *trace, named, *zone));
    return named;
  }
  if (!zone) throw error(errc::invalid_argument, "--zone is required (FR, DE, US-CAL-CISO, ...)");
  if (trace) {
    EmbeddedProvider known;
    std::error_code ec;
    known.resolve(Location::zone(*zone), ec);
    if (ec)
      throw error(ec, fmt::format("--zone of the trace {}: {}", *trace,
                                  known.explain(Location::zone(*zone), ec)));
  }
  return *zone;
}

std::unique_ptr<IntensityProvider> provider_for(const Args& args, const std::string& zone) {
  if (auto trace = args.get("trace")) {
    TraceOptions options{zone, args.number("noise", 0),
                         static_cast<std::uint64_t>(args.number("seed", 0))};
    return std::make_unique<TraceProvider>(TraceProvider::load(*trace, std::move(options)));
  }
  return make_provider(args.flag("live"));
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
std::vector<DataGap> check_coverage(const Forecast& forecast, const Args& args, SystemTime now,
                                    SystemTime deadline) {
  auto trace = args.get("trace");
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
  if (gaps.empty() || args.flag("allow-gaps")) return gaps;
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
  fmt::print("zone {}, job {:.2f} h{}, from {} to deadline {}\nforecast: {} ({})\n", zone,
             static_cast<double>(duration.count()) / 3600, interruptible ? " (interruptible)" : "",
             format_utc_time(now), format_utc_time(deadline), forecast.provenance.source,
             to_string(forecast.provenance.basis));
  if (interruptible) {
    auto runs = contiguous_runs(choice.pieces);
    fmt::print("run in {} stretch{}:\n", runs.size(), runs.size() == 1 ? "" : "es");
    for (const auto& s : runs)
      fmt::print("  {} for {:.2f} h at {:.1f} g/kWh\n", format_utc_time(s.time),
                 static_cast<double>(s.duration.count()) / 3600, s.intensity.value);
  } else {
    fmt::print("best start: {} (average {:.1f} g/kWh)\n", format_utc_time(choice.pieces[0].time),
               choice.average.value);
    for (std::size_t i = 1; i < choice.pieces.size(); ++i)
      fmt::print("  tied: {}\n", format_utc_time(choice.pieces[i].time));
  }
  for (const auto& gap : choice.gaps)
    fmt::print("warning: no data from {} to {}; no start or slot uses it\n",
               format_utc_time(gap.from), format_utc_time(gap.to));
  fmt::print("average {:.1f} g/kWh against {:.1f} g/kWh starting now: {:.1f} % less ({} signal)\n",
             choice.average.value, choice.at_now.value, 100 * (1 - choice.average / choice.at_now),
             to_string(forecast.signal));
}

void print_json(const Choice& choice, bool interruptible, const Forecast& forecast,
                const std::string& zone, seconds duration, SystemTime now, SystemTime deadline) {
  fmt::print(
      "{{\"zone\":{},\"duration_s\":{},\"now\":\"{}\",\"deadline\":\"{}\",\"interruptible\":{},"
      "\"signal\":\"{}\",\"source\":{},\"basis\":\"{}\",\"average_g_per_kwh\":{:.3f},"
      "\"now_g_per_kwh\":{:.3f},\"saving\":{:.4f},\"{}\":[",
      json_string(zone), duration.count(), format_utc_time(now), format_utc_time(deadline),
      interruptible, to_string(forecast.signal), json_string(forecast.provenance.source),
      to_string(forecast.provenance.basis), choice.average.value, choice.at_now.value,
      1 - choice.average / choice.at_now, interruptible ? "slots" : "starts");
  for (std::size_t i = 0; i < choice.pieces.size(); ++i)
    fmt::print("{}{{\"start\":\"{}\",\"duration_s\":{},\"g_per_kwh\":{:.3f}}}", i ? "," : "",
               format_utc_time(choice.pieces[i].time), choice.pieces[i].duration.count(),
               choice.pieces[i].intensity.value);
  fmt::print("],\"gaps\":[");
  for (std::size_t i = 0; i < choice.gaps.size(); ++i)
    fmt::print("{}{{\"from\":\"{}\",\"to\":\"{}\"}}", i ? "," : "",
               format_utc_time(choice.gaps[i].from), format_utc_time(choice.gaps[i].to));
  fmt::print("]}}\n");
}

int run(std::span<const std::string_view> raw) {
  Args args(raw, {"zone", "duration", "deadline", "trace", "at", "noise", "seed"},
            {"interruptible", "json", "live", "allow-gaps"});
  auto zone = zone_for(args);
  if (!args.get("deadline"))
    throw error(errc::invalid_argument, "--deadline is required (ISO time or +24h)");
  if (args.get("at") && !args.get("trace"))
    throw error(errc::invalid_argument,
                "--at sets the clock of a --trace replay; give --trace FILE");
  auto provider = provider_for(args, zone);
  auto now = time_option(
      args, "at",
      std::chrono::time_point_cast<SystemTime::duration>(std::chrono::system_clock::now()));
  auto deadline = time_option(args, "deadline", now);
  seconds duration{std::llround(parse_duration_s(args.get_or("duration", "1h")))};
  if (duration.count() <= 0 || now + duration > deadline)
    throw error(errc::invalid_argument,
                "the job must last more than 0 s and fit before the deadline");

  auto location = Location::zone(zone);
  std::error_code ec;
  auto forecast = provider->forecast(location, now, deadline, ec);
  if (ec == errc::unsupported)
    throw error(ec,
                fmt::format("{} data has no forecast for zone {} (embedded figures are yearly "
                            "averages: every start looks the same); give --trace FILE or --live",
                            provider->name(), zone));
  if (ec) throw error(ec, provider->explain(location, ec));

  bool interruptible = args.flag("interruptible");
  Choice choice;
  choice.gaps = check_coverage(forecast, args, now, deadline);
  choice.at_now = scheduling::average_over_period(forecast.points, now, now + duration);
  if (interruptible) {
    auto plan = scheduling::cheapest_slots(forecast.points, duration, now, deadline);
    choice.pieces = std::move(plan.slots);
    choice.average = plan.average;
  } else {
    choice.pieces = scheduling::best_windows(forecast.points, duration, now, deadline);
    choice.average = choice.pieces.front().intensity;
  }
  if (args.flag("json"))
    print_json(choice, interruptible, forecast, zone, duration, now, deadline);
  else
    print_text(choice, interruptible, forecast, zone, duration, now, deadline);
  return 0;
}

const Registration registration{{
    "window",
    "find the lowest-carbon start (or slots) for a job before a deadline",
    "greentrain window --zone Z --duration 4h --deadline <ISO time|+24h>\n"
    "                  [--trace FILE --at <ISO time> [--noise 0.1 --seed N]] [--live]\n"
    "                  [--interruptible] [--allow-gaps] [--json]\n"
    "  The deadline is when the job must have finished. With --trace, \"now\" is --at and the\n"
    "  recorded series serves as the forecast (perfect, or with --noise relative error); a trace\n"
    "  named after its zone (gb-2020.csv) sets --zone, which must agree. Rows more than 3 h apart\n"
    "  leave a gap: an error, or with --allow-gaps a warning and no start or slot inside it.",
    run,
}};

}  // namespace

}  // namespace greentrain::cli
