// Timings of the decision code: the embedded tables' first parse, ranking 150 regions each with a
// 72-hour hourly forecast (target: under 1 ms), the joint (region, start) plan, and one best
// window over a 72-point forecast. Prints a table of medians.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <random>
#include <vector>

#include "greentrain/intensity/embedded.hpp"
#include "greentrain/region_picker.hpp"
#include "greentrain/scheduling/window.hpp"
#include "support/forecast_table.hpp"

using namespace greentrain;
using namespace std::chrono;
using Clock = steady_clock;

namespace {

double microseconds_of(const std::function<void()>& work) {
  auto start = Clock::now();
  work();
  return duration<double, std::micro>(Clock::now() - start).count();
}

double median_us(int repeats, const std::function<void()>& work) {
  std::vector<double> samples;
  for (int i = 0; i < repeats; ++i) samples.push_back(microseconds_of(work));
  std::nth_element(samples.begin(), samples.begin() + repeats / 2, samples.end());
  return samples[static_cast<std::size_t>(repeats / 2)];
}

}  // namespace

int main() {
  const SystemTime t0 = sys_days{2024y / June / 1};
  EmbeddedProvider embedded;
  double first_parse = microseconds_of([&] {
    embedded.intensity_at(Location::cloud("gcp", "europe-west9"), t0);
    (void)RegionCatalog::embedded();
  });
  double embedded_lookup =
      median_us(1001, [&] { embedded.intensity_at(Location::zone("FR"), t0); });

  std::mt19937 rng(42);
  std::uniform_real_distribution<double> intensity(20, 700);
  std::vector<CloudRegion> regions;
  testing::ForecastTable provider;
  const char* providers[] = {"aws", "gcp", "azure"};
  for (int i = 0; i < 150; ++i) {
    std::string name = fmt::format("region-{}", i);
    regions.push_back({providers[i % 3], name, "site", "ZZ", GeoPoint{0, 0}, 1.1, std::nullopt});
    std::vector<double> values(72);
    for (auto& v : values) v = intensity(rng);
    provider.forecasts[name] = testing::series(t0, 1h, values);
  }
  RegionCatalog catalog(std::move(regions));
  RegionPicker picker(provider, catalog);
  PickerOptions options;
  options.baseline = "aws:region-0";
  Job job{t0, 4h, Watts{250}};
  std::size_t ranked = 0;
  double rank_us = median_us(201, [&] { ranked = picker.rank(job, options).ranked.size(); });
  double plan_us = median_us(51, [&] { picker.plan(job, t0 + 72h); });
  const auto& forecast = provider.forecasts["region-0"];
  double window_us =
      median_us(10001, [&] { scheduling::best_windows(forecast, 4h, t0, t0 + 72h); });
  double slots_us =
      median_us(10001, [&] { scheduling::cheapest_slots(forecast, 4h, t0, t0 + 72h); });

  fmt::print("| what | median | target |\n|---|---|---|\n");
  fmt::print("| embedded tables, first lookup (parse once) | {:.0f} us | a few ms |\n",
             first_parse);
  fmt::print("| embedded zone lookup, later calls | {:.2f} us | |\n", embedded_lookup);
  fmt::print("| rank {} regions x 72 h hourly forecast, 4 h job | {:.0f} us | < 1000 us |\n",
             ranked, rank_us);
  fmt::print("| joint plan: best start in each of 150 regions, 72 h | {:.0f} us | |\n", plan_us);
  fmt::print("| best window, 4 h job in a 72-point forecast | {:.1f} us | |\n", window_us);
  fmt::print("| cheapest slots, 4 h in a 72-point forecast | {:.1f} us | |\n", slots_us);
  return 0;
}
