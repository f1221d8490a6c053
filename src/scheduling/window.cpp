#include "greentrain/scheduling/window.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "greentrain/error.hpp"
#include "greentrain/intensity/time_text.hpp"
#include "intensity/series.hpp"

namespace greentrain::scheduling {

namespace {

using Span = std::chrono::duration<double>;

SystemTime end_of(const IntensityPoint& p) { return p.time + p.duration; }

double seconds_between(SystemTime a, SystemTime b) { return Span(b - a).count(); }

double hours(seconds s) { return Span(s).count() / 3600; }

// The same average starting from the first point that may overlap; `first` advances for callers
// that slide forward.
double average_from(std::span<const IntensityPoint> points, std::size_t& first, SystemTime start,
                    SystemTime end) {
  while (first < points.size() && end_of(points[first]) <= start) ++first;
  double weighted = 0;
  double covered = 0;
  SystemTime reached = start;
  std::size_t i = first;
  for (; i < points.size() && points[i].time < end; ++i) {
    const auto& p = points[i];
    if (p.time > reached) break;  // a gap
    SystemTime from = std::max(start, p.time);
    SystemTime to = std::min(end, end_of(p));
    double overlap = seconds_between(from, to);
    weighted += p.intensity.value * overlap;
    covered += overlap;
    reached = to;
  }
  if (reached < end || covered <= 0) {
    if (i < points.size() && points[i].time > reached)
      throw error(errc::invalid_argument,
                  fmt::format("the forecast has no data from {} to {}, needed for {} to {}",
                              format_utc_time(reached), format_utc_time(points[i].time),
                              format_utc_time(start), format_utc_time(end)));
    throw error(errc::invalid_argument,
                fmt::format("the forecast ends at {}, before {}", format_utc_time(reached),
                            format_utc_time(end)));
  }
  return weighted / seconds_between(start, end);
}

// Throws unless the forecast reaches from `start` to `end`, saying which end it misses.
void require_span(std::span<const IntensityPoint> forecast, SystemTime start, SystemTime end) {
  if (forecast.empty()) throw error(errc::invalid_argument, "the forecast is empty");
  if (!(start < end))
    throw error(errc::invalid_argument,
                fmt::format("the period {} to {} is empty: it must end after it starts",
                            format_utc_time(start), format_utc_time(end)));
  SystemTime data_start = forecast.front().time;
  SystemTime data_end = end_of(forecast.back());
  if (start < data_start)
    throw error(errc::invalid_argument,
                fmt::format("the forecast starts at {}, after {}: start no earlier than it",
                            format_utc_time(data_start), format_utc_time(start)));
  if (end > data_end)
    throw error(errc::invalid_argument,
                fmt::format("the forecast ends at {}, before the deadline {}: give a deadline by "
                            "then, or a forecast that reaches the deadline",
                            format_utc_time(data_end), format_utc_time(end)));
}

// The integral of intensity over time and the time covered, from the first point to `t`, for
// times that never decrease from one call to the next: one pass over the points in all.
class RunningIntegral {
 public:
  struct Totals {
    double weighted = 0;  // g/kWh x s
    double covered = 0;   // s
  };

  explicit RunningIntegral(std::span<const IntensityPoint> points) : points_(points) {}

  Totals at(SystemTime t) {
    for (; next_ < points_.size() && end_of(points_[next_]) <= t; ++next_) {
      double length = Span(points_[next_].duration).count();
      whole_.weighted += points_[next_].intensity.value * length;
      whole_.covered += length;
    }
    Totals totals = whole_;
    if (next_ < points_.size() && points_[next_].time < t) {
      double part = seconds_between(points_[next_].time, t);
      totals.weighted += points_[next_].intensity.value * part;
      totals.covered += part;
    }
    return totals;
  }

 private:
  std::span<const IntensityPoint> points_;
  std::size_t next_ = 0;  // the first point not wholly before the last `t`
  Totals whole_;          // of the points before next_
};

// The starts in [first, last] where the average over [s, s + duration) can change slope: s or
// s + duration on a point's edge, plus first and last; increasing, each once. Between two of
// them the average is linear in s, so its minimum lies on one.
class SlopeChanges {
 public:
  SlopeChanges(std::span<const IntensityPoint> points, seconds duration, SystemTime first,
               SystemTime last)
      : points_(points), duration_(duration), next_(first), last_(last) {}

  bool next(SystemTime& start) {
    if (next_ > last_) return false;
    start = next_;
    while (lead_ < edges() && edge(lead_) <= start) ++lead_;
    while (trail_ < edges() && edge(trail_) - duration_ <= start) ++trail_;
    next_ = last_ + seconds{1};
    if (start < last_) next_ = last_;
    if (lead_ < edges()) next_ = std::min(next_, edge(lead_));
    if (trail_ < edges()) next_ = std::min(next_, edge(trail_) - duration_);
    return true;
  }

 private:
  std::size_t edges() const { return 2 * points_.size(); }
  SystemTime edge(std::size_t k) const {  // the start, then the end, of each point
    const auto& p = points_[k / 2];
    return k % 2 == 0 ? p.time : end_of(p);
  }

  std::span<const IntensityPoint> points_;
  seconds duration_;
  SystemTime next_;
  SystemTime last_;
  std::size_t lead_ = 0;   // the first edge after the last start
  std::size_t trail_ = 0;  // the first edge after the last start's end
};

// The windows within `tolerance` (relative) of the least intensity, kept while they arrive.
class Cheapest {
 public:
  void offer(const IntensityPoint& window) {
    double value = window.intensity.value;
    if (!kept_.empty() && value > least_ + tolerance(least_)) return;
    if (kept_.empty() || value < least_) {
      least_ = value;
      std::erase_if(kept_, [&](const IntensityPoint& w) {
        return w.intensity.value > least_ + tolerance(least_);
      });
    }
    kept_.push_back(window);
  }
  std::vector<IntensityPoint> take() { return std::move(kept_); }

 private:
  static double tolerance(double value) { return 1e-9 * std::max(1.0, std::abs(value)); }

  std::vector<IntensityPoint> kept_;
  double least_ = 0;
};

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
  require_span(forecast, start, end);
  // The points overlapping [start, end], as filter_by_period keeps them, without a copy.
  auto first = std::partition_point(forecast.begin(), forecast.end(),
                                    [&](const IntensityPoint& p) { return end_of(p) <= start; });
  auto last = std::partition_point(first, forecast.end(),
                                   [&](const IntensityPoint& p) { return p.time <= end; });
  std::span<const IntensityPoint> kept(first, last);
  Cheapest cheapest;
  if (duration.count() <= 0) {  // the SDK's zero-length window: the points themselves
    for (const auto& p : kept) cheapest.offer(p);
    return cheapest.take();
  }
  if (start + duration > end)
    throw error(errc::invalid_argument,
                fmt::format("no {:g} h window fits between {} and {}", hours(duration),
                            format_utc_time(start), format_utc_time(end)));
  RunningIntegral from_start(kept);
  RunningIntegral to_end(kept);
  SlopeChanges starts(kept, duration, start, end - duration);
  double length = Span(duration).count();
  for (SystemTime s; starts.next(s);) {
    auto before = from_start.at(s);
    auto until = to_end.at(s + duration);
    if (until.covered - before.covered < length - 1e-6) continue;  // the window crosses a gap
    cheapest.offer({s, duration, GramsPerKwh{(until.weighted - before.weighted) / length}});
  }
  auto best = cheapest.take();
  if (best.empty()) {
    auto holes = gaps(forecast, start, end);  // there is one: the forecast reaches both ends
    throw error(
        errc::invalid_argument,
        fmt::format("every {:g} h window between {} and {} crosses one of the forecast's "
                    "{} gaps (the first from {} to {})",
                    hours(duration), format_utc_time(start), format_utc_time(end), holes.size(),
                    format_utc_time(holes.at(0).from), format_utc_time(holes.at(0).to)));
  }
  return best;
}

std::vector<DataGap> gaps(std::span<const IntensityPoint> forecast, SystemTime start,
                          SystemTime end) {
  return detail::gaps_between(forecast, start, end);
}

SlotPlan cheapest_slots(std::span<const IntensityPoint> forecast, seconds duration,
                        SystemTime start, SystemTime deadline) {
  require_span(forecast, start, deadline);
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
                            hours(duration - missing), format_utc_time(start),
                            format_utc_time(deadline), hours(duration)));
  std::sort(plan.slots.begin(), plan.slots.end(), [](auto& a, auto& b) { return a.time < b.time; });
  plan.average = GramsPerKwh{weighted / static_cast<double>(duration.count())};
  return plan;
}

}  // namespace greentrain::scheduling
