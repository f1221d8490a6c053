#include "greentrain/intensity/provider.hpp"

#include "greentrain/error.hpp"

namespace greentrain {

std::string_view to_string(Signal signal) noexcept {
  return signal == Signal::average ? "average" : "marginal";
}

Forecast IntensityProvider::forecast(const Location& location, SystemTime, SystemTime,
                                     ProviderFault& fault) {
  fault = fault_for(location, errc::unsupported);
  return {};
}

void IntensityProvider::prefetch(std::span<const Location>, SystemTime) {}

// A provider written by a user may set only the code.
std::string IntensityProvider::reason(const Location& location, const ProviderFault& fault) const {
  return fault.reason.empty() ? fault_for(location, fault.code).reason : fault.reason;
}

ProviderFault IntensityProvider::fault_for(const Location& location, std::error_code code) const {
  return {code, std::string(name()) + ": " + code.message() + " for " + to_string(location)};
}

IntensityReading IntensityProvider::intensity_at(const Location& location, SystemTime at) {
  ProviderFault fault;
  auto reading = intensity_at(location, at, fault);
  if (fault) throw error(fault.code, reason(location, fault));
  return reading;
}

Forecast IntensityProvider::forecast(const Location& location, SystemTime from, SystemTime to) {
  ProviderFault fault;
  auto result = forecast(location, from, to, fault);
  if (fault) throw error(fault.code, reason(location, fault));
  return result;
}

}  // namespace greentrain
