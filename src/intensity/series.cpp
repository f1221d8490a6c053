#include "intensity/series.hpp"

#include <algorithm>

namespace greentrain::detail {

std::vector<IntensityPoint> to_points(const std::vector<TimedFigure>& figures,
                                      std::chrono::seconds fallback) {
  std::vector<IntensityPoint> points;
  points.reserve(figures.size());
  for (std::size_t i = 0; i < figures.size(); ++i) {
    if (!figures[i].grams_per_kwh) continue;
    std::chrono::seconds duration = fallback;
    if (i + 1 < figures.size()) {
      duration =
          std::chrono::duration_cast<std::chrono::seconds>(figures[i + 1].time - figures[i].time);
    } else if (i > 0) {
      duration =
          std::chrono::duration_cast<std::chrono::seconds>(figures[i].time - figures[i - 1].time);
    }
    if (duration.count() <= 0) duration = fallback;
    points.push_back({figures[i].time, duration, GramsPerKwh{*figures[i].grams_per_kwh}});
  }
  return points;
}

std::vector<IntensityPoint> points_within(std::vector<IntensityPoint> points, SystemTime from,
                                          SystemTime to) {
  std::erase_if(
      points, [&](const IntensityPoint& p) { return p.time + p.duration <= from || p.time >= to; });
  return points;
}

std::vector<DataGap> gaps_between(std::span<const IntensityPoint> points, SystemTime from,
                                  SystemTime to) {
  std::vector<DataGap> gaps;
  for (std::size_t i = 0; i + 1 < points.size(); ++i) {
    SystemTime gap_from = std::max(from, points[i].time + points[i].duration);
    SystemTime gap_to = std::min(to, points[i + 1].time);
    if (gap_from < gap_to) gaps.push_back({gap_from, gap_to});
  }
  return gaps;
}

std::optional<IntensityPoint> point_covering(const std::vector<IntensityPoint>& points,
                                             SystemTime at) {
  for (const auto& p : points) {
    if (p.time <= at && at < p.time + p.duration) return p;
  }
  return std::nullopt;
}

}  // namespace greentrain::detail
