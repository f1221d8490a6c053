#pragma once
// The intensity-provider interface: grams CO2e per kWh for a location, now and as a forecast.
#include <chrono>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "greentrain/intensity/location.hpp"
#include "greentrain/provenance.hpp"
#include "greentrain/units.hpp"

namespace greentrain {

using SystemTime = std::chrono::system_clock::time_point;

// Average intensity is what the grid mix emits per kWh; marginal (WattTime's MOER) is what one more
// kWh emits. They answer different questions and are never mixed silently.
enum class Signal { average, marginal };

std::string_view to_string(Signal signal) noexcept;

struct IntensityReading {
  GramsPerKwh intensity{};
  Signal signal = Signal::average;
  Provenance provenance;
  SystemTime valid_from{};  // the interval this figure describes
  SystemTime valid_until{};
  std::chrono::seconds age{0};  // how old the figure was when served (cache)
};

struct IntensityPoint {
  SystemTime time{};
  std::chrono::seconds duration{0};
  GramsPerKwh intensity{};
};

// A period that no point covers: a recorded trace or a service missing figures.
struct DataGap {
  SystemTime from{};
  SystemTime to{};
};

struct Forecast {
  std::vector<IntensityPoint> points;  // chronological; contiguous but where figures are missing
  Signal signal = Signal::average;
  Provenance provenance;
};

// Why a provider gave no answer: the code to branch on and a sentence for people (what was wrong,
// what to do; never credentials). It comes back with the answer rather than living in the
// provider, so two callers sharing a provider each learn their own reason.
struct ProviderFault {
  std::error_code code;
  std::string reason;

  explicit operator bool() const noexcept { return static_cast<bool>(code); }
  void clear() noexcept {
    code.clear();
    reason.clear();
  }
};

class IntensityProvider {
 public:
  virtual ~IntensityProvider() = default;

  virtual std::string_view name() const noexcept = 0;

  // The intensity that applies at time `at`. Faults: unknown_location, network faults, ...
  virtual IntensityReading intensity_at(const Location& location, SystemTime at,
                                        ProviderFault& fault) = 0;

  // Points covering [from, to). Providers without forecasts answer errc::unsupported.
  virtual Forecast forecast(const Location& location, SystemTime from, SystemTime to,
                            ProviderFault& fault);

  // Gets ready to answer intensity_at(location, at) for many locations: a live provider fetches
  // them concurrently, so the questions that follow are answered from memory. The default does
  // nothing; failures surface in the questions that follow.
  virtual void prefetch(std::span<const Location> locations, SystemTime at);

  // The fault's reason, or fault_for's sentence when a provider set only the code.
  std::string reason(const Location& location, const ProviderFault& fault) const;

  // Throwing forms: greentrain::error with the fault's reason.
  IntensityReading intensity_at(const Location& location, SystemTime at);
  Forecast forecast(const Location& location, SystemTime from, SystemTime to);

 protected:
  // A fault with the plain sentence "NAME: MESSAGE for LOCATION", for faults that need no more.
  ProviderFault fault_for(const Location& location, std::error_code code) const;
};

}  // namespace greentrain
