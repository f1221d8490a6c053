#pragma once
// A scripted provider for the cache and fallback tests: answers a fixed figure or fails.
#include <string>
#include <system_error>

#include "greentrain/intensity/provider.hpp"

namespace greentrain::test {

class FakeProvider final : public IntensityProvider {
 public:
  FakeProvider(std::string name, double grams_per_kwh)
      : figure(grams_per_kwh), name_(std::move(name)) {}

  double figure;
  std::error_code failure;                    // when set, every call fails with it
  std::string failure_text = "fake failure";  // empty: the code alone, as a user's provider may
  int calls = 0;

  std::string_view name() const noexcept override { return name_; }

  IntensityReading intensity_at(const Location& location, SystemTime at,
                                ProviderFault& fault) override {
    ++calls;
    if (failure) {
      fault = {failure, failure_text};
      return {};
    }
    fault.clear();
    IntensityReading r;
    r.intensity = GramsPerKwh{figure};
    r.provenance = {Basis::measured, name_ + " " + location.key, 1.0, 1.0, false};
    r.valid_from = std::chrono::floor<std::chrono::hours>(at);
    r.valid_until = r.valid_from + std::chrono::hours(1);
    return r;
  }

  Forecast forecast(const Location& location, SystemTime from, SystemTime to,
                    ProviderFault& fault) override {
    ++calls;
    if (failure) {
      fault = {failure, failure_text};
      return {};
    }
    fault.clear();
    Forecast f;
    f.provenance = {Basis::modelled, name_ + " forecast " + location.key, 1.0, 1.0, false};
    for (auto t = std::chrono::floor<std::chrono::hours>(from); t < to;
         t += std::chrono::hours(1)) {
      f.points.push_back({t, std::chrono::hours(1), GramsPerKwh{figure}});
    }
    return f;
  }

 private:
  std::string name_;
};

}  // namespace greentrain::test
