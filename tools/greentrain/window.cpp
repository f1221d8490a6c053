// greentrain window: the start before a deadline with the lowest average intensity for a job in
// one zone (Carbon Aware SDK semantics), or the cheapest slots for a job that may pause.
#include "greentrain/scheduling/window.hpp"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>

#include "args.hpp"
#include "command.hpp"
#include "greentrain/error.hpp"
#include "greentrain/intensity/time_text.hpp"
#include "greentrain/intensity/trace.hpp"
#include "json_text.hpp"
#include "live_source.hpp"

namespace greentrain::cli {

namespace {

using std::chrono::seconds;
using Json = nlohmann::ordered_json;

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

std::unique_ptr<IntensityProvider> provider_for(const Args& args) {
  if (auto trace = args.get("trace")) {
    TraceOptions options{args.get_or("zone", ""), args.number("noise", 0),
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
};

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
  fmt::print("average {:.1f} g/kWh against {:.1f} g/kWh starting now: {:.1f} % less ({} signal)\n",
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
  fmt::print("{}\n", json_text(document));
}

int run(std::span<const std::string_view> raw) {
  Args args(raw, {"zone", "duration", "deadline", "trace", "at", "noise", "seed"},
            {"interruptible", "json", "live"});
  auto zone = args.get("zone");
  if (!zone) throw error(errc::invalid_argument, "--zone is required (FR, DE, US-CAL-CISO, ...)");
  if (!args.get("deadline"))
    throw error(errc::invalid_argument, "--deadline is required (ISO time or +24h)");
  if (args.get("at") && !args.get("trace"))
    throw error(errc::invalid_argument,
                "--at sets the clock of a --trace replay; give --trace FILE");
  auto provider = provider_for(args);
  auto now = time_option(
      args, "at",
      std::chrono::time_point_cast<SystemTime::duration>(std::chrono::system_clock::now()));
  auto deadline = time_option(args, "deadline", now);
  seconds duration{std::llround(parse_duration_s(args.get_or("duration", "1h")))};
  if (duration.count() <= 0 || now + duration > deadline)
    throw error(errc::invalid_argument,
                "the job must last more than 0 s and fit before the deadline");

  auto location = Location::zone(*zone);
  std::error_code ec;
  auto forecast = provider->forecast(location, now, deadline, ec);
  if (ec == errc::unsupported)
    throw error(ec,
                fmt::format("{} data has no forecast for zone {} (embedded figures are yearly "
                            "averages: every start looks the same); give --trace FILE or --live",
                            provider->name(), *zone));
  if (ec) throw error(ec, provider->explain(location, ec));

  bool interruptible = args.flag("interruptible");
  Choice choice;
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
    print_json(choice, interruptible, forecast, *zone, duration, now, deadline);
  else
    print_text(choice, interruptible, forecast, *zone, duration, now, deadline);
  return 0;
}

const Registration registration{{
    "window",
    "find the lowest-carbon start (or slots) for a job before a deadline",
    "greentrain window --zone Z --duration 4h --deadline <ISO time|+24h>\n"
    "                  [--trace FILE --at <ISO time> [--noise 0.1 --seed N]] [--live]\n"
    "                  [--interruptible] [--json]\n"
    "  The deadline is when the job must have finished. With --trace, \"now\" is --at and the\n"
    "  recorded series serves as the forecast (perfect, or with --noise relative error).",
    run,
}};

}  // namespace

}  // namespace greentrain::cli
