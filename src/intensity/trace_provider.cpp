#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cmath>
#include <numbers>

#include "core/bounded_file.hpp"
#include "greentrain/error.hpp"
#include "greentrain/intensity/time_text.hpp"
#include "greentrain/intensity/trace.hpp"
#include "intensity/csv_reader.hpp"
#include "intensity/key_text.hpp"

namespace greentrain {

namespace {

std::uint64_t mix(std::uint64_t x) {  // splitmix64 finaliser
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

double unit_interval(std::uint64_t bits) {  // (0, 1)
  return (static_cast<double>(bits >> 11) + 0.5) * (1.0 / 9007199254740992.0);
}

// A standard normal drawn from (seed, issue time, point time) by Box-Muller.
double normal(std::uint64_t seed, SystemTime issued, SystemTime point) {
  auto a = static_cast<std::uint64_t>(issued.time_since_epoch().count());
  auto b = static_cast<std::uint64_t>(point.time_since_epoch().count());
  std::uint64_t h = mix(seed ^ mix(a ^ mix(b)));
  double u1 = unit_interval(h);
  double u2 = unit_interval(mix(h));
  return std::sqrt(-2.0 * std::log(u1)) * std::cos(2 * std::numbers::pi * u2);
}

}  // namespace

TraceProvider::TraceProvider(std::vector<IntensityPoint> points, std::string source,
                             TraceOptions options)
    : points_(std::move(points)), source_(std::move(source)), options_(std::move(options)) {
  if (points_.empty())
    throw error(errc::malformed_data, fmt::format("trace {} has no points", source_));
  if (options_.noise_sigma < 0 || !std::isfinite(options_.noise_sigma))
    throw error(errc::invalid_argument, "trace noise sigma must be a finite number >= 0");
  for (std::size_t i = 0; i + 1 < points_.size(); ++i) {
    if (points_[i + 1].time <= points_[i].time)
      throw error(errc::malformed_data,
                  fmt::format("trace {}: point {} ({}) is not after the one before", source_, i + 2,
                              format_utc_time(points_[i + 1].time)));
    if (points_[i].duration.count() <= 0)
      points_[i].duration =
          std::chrono::duration_cast<std::chrono::seconds>(points_[i + 1].time - points_[i].time);
  }
  if (points_.back().duration.count() <= 0)
    points_.back().duration =
        points_.size() > 1 ? points_[points_.size() - 2].duration : std::chrono::seconds{3600};
}

TraceProvider TraceProvider::parse(std::string_view csv, std::string source, TraceOptions options) {
  std::vector<IntensityPoint> points;
  auto rows = detail::parse_csv(csv);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    std::optional<SystemTime> time;
    double value = -1;
    if (row.fields.size() == 2) {
      time = parse_utc_time(row.fields[0]);
      value = detail::parse_number(row.fields[1]).value_or(-1);
    }
    if (i == 0 && !time) continue;  // the header
    if (!time || value < 0)
      throw error(errc::malformed_data,
                  fmt::format("{}:{}: expected `time,intensity` (a UTC time such as 2020-01-01 "
                              "09:00:00 and a number >= 0 g/kWh), got '{}'",
                              source, row.line, fmt::join(row.fields, ",")));
    if (!points.empty() && *time <= points.back().time)
      throw error(errc::malformed_data, fmt::format("{}:{}: time {} is not after the row before",
                                                    source, row.line, row.fields[0]));
    points.push_back({*time, std::chrono::seconds{0}, GramsPerKwh{value}});
  }
  return TraceProvider(std::move(points), std::move(source), std::move(options));
}

TraceProvider TraceProvider::load(const std::filesystem::path& file, TraceOptions options) {
  return parse(
      detail::read_regular_file(file, detail::max_trace_bytes, "a trace (a CSV of time,intensity)"),
      file.filename().string(), std::move(options));
}

SystemTime TraceProvider::begin_time() const noexcept { return points_.front().time; }
SystemTime TraceProvider::end_time() const noexcept {
  return points_.back().time + points_.back().duration;
}

bool TraceProvider::serves(const Location& location) const noexcept {
  return options_.zone.empty() || detail::iequals(location.key, options_.zone);
}

IntensityReading TraceProvider::intensity_at(const Location& location, SystemTime at,
                                             std::error_code& ec) {
  ec.clear();
  if (!serves(location)) {
    ec = errc::unknown_location;
    return {};
  }
  if (at < begin_time() || at >= end_time()) {
    ec = errc::invalid_argument;
    return {};
  }
  auto it = std::upper_bound(points_.begin(), points_.end(), at,
                             [](SystemTime t, const IntensityPoint& p) { return t < p.time; });
  const auto& point = *std::prev(it);
  return {point.intensity,
          Signal::average,
          Provenance{Basis::measured, fmt::format("trace {} (recorded), point {}", source_,
                                                  format_utc_time(point.time))},
          point.time,
          point.time + point.duration,
          {}};
}

Forecast TraceProvider::forecast(const Location& location, SystemTime from, SystemTime to,
                                 std::error_code& ec) {
  ec.clear();
  if (!serves(location)) {
    ec = errc::unknown_location;
    return {};
  }
  if (!(from < to) || from < begin_time() || from >= end_time()) {
    ec = errc::invalid_argument;
    return {};
  }
  Forecast result;
  bool noisy = options_.noise_sigma > 0;
  result.provenance =
      noisy ? Provenance{Basis::modelled,
                         fmt::format("trace {} replayed as a forecast with {:g} % noise (seed {})",
                                     source_, options_.noise_sigma * 100, options_.seed)}
            : Provenance{Basis::measured,
                         fmt::format("trace {} replayed as a perfect forecast", source_)};
  auto first = std::upper_bound(points_.begin(), points_.end(), from,
                                [](SystemTime t, const IntensityPoint& p) { return t < p.time; });
  for (auto it = std::prev(first); it != points_.end() && it->time < to; ++it) {
    IntensityPoint point = *it;
    if (noisy)
      point.intensity =
          point.intensity *
          std::max(0.0, 1.0 + options_.noise_sigma * normal(options_.seed, from, point.time));
    result.points.push_back(point);
  }
  return result;
}

std::string TraceProvider::explain(const Location& location, std::error_code ec) const {
  if (ec == errc::unknown_location)
    return fmt::format("trace {} holds zone {}, not {}", source_, options_.zone,
                       to_string(location));
  if (ec == errc::invalid_argument)
    return fmt::format("trace {} covers {} to {}; ask for a time inside it", source_,
                       format_utc_time(begin_time()), format_utc_time(end_time()));
  return IntensityProvider::explain(location, ec);
}

}  // namespace greentrain
