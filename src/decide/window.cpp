#include "greentrain/scheduling/window.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "greentrain/error.hpp"
#include "greentrain/intensity/time_text.hpp"

namespace greentrain::scheduling {

namespace {

using Span = std::chrono::duration<double>;

SystemTime end_of(const IntensityPoint& p) { return p.time + p.duration; }

double seconds_between(SystemTime a, SystemTime b) { return Span(b - a).count(); }

// The same average starting from the first point that may overlap; `first` advances for callers
// that slide forward.
double average_from(std::span<const IntensityPoint> points, std::size_t& first, SystemTime start,
                    SystemTime end) {
  while (first < points.size() && end_of(points[first]) <= start) ++first;
  double weighted = 0;
  double covered = 0;
  SystemTime reached = start;
  for (std::size_t i = first; i < points.size() && points[i].time < end; ++i) {
    const auto& p = points[i];
    if (p.time > reached) break;  // a gap
    SystemTime from = std::max(start, p.time);
    SystemTime to = std::min(end, end_of(p));
    double overlap = seconds_between(from, to);
    weighted += p.intensity.value * overlap;
    covered += overlap;
    reached = to;
  }
  double length = seconds_between(start, end);
  if (reached < end || covered <= 0)
    throw error(errc::invalid_argument,
                fmt::format("the forecast does not cover {} to {} without gaps",
                            format_utc_time(start), format_utc_time(end)));
  return weighted / length;
}

}  // namespace

GramsPerKwh average_over_period(std::span<const IntensityPoint> points, SystemTime start,
                                SystemTime end) {
  if (points.empty()) return GramsPerKwh{0};
  if (!(start < end))
    throw error(errc::invalid_argument, "an averaging period must end after it starts");
  std::size_t first = 0;
  return GramsPerKwh{average_from(points, first, start, end)};
}

std::vector<IntensityPoint> filter_by_period(std::span<const IntensityPoint> points,
                                             SystemTime start, SystemTime end) {
  std::vector<IntensityPoint> kept;
  for (const auto& p : points)
    if (end_of(p) > start && p.time <= end) kept.push_back(p);
  return kept;
}

std::vector<IntensityPoint> rolling_average(std::span<const IntensityPoint> points, seconds window,
                                            std::optional<SystemTime> start,
                                            std::optional<SystemTime> end, seconds tick) {
  if (points.empty()) return {};
  if (window.count() <= 0) return {points.begin(), points.end()};
  if (points.front().duration.count() <= 0)
    throw error(errc::invalid_argument, "forecast points must last longer than zero");
  if (tick.count() <= 0) tick = points.front().duration;
  SystemTime data_end = end_of(points.back());
  SystemTime window_start = std::max(start.value_or(points.front().time), points.front().time);
  SystemTime last_end = std::min(end.value_or(data_end), data_end);
  std::vector<IntensityPoint> windows;
  std::size_t first = 0;
  for (; window_start + window <= last_end; window_start += tick) {
    double average = average_from(points, first, window_start, window_start + window);
    windows.push_back({window_start, window, GramsPerKwh{average}});
  }
  return windows;
}

std::vector<IntensityPoint> best_windows(std::span<const IntensityPoint> forecast, seconds duration,
                                         SystemTime start, SystemTime end) {
  if (forecast.empty()) throw error(errc::invalid_argument, "the forecast is empty");
  SystemTime data_start = forecast.front().time;
  SystemTime data_end = end_of(forecast.back());
  if (!(start < end) || start < data_start || end > data_end)
    throw error(errc::invalid_argument,
                fmt::format("the period {} to {} must be non-empty and inside the forecast "
                            "({} to {})",
                            format_utc_time(start), format_utc_time(end),
                            format_utc_time(data_start), format_utc_time(data_end)));
  auto kept = filter_by_period(forecast, start, end);
  auto windows = rolling_average(kept, duration, start, end);
  if (windows.empty())
    throw error(errc::invalid_argument,
                fmt::format("no {} h window fits between {} and {}", Span(duration).count() / 3600,
                            format_utc_time(start), format_utc_time(end)));
  double best = std::min_element(windows.begin(), windows.end(), [](auto& a, auto& b) {
                  return a.intensity < b.intensity;
                })->intensity.value;
  double tolerance = 1e-9 * std::max(1.0, std::abs(best));
  std::erase_if(windows,
                [&](const IntensityPoint& w) { return w.intensity.value > best + tolerance; });
  return windows;
}

SlotPlan cheapest_slots(std::span<const IntensityPoint> forecast, seconds duration,
                        SystemTime start, SystemTime deadline) {
  std::vector<IntensityPoint> pieces;  // the forecast clipped to [start, deadline)
  for (const auto& p : forecast) {
    SystemTime from = std::max(start, p.time);
    SystemTime to = std::min(deadline, end_of(p));
    if (from < to)
      pieces.push_back({from, std::chrono::duration_cast<seconds>(to - from), p.intensity});
  }
  std::stable_sort(pieces.begin(), pieces.end(),
                   [](auto& a, auto& b) { return a.intensity < b.intensity; });
  SlotPlan plan;
  seconds missing = duration;
  double weighted = 0;
  for (auto& piece : pieces) {
    if (missing.count() <= 0) break;
    piece.duration = std::min(piece.duration, missing);
    missing -= piece.duration;
    weighted += piece.intensity.value * static_cast<double>(piece.duration.count());
    plan.slots.push_back(piece);
  }
  if (missing.count() > 0 || duration.count() <= 0)
    throw error(errc::invalid_argument,
                fmt::format("the forecast covers only {:.2f} h between {} and {}; the job needs "
                            "{:.2f} h",
                            Span(duration - missing).count() / 3600, format_utc_time(start),
                            format_utc_time(deadline), Span(duration).count() / 3600));
  std::sort(plan.slots.begin(), plan.slots.end(), [](auto& a, auto& b) { return a.time < b.time; });
  plan.average = GramsPerKwh{weighted / static_cast<double>(duration.count())};
  return plan;
}

}  // namespace greentrain::scheduling
