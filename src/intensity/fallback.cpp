#include "greentrain/intensity/fallback.hpp"

#include <fmt/format.h>

#include "greentrain/error.hpp"
#include "greentrain/intensity/intensity_range.hpp"
#include "intensity/failure_cause.hpp"

namespace greentrain {
namespace {

bool unreachable(std::error_code ec) {
  return ec == errc::network_error || ec == errc::timeout || ec == errc::rate_limited;
}

// "Electricity Maps unreachable: cannot resolve api.electricitymap.org: ...".
std::string why_not(const IntensityProvider& provider, const Location& location,
                    const ProviderFault& fault) {
  return fmt::format("{} {}: {}", provider.name(),
                     unreachable(fault.code) ? "unreachable" : "failed",
                     detail::failure_cause(provider, location, fault));
}

// A figure no grid can have is refused like a failure, so the next provider answers.
template <class Answer>
std::string refused(const IntensityProvider& provider, const Answer& answer) {
  auto fault = intensity_fault(answer);
  return fault.empty() ? fault
                       : fmt::format("{} refused: it answered an impossible figure ({})",
                                     provider.name(), fault);
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : "; ") + part;
  return out;
}

}  // namespace

FallbackProvider::FallbackProvider(std::vector<std::shared_ptr<IntensityProvider>> chain,
                                   FallbackOptions options)
    : options_(std::move(options)) {
  name_ = "fallback";
  for (auto& provider : chain) {
    if (!provider) continue;
    name_ += (chain_.empty() ? ": " : " -> ") + std::string(provider->name());
    chain_.push_back({std::move(provider), {}});
  }
}

SystemTime FallbackProvider::now() const {
  return options_.clock ? options_.clock() : std::chrono::system_clock::now();
}

void FallbackProvider::judge(Breaker& breaker, std::error_code failure, const std::string& why) {
  std::lock_guard lock(mutex_);
  if (!failure) {
    breaker.error_statuses = 0;
    return;
  }
  bool open = unreachable(failure);
  if (failure == errc::http_error)
    open = ++breaker.error_statuses >= options_.error_statuses_to_skip;
  if (open) {
    breaker.open_until = now() + options_.cooldown;
    breaker.reason = why;
  }
}

// Asks each provider in turn, skipping one that was unreachable a moment ago; a later provider's
// answer is degraded and says why the earlier ones did not answer.
template <class Answer, class Ask>
Answer FallbackProvider::first_answer(const Location& location, Question question, Ask ask,
                                      ProviderFault& fault) {
  std::vector<std::string> reasons;
  std::error_code last = errc::unsupported;
  for (auto& member : chain_) {
    auto& breaker = member.breakers[question];
    {
      std::lock_guard lock(mutex_);
      if (now() < breaker.open_until) {
        reasons.push_back(breaker.reason);
        last = errc::network_error;
        continue;
      }
    }
    ProviderFault member_fault;
    Answer answer = ask(*member.provider, member_fault);
    std::error_code failure = member_fault.code;
    if (failure) {
      reasons.push_back(why_not(*member.provider, location, member_fault));
    } else if (auto impossible = refused(*member.provider, answer); !impossible.empty()) {
      failure = errc::malformed_data;
      reasons.push_back(std::move(impossible));
    }
    judge(breaker, failure, failure ? reasons.back() : std::string());
    if (!failure) {
      if (!reasons.empty()) {
        answer.provenance.degraded = true;
        answer.provenance.source += " (" + join(reasons) + ")";
      }
      fault.clear();
      return answer;
    }
    // A last resort without such data (no forecast) says less than the failure before it.
    if (failure != errc::unsupported || last == errc::unsupported) last = failure;
  }
  fault = reasons.empty() ? fault_for(location, last)
                          : ProviderFault{last, fmt::format("no provider could answer for {}: {}",
                                                            to_string(location), join(reasons))};
  return {};
}

IntensityReading FallbackProvider::intensity_at(const Location& location, SystemTime at,
                                                ProviderFault& fault) {
  return first_answer<IntensityReading>(
      location, reading,
      [&](IntensityProvider& p, ProviderFault& f) { return p.intensity_at(location, at, f); },
      fault);
}

Forecast FallbackProvider::forecast(const Location& location, SystemTime from, SystemTime to,
                                    ProviderFault& fault) {
  return first_answer<Forecast>(
      location, forecasting,
      [&](IntensityProvider& p, ProviderFault& f) { return p.forecast(location, from, to, f); },
      fault);
}

void FallbackProvider::prefetch(std::span<const Location> locations, SystemTime at) {
  for (auto& member : chain_) {
    {
      std::lock_guard lock(mutex_);
      if (now() < member.breakers[reading].open_until) continue;
    }
    member.provider->prefetch(locations, at);
  }
}

}  // namespace greentrain
