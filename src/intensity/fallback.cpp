#include "greentrain/intensity/fallback.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "greentrain/error.hpp"

namespace greentrain {
namespace {

// "Electricity Maps unreachable: timed out": short enough to sit in a provenance.
std::string reason(const IntensityProvider& provider, std::error_code ec) {
  bool unreachable = ec == errc::network_error || ec == errc::timeout ||
                     ec == errc::http_error || ec == errc::rate_limited;
  return fmt::format("{} {}: {}", provider.name(), unreachable ? "unreachable" : "failed",
                     ec.message());
}

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& part : parts) out += (out.empty() ? "" : "; ") + part;
  return out;
}

}  // namespace

FallbackProvider::FallbackProvider(std::vector<std::shared_ptr<IntensityProvider>> chain)
    : chain_(std::move(chain)) {
  std::erase(chain_, nullptr);
  name_ = "fallback";
  for (std::size_t i = 0; i < chain_.size(); ++i) {
    name_ += (i == 0 ? ": " : " -> ") + std::string(chain_[i]->name());
  }
}

std::string FallbackProvider::note_failures(const Location& location,
                                            const std::vector<std::string>& reasons) {
  auto text = join(reasons);
  std::lock_guard lock(mutex_);
  last_failure_[to_string(location)] = text;
  return text;
}

namespace {

// Asks each provider in turn; a later provider's answer is degraded and says why the earlier
// ones failed.
template <class Answer, class Ask, class Note>
Answer first_answer(const std::vector<std::shared_ptr<IntensityProvider>>& chain, Ask ask,
                    Note note, std::error_code& ec) {
  std::vector<std::string> reasons;
  std::error_code last = errc::unsupported;
  for (const auto& provider : chain) {
    std::error_code failure;
    Answer answer = ask(*provider, failure);
    if (!failure) {
      if (!reasons.empty()) {
        answer.provenance.degraded = true;
        answer.provenance.source += " (" + note(reasons) + ")";
      }
      ec.clear();
      return answer;
    }
    reasons.push_back(reason(*provider, failure));
    last = failure;
  }
  note(reasons);
  ec = last;
  return {};
}

}  // namespace

IntensityReading FallbackProvider::intensity_at(const Location& location, SystemTime at,
                                                std::error_code& ec) {
  return first_answer<IntensityReading>(
      chain_,
      [&](IntensityProvider& p, std::error_code& e) { return p.intensity_at(location, at, e); },
      [&](const std::vector<std::string>& r) { return note_failures(location, r); }, ec);
}

Forecast FallbackProvider::forecast(const Location& location, SystemTime from, SystemTime to,
                                    std::error_code& ec) {
  return first_answer<Forecast>(
      chain_,
      [&](IntensityProvider& p, std::error_code& e) { return p.forecast(location, from, to, e); },
      [&](const std::vector<std::string>& r) { return note_failures(location, r); }, ec);
}

std::string FallbackProvider::explain(const Location& location, std::error_code ec) const {
  std::string text;
  {
    std::lock_guard lock(mutex_);
    auto it = last_failure_.find(to_string(location));
    if (it != last_failure_.end()) text = it->second;
  }
  if (text.empty()) return IntensityProvider::explain(location, ec);
  return fmt::format("no provider could answer for {}: {}", to_string(location), text);
}

}  // namespace greentrain
