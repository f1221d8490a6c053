#pragma once
// Best start windows over a forecast, with the Carbon Aware SDK's semantics
// (GSF.CarbonAware EmissionsDataExtensions and ForecastHandler): windows start at the data start,
// step by the data's granularity, average the points they cover weighted by overlap time, and
// count only when the data covers their end. Every window with the minimum average is reported.
#include <chrono>
#include <optional>
#include <span>
#include <vector>

#include "greentrain/intensity/provider.hpp"

namespace greentrain::scheduling {

using std::chrono::seconds;

// Time-weighted average over [start, end) of chronological, contiguous points. No points: 0.
// Throws greentrain::error (invalid_argument) when the points do not cover the period.
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

// All windows of `duration` that start at or after `start`, end by `end`, and share the minimum
// average (ties within 1e-9 relative). Throws greentrain::error (invalid_argument) when
// [start, end] is empty or outside the forecast, or no window fits.
std::vector<IntensityPoint> best_windows(std::span<const IntensityPoint> forecast, seconds duration,
                                         SystemTime start, SystemTime end);

// For a job that may pause and resume: the cheapest pieces of the forecast inside
// [start, deadline) adding up to `duration`, in time order, and their average.
struct SlotPlan {
  std::vector<IntensityPoint> slots;
  GramsPerKwh average{};
};
// Throws greentrain::error (invalid_argument) when the forecast covers less than `duration` there.
SlotPlan cheapest_slots(std::span<const IntensityPoint> forecast, seconds duration,
                        SystemTime start, SystemTime deadline);

}  // namespace greentrain::scheduling
