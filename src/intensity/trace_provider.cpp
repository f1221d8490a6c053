#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <numbers>

#include "core/bounded_file.hpp"
#include "greentrain/error.hpp"
#include "greentrain/intensity/intensity_range.hpp"
#include "greentrain/intensity/time_text.hpp"
#include "greentrain/intensity/trace.hpp"
#include "core/csv_reader.hpp"
#include "intensity/embedded_tables.hpp"
#include "core/key_text.hpp"
#include "intensity/series.hpp"

namespace greentrain {

namespace {

using std::chrono::seconds;

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

// What a row before a gap (or the only row) stands for: the step before it, else the first step
// after it that is not a gap, else an hour (within max_step).
seconds usual_step(const std::vector<IntensityPoint>& points, std::size_t i, seconds max_step) {
  if (i > 0) return points[i - 1].duration;
  for (std::size_t j = 1; j + 1 < points.size(); ++j) {
    auto step = std::chrono::duration_cast<seconds>(points[j + 1].time - points[j].time);
    if (step <= max_step) return step;
  }
  return std::min(seconds{std::chrono::hours{1}}, max_step);
}

std::vector<IntensityPoint> read_points(std::streambuf& text, const std::string& source) {
  detail::CsvReader reader(text);
  std::vector<IntensityPoint> points;
  detail::CsvRow row;
  for (bool header = true; reader.next(row); header = false) {
    std::optional<SystemTime> time;
    std::optional<double> value;
    if (row.fields.size() == 2) {
      time = parse_utc_time(row.fields[0]);
      value = detail::parse_number(row.fields[1]);
    }
    if (header && !time) continue;
    auto fault = value ? intensity_fault(GramsPerKwh{*value}) : std::string();
    if (!time || !value || !fault.empty())
      throw error(errc::malformed_data,
                  fmt::format("{}:{}: expected `time,intensity` (a UTC time such as 2020-01-01 "
                              "09:00:00 and a number from 0 to {:g} g/kWh), got '{}'{}",
                              source, row.line, max_intensity_g_per_kwh, fmt::join(row.fields, ","),
                              fault.empty() ? "" : ": " + fault));
    if (!points.empty() && *time <= points.back().time)
      throw error(errc::malformed_data, fmt::format("{}:{}: time {} is not after the row before",
                                                    source, row.line, row.fields[0]));
    points.push_back({*time, seconds{0}, GramsPerKwh{*value}});
  }
  return points;
}

}  // namespace

TraceProvider::TraceProvider(std::vector<IntensityPoint> points, std::string source,
                             TraceOptions options)
    : points_(std::move(points)), source_(std::move(source)), options_(std::move(options)) {
  if (points_.empty())
    throw error(errc::malformed_data, fmt::format("trace {} has no points", source_));
  if (options_.noise_sigma < 0 || !std::isfinite(options_.noise_sigma))
    throw error(errc::invalid_argument, "trace noise sigma must be a finite number >= 0");
  if (options_.max_step.count() <= 0)
    throw error(errc::invalid_argument, "a trace's longest step must be longer than 0 s");
  for (std::size_t i = 0; i < points_.size(); ++i) {
    auto fault = intensity_fault(points_[i].intensity);
    if (points_[i].duration.count() < 0)
      fault = fmt::format("a duration of {} s is negative", points_[i].duration.count());
    if (!fault.empty())
      throw error(errc::malformed_data, fmt::format("trace {}: point {} ({}): {}", source_, i + 1,
                                                    format_utc_time(points_[i].time), fault));
  }
  for (std::size_t i = 0; i + 1 < points_.size(); ++i) {
    if (points_[i + 1].time <= points_[i].time)
      throw error(errc::malformed_data,
                  fmt::format("trace {}: point {} ({}) is not after the one before", source_, i + 2,
                              format_utc_time(points_[i + 1].time)));
    if (points_[i].duration.count() > 0) continue;
    auto step = std::chrono::duration_cast<seconds>(points_[i + 1].time - points_[i].time);
    points_[i].duration = step <= options_.max_step
                              ? step
                              : std::min(step, usual_step(points_, i, options_.max_step));
  }
  if (points_.back().duration.count() <= 0)
    points_.back().duration = usual_step(points_, points_.size() - 1, options_.max_step);
}

TraceProvider TraceProvider::parse(std::string_view csv, std::string source, TraceOptions options) {
  detail::TextBuffer text(csv);
  auto points = read_points(text, source);
  return TraceProvider(std::move(points), std::move(source), std::move(options));
}

TraceProvider TraceProvider::load(const std::filesystem::path& file, TraceOptions options) {
  // Checked first (a FIFO or /dev/zero is refused), then streamed: a trace's points take less
  // memory than its text.
  detail::check_regular_file(file, detail::max_trace_bytes, "a trace (a CSV of time,intensity)");
  std::ifstream in(file, std::ios::binary);
  if (!in)
    throw error(errc::io_error, fmt::format("cannot read trace {}: check the path", file.string()));
  auto source = file.filename().string();
  auto points = read_points(*in.rdbuf(), source);
  if (in.bad()) throw error(errc::io_error, fmt::format("cannot read trace {}", file.string()));
  return TraceProvider(std::move(points), std::move(source), std::move(options));
}

SystemTime TraceProvider::begin_time() const noexcept { return points_.front().time; }
SystemTime TraceProvider::end_time() const noexcept {
  return points_.back().time + points_.back().duration;
}

std::vector<DataGap> TraceProvider::gaps() const {
  return detail::gaps_between(points_, begin_time(), end_time());
}

bool TraceProvider::serves(const Location& location) const noexcept {
  return options_.zone.empty() || detail::iequals(location.key, options_.zone);
}

IntensityReading TraceProvider::intensity_at(const Location& location, SystemTime at,
                                             ProviderFault& fault) {
  fault.clear();
  if (!serves(location)) {
    fault = other_zone(location);
    return {};
  }
  if (at < begin_time() || at >= end_time()) {
    fault = not_covered();
    return {};
  }
  auto it = std::upper_bound(points_.begin(), points_.end(), at,
                             [](SystemTime t, const IntensityPoint& p) { return t < p.time; });
  const auto& point = *std::prev(it);
  if (point.time + point.duration <= at) {  // in a gap
    fault = not_covered();
    return {};
  }
  return {point.intensity,
          Signal::average,
          Provenance{Basis::measured, fmt::format("trace {} (recorded), point {}", source_,
                                                  format_utc_time(point.time))},
          point.time,
          point.time + point.duration,
          {}};
}

Forecast TraceProvider::forecast(const Location& location, SystemTime from, SystemTime to,
                                 ProviderFault& fault) {
  fault.clear();
  if (!serves(location)) {
    fault = other_zone(location);
    return {};
  }
  if (!(from < to) || from < begin_time() || from >= end_time()) {
    fault = not_covered();
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
  auto covering = std::prev(first);
  if (covering->time + covering->duration <= from) ++covering;  // `from` is in a gap
  auto past = std::lower_bound(covering, points_.end(), to,
                               [](const IntensityPoint& p, SystemTime t) { return p.time < t; });
  result.points.reserve(static_cast<std::size_t>(past - covering));  // a long forecast, no slack
  for (auto it = covering; it != past; ++it) {
    IntensityPoint point = *it;
    if (noisy)
      point.intensity =
          point.intensity *
          std::max(0.0, 1.0 + options_.noise_sigma * normal(options_.seed, from, point.time));
    result.points.push_back(point);
  }
  return result;
}

ProviderFault TraceProvider::other_zone(const Location& location) const {
  return {errc::unknown_location, fmt::format("trace {} holds zone {}, not {}", source_,
                                              options_.zone, to_string(location))};
}

ProviderFault TraceProvider::not_covered() const {
  auto text = fmt::format("trace {} covers {} to {}", source_, format_utc_time(begin_time()),
                          format_utc_time(end_time()));
  if (auto holes = gaps(); !holes.empty())
    text += fmt::format(" with {} gap{} (the first from {} to {})", holes.size(),
                        holes.size() == 1 ? "" : "s", format_utc_time(holes[0].from),
                        format_utc_time(holes[0].to));
  return {errc::invalid_argument, text + "; ask for a time it covers"};
}

std::string zone_named_by(const std::filesystem::path& trace) {
  std::string name = trace.stem().string();
  for (char& c : name) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (c == '_' || c == '.' || c == ' ') c = '-';
  }
  // The longest run of leading words that is a zone key: "US-CAL-CISO-2021" before "US". It
  // must end the name or come before a number, so that "my-trace.csv" does not name Malaysia.
  for (auto end = name.size(); end != std::string::npos && end > 0;
       end = name.rfind('-', end - 1)) {
    bool before_number =
        end == name.size() ||
        (end + 1 < name.size() && std::isdigit(static_cast<unsigned char>(name[end + 1])) != 0);
    std::string_view key(name.data(), end);
    if (before_number && detail::find_zone(detail::embedded_tables(), key)) return std::string(key);
  }
  return {};
}

}  // namespace greentrain
