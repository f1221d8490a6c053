// What tracking costs: one sample, start, stop with outputs, and a CPU-bound loop's slowdown.
// Prints one table; every figure is a median of repeated runs, with its spread (min-max).
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <vector>

#include "greentrain/sensors/discovery.hpp"
#include "greentrain/tracker.hpp"
#include "tracker/energy_meter.hpp"
#include "tracker/run_figures.hpp"

using namespace greentrain;
using SteadyClock = std::chrono::steady_clock;

namespace {

struct Spread {
  double median, low, high;
};

Spread spread(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return {v[v.size() / 2], v.front(), v.back()};
}

double micros(SteadyClock::duration d) {
  return std::chrono::duration<double, std::micro>(d).count();
}

// A CPU-bound loop the compiler can neither drop nor merge with another call: its start value
// is read from a volatile and its result is used.
volatile double loop_seed = 1.0;

[[gnu::noinline]] double busy_loop(long iterations) {
  double x = loop_seed;
  for (long i = 0; i < iterations; ++i) x = std::fma(x, 1.0000001, 1e-9);
  return x;
}

TrackerOptions quiet_options(const std::filesystem::path& dir) {
  TrackerOptions o;
  o.project = "benchmark";
  o.output_dir = dir;
  o.zone = "FR";
  o.on_error = [](std::error_code, const std::string&) {};
  return o;
}

}  // namespace

int main() {
  auto dir = std::filesystem::temp_directory_path() / "greentrain-benchmark";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  std::vector<std::string> rows;
  auto row = [&](std::string what, Spread s, std::string unit, std::string target) {
    rows.push_back(fmt::format("| {:<46} | {:>10.2f} | {:>10.2f} - {:<10.2f} | {:<5} | {:<10} |",
                               what, s.median, s.low, s.high, unit, target));
  };

  // 1. One sample of all the sensors this machine has, plus process attribution.
  {
    auto discovery = sensors::discover();
    std::string names;
    for (auto& s : discovery.selected) names += (names.empty() ? "" : ", ") + std::string(s->name());
    auto usage = detail::UsageMeter::create(TrackingMode::process, std::nullopt,
                                            discovery.machine_cpu_time, nullptr);
    detail::EnergyMeter meter(std::move(discovery.selected), nullptr);
    // Samples 1.2 ms apart, as a sampler would take them: back to back, the kernel's and the
    // readers' caches would make a sample look cheaper than it is.
    std::vector<double> per_sample;
    for (int i = 0; i < 2001; ++i) {
      for (auto wait = SteadyClock::now();
           SteadyClock::now() - wait < std::chrono::microseconds(1200);) {
      }
      auto t0 = SteadyClock::now();
      auto e = meter.sample();
      usage->interval(e);
      per_sample.push_back(micros(SteadyClock::now() - t0));
    }
    row("one sample (" + names + " + usage and process share)", spread(per_sample), "us", "<= 15");
  }

  // 2. Constructor to first sample, and stop() with the CSV and JSON outputs written.
  {
    std::vector<double> start, stop;
    double cold = 0;
    for (int i = 0; i < 41; ++i) {
      auto t0 = SteadyClock::now();
      auto tracker = std::make_unique<EmissionsTracker>(quiet_options(dir));
      auto t1 = SteadyClock::now();
      tracker->stop();
      auto t2 = SteadyClock::now();
      if (i == 0) cold = micros(t1 - t0) / 1000;
      else start.push_back(micros(t1 - t0) / 1000);
      stop.push_back(micros(t2 - t1) / 1000);
    }
    row("start: constructor to first sample (first: " + fmt::format("{:.2f}", cold) + " ms)",
        spread(start), "ms", "<= 5");
    row("stop() + writing emissions.csv and JSON", spread(stop), "ms", "<= 5");
  }

  // 3. The same CPU-bound loop with and without a 10 Hz tracker, alternated, side by side.
  {
    volatile double sink = 0;
    long iterations = 1 << 20;
    for (;;) {  // about 0.3 s per run; this also warms the core up to its steady clock
      auto t0 = SteadyClock::now();
      sink = sink + busy_loop(iterations);
      if (SteadyClock::now() - t0 > std::chrono::milliseconds(150)) break;
      iterations *= 2;
    }
    iterations *= 2;
    sink = sink + busy_loop(iterations);
    std::vector<double> overhead;
    auto bare_run = [&] {
      auto t0 = SteadyClock::now();
      sink = sink + busy_loop(iterations);
      return micros(SteadyClock::now() - t0);
    };
    auto tracked_run = [&] {
      auto options = quiet_options(dir);
      options.interval = std::chrono::milliseconds(100);
      options.write_csv = options.write_json = false;
      EmissionsTracker tracker(options);
      return bare_run();
    };
    for (int pair = 0; pair < 30; ++pair) {  // alternate the order so neither side runs warmer
      double bare = 0, tracked = 0;
      if (pair % 2) bare = bare_run(), tracked = tracked_run();
      else tracked = tracked_run(), bare = bare_run();
      overhead.push_back((tracked / bare - 1.0) * 100.0);
    }
    row("CPU-bound loop with a 10 Hz tracker vs without", spread(overhead), "%", "<= 0.5");
  }

  fmt::print("| {:<46} | {:>10} | {:^23} | {:<5} | {:<10} |\n", "measure", "median", "spread (min - max)",
             "unit", "target");
  fmt::print("|{:-<48}|{:-<12}|{:-<25}|{:-<7}|{:-<12}|\n", "", "", "", "", "");
  for (auto& r : rows) fmt::print("{}\n", r);
  std::filesystem::remove_all(dir);
}
