#pragma once
// Replay of a recorded intensity time series (`Time,Carbon Intensity`, like data/traces/*.csv):
// "now" is the point covering a given time, and the recorded future serves as a forecast, perfect
// or with multiplicative noise (relative sigma, seeded) to model forecast error. A row further from
// the next than `max_step` leaves a gap: nothing covers it, rather than the row's figure filling
// it.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "greentrain/intensity/provider.hpp"

namespace greentrain {

struct TraceOptions {
  std::string zone;        // serve only this zone key; empty: any location
  double noise_sigma = 0;  // forecast value x (1 + sigma x N(0,1)), at least 0; 0 = perfect
  std::uint64_t seed = 0;  // the same seed, forecast start and point give the same noise
  // The longest a row may stand for. A row before a longer step lasts as long as the row before
  // it (the first row: as long as the next step that is not a gap), and the rest is a gap.
  std::chrono::seconds max_step{std::chrono::hours{3}};
};

class TraceProvider : public IntensityProvider {
 public:
  // Points must be chronological; one without a duration lasts until the next, within max_step
  // (the last as long as the one before).
  TraceProvider(std::vector<IntensityPoint> points, std::string source, TraceOptions options = {});

  // Reads a CSV file row by row: a header, then `time,intensity` rows; times "YYYY-MM-DD HH:MM:SS"
  // (UTC) or ISO 8601. Throws greentrain::error naming the file and line of a malformed row.
  static TraceProvider load(const std::filesystem::path& file, TraceOptions options = {});
  // The same from text; `source` names it in errors and provenance.
  static TraceProvider parse(std::string_view csv, std::string source, TraceOptions options = {});

  std::string_view name() const noexcept override { return "trace"; }
  // The recorded value of the point covering `at`; errc::invalid_argument outside the trace or in
  // one of its gaps.
  IntensityReading intensity_at(const Location& location, SystemTime at,
                                ProviderFault& fault) override;
  // The points overlapping [from, to), noisy when noise_sigma > 0 (the noise depends on the
  // seed, `from` and the point's time, so each forecast issue draws its own errors).
  Forecast forecast(const Location& location, SystemTime from, SystemTime to,
                    ProviderFault& fault) override;
  using IntensityProvider::forecast;
  using IntensityProvider::intensity_at;

  const std::vector<IntensityPoint>& points() const noexcept { return points_; }
  SystemTime begin_time() const noexcept;
  SystemTime end_time() const noexcept;
  // Where no point covers the time between begin_time() and end_time(), in time order.
  std::vector<DataGap> gaps() const;

 private:
  bool serves(const Location& location) const noexcept;
  ProviderFault other_zone(const Location& location) const;
  ProviderFault not_covered() const;  // names the span and the first gap

  std::vector<IntensityPoint> points_;
  std::string source_;
  TraceOptions options_;
};

// The Electricity Maps zone key a trace's file name starts with, alone or before a number, in
// upper case ("gb-2020-halfhourly.csv": GB, "US-CAL-CISO_2021.csv": US-CAL-CISO, "fr.csv": FR);
// empty when it names none ("my-trace.csv").
std::string zone_named_by(const std::filesystem::path& trace);

}  // namespace greentrain
