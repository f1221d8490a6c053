#pragma once
// Start windows over a forecast. The averages follow the Carbon Aware SDK
// (GSF.CarbonAware EmissionsDataExtensions and ForecastHandler): the points a window covers,
// weighted by overlap time. rolling_average keeps the SDK's grid (the data start, stepping by the
// first point's duration); best_windows does not, because a forecast whose step changes (30 to
// 15 minutes, or a gap) would hide its best start from that grid.
#include <chrono>
#include <optional>
#include <span>
#include <vector>

#include "greentrain/intensity/provider.hpp"

namespace greentrain::scheduling {

using std::chrono::seconds;

// Time-weighted average over [start, end) of chronological, contiguous points. No points: 0.
// Throws greentrain::error (invalid_argument) naming where the points stop covering the period.
GramsPerKwh average_over_period(std::span<const IntensityPoint> points, SystemTime start,
                                SystemTime end);

// The points that overlap [start, end]: time + duration > start and time <= end.
std::vector<IntensityPoint> filter_by_period(std::span<const IntensityPoint> points,
                                             SystemTime start, SystemTime end);

// Averages over windows of `window`, starting at `start` (clamped to the data) and stepping by
// `tick` (0: the first point's duration), while the window ends by `end` (clamped to the data).
// Each result point has time = window start, duration = window. A window of 0 returns the points.
std::vector<IntensityPoint> rolling_average(std::span<const IntensityPoint> points, seconds window,
                                            std::optional<SystemTime> start = {},
                                            std::optional<SystemTime> end = {},
                                            seconds tick = seconds{0});

// All windows of `duration` that start at or after `start`, end by `end`, lie on no gap of the
// forecast, and share the minimum average (ties within 1e-9 relative). The starts tried are every
// one where the average can change slope (the window's start or end on a point's edge) and the
// first and last, so the minimum equals that over every possible start. A duration of 0 s gives
// the cheapest points (the SDK's case). Throws greentrain::error (invalid_argument) when
// [start, end] is empty or the forecast does not reach both ends, or no window fits.
std::vector<IntensityPoint> best_windows(std::span<const IntensityPoint> forecast, seconds duration,
                                         SystemTime start, SystemTime end);

// The gaps of a forecast inside [start, end): where best_windows and cheapest_slots cannot go.
std::vector<DataGap> gaps(std::span<const IntensityPoint> forecast, SystemTime start,
                          SystemTime end);

// For a job that may pause and resume: the cheapest pieces of the forecast inside
// [start, deadline) adding up to `duration`, in time order, and their average.
struct SlotPlan {
  std::vector<IntensityPoint> slots;
  GramsPerKwh average{};
};
// Throws greentrain::error (invalid_argument) when the forecast does not reach from `start` to the
// deadline (it is never shortened to the forecast's end), or covers less than `duration` there.
SlotPlan cheapest_slots(std::span<const IntensityPoint> forecast, seconds duration,
                        SystemTime start, SystemTime deadline);

}  // namespace greentrain::scheduling
