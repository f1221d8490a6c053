// Parsing a 72-point Electricity Maps forecast response (simdjson DOM, ISO times, points).
// Target: under 20 µs per response.
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <vector>

#include "intensity/series.hpp"
#include "network/replay_server.hpp"
#include "intensity/live/grid_json.hpp"

int main() {
  auto body = greentrain::test::read_fixture("em_forecast_72.json");
  constexpr int batches = 9;
  constexpr int per_batch = 2000;
  std::size_t points = 0;
  std::vector<double> micros;
  fmt::print("{:>6} {:>14} {:>8}\n", "batch", "µs / response", "points");
  for (int batch = 0; batch < batches; ++batch) {
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < per_batch; ++i) {
      std::string why;
      auto series = greentrain::detail::parse_em_series(body, "forecast", why);
      std::vector<greentrain::detail::TimedFigure> figures;
      figures.reserve(series->records.size());
      for (const auto& r : series->records) figures.push_back({r.datetime, r.carbon_intensity});
      points = greentrain::detail::to_points(figures, std::chrono::hours(1)).size();
    }
    double us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start)
                    .count() /
                per_batch;
    micros.push_back(us);
    fmt::print("{:>6} {:>14.2f} {:>8}\n", batch + 1, us, points);
  }
  std::sort(micros.begin(), micros.end());
  fmt::print(
      "\n72-point forecast ({} bytes): median {:.2f} µs, best {:.2f} µs (target < 20 µs): {}\n",
      body.size(), micros[micros.size() / 2], micros.front(),
      micros[micros.size() / 2] < 20 ? "met" : "MISSED");
  return points == 72 ? 0 : 1;
}
