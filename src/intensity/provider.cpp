#include "greentrain/intensity/provider.hpp"

#include "greentrain/error.hpp"

namespace greentrain {

std::string_view to_string(Signal signal) noexcept {
  return signal == Signal::average ? "average" : "marginal";
}

Forecast IntensityProvider::forecast(const Location&, SystemTime, SystemTime, std::error_code& ec) {
  ec = errc::unsupported;
  return {};
}

void IntensityProvider::prefetch(std::span<const Location>, SystemTime) {}

std::string IntensityProvider::explain(const Location& location, std::error_code ec) const {
  return std::string(name()) + ": " + ec.message() + " for " + to_string(location);
}

IntensityReading IntensityProvider::intensity_at(const Location& location, SystemTime at) {
  std::error_code ec;
  auto reading = intensity_at(location, at, ec);
  if (ec) throw error(ec, explain(location, ec));
  return reading;
}

Forecast IntensityProvider::forecast(const Location& location, SystemTime from, SystemTime to) {
  std::error_code ec;
  auto result = forecast(location, from, to, ec);
  if (ec) throw error(ec, explain(location, ec));
  return result;
}

}  // namespace greentrain
