// What carbon-aware start times save on real grids: jobs of 1, 4 and 12 h arriving every day of
// 2020 at 09:00 UTC, allowed to start up to 0, 8 or 24 h later, in Great Britain and France
// (traces from "Let's Wait Awhile", data/traces/). Prints the Markdown table of docs/scheduling.md.
//
// usage: scheduling_evidence [TRACE_DIR]
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>
#include <vector>

#include "greentrain/intensity/trace.hpp"
#include "greentrain/scheduling/window.hpp"

using namespace greentrain;
using namespace std::chrono;

namespace {

struct Savings {
  double perfect = 0, noisy = 0, oracle = 0, interruptible = 0;
  int jobs = 0;
};

double actual_average(const TraceProvider& trace, SystemTime start, seconds duration) {
  return scheduling::average_over_period(trace.points(), start, start + duration).value;
}

// The start the window algorithm picks from a forecast, judged on the recorded intensity.
double chosen_average(TraceProvider& forecaster, const TraceProvider& truth, SystemTime arrival,
                      seconds duration, SystemTime deadline) {
  auto forecast = forecaster.forecast(Location::zone("trace"), arrival, deadline);
  auto best = scheduling::best_windows(forecast.points, duration, arrival, deadline);
  return actual_average(truth, best.front().time, duration);
}

// Every start on a 15-minute grid, computed directly: the best any contiguous schedule can do.
double oracle_average(const TraceProvider& truth, SystemTime arrival, seconds duration,
                      SystemTime deadline) {
  double best = actual_average(truth, arrival, duration);
  for (SystemTime s = arrival; s + duration <= deadline; s += 15min)
    best = std::min(best, actual_average(truth, s, duration));
  return best;
}

Savings evaluate(const std::string& file, hours job, hours window) {
  auto truth = TraceProvider::load(file);
  auto noisy = TraceProvider::load(file, {.zone = "", .noise_sigma = 0.10, .seed = 2020});
  Savings s;
  seconds duration = job;
  for (sys_days day = sys_days{2020y / January / 1}; day <= sys_days{2020y / December / 31};
       day += days{1}) {
    SystemTime arrival = day + 9h;
    SystemTime deadline = arrival + window + job;
    double now = actual_average(truth, arrival, duration);
    auto saving = [&](double chosen) { return (now - chosen) / now; };
    s.perfect += saving(chosen_average(truth, truth, arrival, duration, deadline));
    s.noisy += saving(chosen_average(noisy, truth, arrival, duration, deadline));
    s.oracle += saving(oracle_average(truth, arrival, duration, deadline));
    s.interruptible += saving(
        scheduling::cheapest_slots(truth.points(), duration, arrival, deadline).average.value);
    ++s.jobs;
  }
  for (double* mean : {&s.perfect, &s.noisy, &s.oracle, &s.interruptible}) {
    *mean /= s.jobs;
    if (std::abs(*mean) < 1e-9) *mean = 0;  // no "-0.0 %" from rounding at window 0
  }
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = argc > 1 ? argv[1] : GREENTRAIN_SOURCE_DIR "/data/traces";
  struct Grid {
    const char* name;
    std::string file;
  };
  const Grid grids[] = {{"GB", dir + "/gb-2020-halfhourly.csv"},
                        {"FR", dir + "/fr-2020-halfhourly.csv"}};
  fmt::print(
      "| grid | job | window | jobs | perfect forecast | 10 % noise | oracle (contiguous) "
      "| oracle (interruptible) |\n|---|---|---|---|---|---|---|---|\n");
  for (const auto& grid : grids)
    for (hours job : {1h, 4h, 12h})
      for (hours window : {0h, 8h, 24h}) {
        auto s = evaluate(grid.file, job, window);
        fmt::print("| {} | {} h | {} h | {} | {:.1f} % | {:.1f} % | {:.1f} % | {:.1f} % |\n",
                   grid.name, job.count(), window.count(), s.jobs, s.perfect * 100, s.noisy * 100,
                   s.oracle * 100, s.interruptible * 100);
      }
  return 0;
}
