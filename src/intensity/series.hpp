#pragma once
// Time series as the services send them (a time and maybe a figure per point) turned into the
// contiguous IntensityPoints of the provider interface.
#include <optional>
#include <span>
#include <vector>

#include "greentrain/intensity/provider.hpp"

namespace greentrain::detail {

struct TimedFigure {
  SystemTime time{};
  std::optional<double> grams_per_kwh;  // empty: the service had no figure
};

// Each point lasts until the next; the last lasts as long as the one before it (or `fallback`
// when there is only one). Points without a figure are dropped.
std::vector<IntensityPoint> to_points(const std::vector<TimedFigure>& figures,
                                      std::chrono::seconds fallback);

// Points overlapping [from, to).
std::vector<IntensityPoint> points_within(std::vector<IntensityPoint> points, SystemTime from,
                                          SystemTime to);

// The gaps between chronological points inside [from, to), clipped to it.
std::vector<DataGap> gaps_between(std::span<const IntensityPoint> points, SystemTime from,
                                  SystemTime to);

std::optional<IntensityPoint> point_covering(const std::vector<IntensityPoint>& points,
                                             SystemTime at);

}  // namespace greentrain::detail
