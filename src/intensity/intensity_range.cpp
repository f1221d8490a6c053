#include "greentrain/intensity/intensity_range.hpp"

#include <fmt/format.h>

#include <cmath>

#include "greentrain/intensity/time_text.hpp"

namespace greentrain {

std::string intensity_fault(GramsPerKwh intensity) {
  double g = intensity.value;
  if (std::isnan(g)) return "the intensity is not a number";
  if (g < 0 || g > max_intensity_g_per_kwh)
    return fmt::format("{:g} g/kWh is outside 0 to {:g} g/kWh", g, max_intensity_g_per_kwh);
  return {};
}

std::string intensity_fault(const IntensityReading& reading) {
  if (reading.valid_until < reading.valid_from)
    return fmt::format("the figure's interval ends ({}) before it starts ({})",
                       format_utc_time(reading.valid_until), format_utc_time(reading.valid_from));
  return intensity_fault(reading.intensity);
}

std::string intensity_fault(const Forecast& forecast) {
  for (const auto& point : forecast.points) {
    auto fault = intensity_fault(point.intensity);
    if (point.duration.count() < 0)
      fault = fmt::format("a duration of {} s is negative", point.duration.count());
    if (!fault.empty()) return fmt::format("point {}: {}", format_utc_time(point.time), fault);
  }
  return {};
}

}  // namespace greentrain
