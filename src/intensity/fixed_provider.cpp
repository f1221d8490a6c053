#include <fmt/format.h>

#include "greentrain/error.hpp"
#include "greentrain/intensity/fixed.hpp"
#include "greentrain/intensity/intensity_range.hpp"

namespace greentrain {

FixedProvider::FixedProvider(GramsPerKwh intensity, std::string note)
    : intensity_(intensity), note_(std::move(note)) {
  if (auto fault = intensity_fault(intensity); !fault.empty())
    throw error(errc::invalid_argument,
                fmt::format("a forced intensity must be a number from 0 to {:g} g/kWh: {}",
                            max_intensity_g_per_kwh, fault));
}

Provenance FixedProvider::provenance() const {
  return {Basis::user, fmt::format("{}: {:g} gCO2e/kWh", note_, intensity_.value)};
}

IntensityReading FixedProvider::intensity_at(const Location&, SystemTime at, ProviderFault& fault) {
  fault.clear();
  return {intensity_, Signal::average, provenance(), at, SystemTime::max(), {}};
}

Forecast FixedProvider::forecast(const Location& location, SystemTime from, SystemTime to,
                                 ProviderFault& fault) {
  fault.clear();
  if (!(from < to)) {
    fault = fault_for(location, errc::invalid_argument);
    return {};
  }
  auto span = std::chrono::duration_cast<std::chrono::seconds>(to - from);
  return {{{from, span, intensity_}}, Signal::average, provenance()};
}

}  // namespace greentrain
