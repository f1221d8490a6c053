#include "scheduling/expected_intensity.hpp"

#include "greentrain/error.hpp"
#include "greentrain/scheduling/window.hpp"

namespace greentrain::decide {

std::optional<ExpectedIntensity> expected_intensity(IntensityProvider& provider,
                                                    const CloudRegion& region, SystemTime from,
                                                    SystemTime to, std::string& failure) {
  auto location = Location::cloud(region.provider, region.region);
  ProviderFault fault;
  auto forecast = provider.forecast(location, from, to, fault);
  if (!fault && !forecast.points.empty() && forecast.points.front().time <= from &&
      forecast.points.back().time + forecast.points.back().duration >= to) {
    try {
      return ExpectedIntensity{scheduling::average_over_period(forecast.points, from, to),
                               forecast.signal, std::move(forecast.provenance), true};
    } catch (const error&) {
      // a gap in the forecast: fall back to the reading below
    }
  }
  auto reading = provider.intensity_at(location, from, fault);
  if (fault) {
    failure = provider.reason(location, fault);
    return std::nullopt;
  }
  return ExpectedIntensity{reading.intensity, reading.signal, std::move(reading.provenance), false};
}

}  // namespace greentrain::decide
