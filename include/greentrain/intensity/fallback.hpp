#pragma once
// Asks providers in order (live -> cache -> embedded) and says, in the answer, when it fell back.
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "greentrain/intensity/provider.hpp"

namespace greentrain {

struct FallbackOptions {
  // A provider that could not be reached (network error, timeout, rate limit), or that answered
  // with an error status `error_statuses_to_skip` times in a row, is skipped for this long, so an
  // offline machine does not wait for a timeout on every question. Readings and forecasts are
  // judged apart: a plan without forecasts still serves readings.
  std::chrono::seconds cooldown{60};
  int error_statuses_to_skip = 3;
  std::function<SystemTime()> clock;  // empty: the system clock
};

class FallbackProvider final : public IntensityProvider {
 public:
  // The first provider is preferred; an answer from any later one is marked degraded and its
  // source names why the earlier ones failed. Empty entries are skipped.
  explicit FallbackProvider(std::vector<std::shared_ptr<IntensityProvider>> chain,
                            FallbackOptions options = {});

  std::string_view name() const noexcept override { return name_; }
  IntensityReading intensity_at(const Location& location, SystemTime at,
                                ProviderFault& fault) override;
  Forecast forecast(const Location& location, SystemTime from, SystemTime to,
                    ProviderFault& fault) override;
  void prefetch(std::span<const Location> locations, SystemTime at) override;
  using IntensityProvider::forecast;
  using IntensityProvider::intensity_at;

 private:
  struct Breaker {
    SystemTime open_until{};
    std::string reason;
    int error_statuses = 0;  // in a row
  };
  enum Question { reading = 0, forecasting = 1 };
  struct Member {
    std::shared_ptr<IntensityProvider> provider;
    Breaker breakers[2];
  };

  template <class Answer, class Ask>
  Answer first_answer(const Location& location, Question question, Ask ask, ProviderFault& fault);
  void judge(Breaker& breaker, std::error_code failure, const std::string& reason);
  SystemTime now() const;

  std::vector<Member> chain_;
  FallbackOptions options_;
  std::string name_;
  mutable std::mutex mutex_;  // the breakers
};

}  // namespace greentrain
