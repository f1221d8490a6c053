#include "core/secrets.hpp"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <shared_mutex>

namespace greentrain::detail {

namespace {

constexpr std::string_view marker = "[redacted]";

struct Registry {
  std::shared_mutex mutex;
  std::vector<std::string> secrets;
  std::atomic<bool> any{false};  // read without the lock: the fast path of every sink
};

Registry& registry() {
  static Registry instance;
  return instance;
}

// Marks the bytes that any occurrence of `secret` covers, overlapping occurrences included.
void mark(std::string_view text, std::string_view secret, std::vector<bool>& covered) {
  if (secret.empty()) return;
  for (auto pos = text.find(secret); pos != std::string_view::npos;
       pos = text.find(secret, pos + 1)) {
    if (covered.empty()) covered.resize(text.size(), false);
    std::fill_n(covered.begin() + static_cast<std::ptrdiff_t>(pos), secret.size(), true);
  }
}

// The text with each stretch of covered bytes replaced by one marker.
std::string replace_covered(std::string_view text, const std::vector<bool>& covered) {
  if (covered.empty()) return std::string(text);
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (!covered[i]) {
      out += text[i++];
      continue;
    }
    out += marker;
    while (i < text.size() && covered[i]) ++i;
  }
  return out;
}

std::string redact_with(std::string_view text, const std::vector<std::string>* also) {
  std::vector<bool> covered;
  if (also)
    for (const auto& secret : *also) mark(text, secret, covered);
  Registry& r = registry();
  if (r.any.load(std::memory_order_acquire)) {
    std::shared_lock lock(r.mutex);
    for (const auto& secret : r.secrets) mark(text, secret, covered);
  }
  return replace_covered(text, covered);
}

}  // namespace

void register_secret(std::string value) {
  // A value this short would be found inside ordinary words and figures ("2026" in every time
  // stamp, "fr" in a zone), so redacting it would mangle the outputs; and it is guessed in a few
  // thousand tries, so hiding it protects nothing. Providers still scrub their own short
  // credentials from replies, naming them to redact(text, also).
  if (value.size() < min_secret_bytes) return;
  Registry& r = registry();
  std::unique_lock lock(r.mutex);
  if (std::find(r.secrets.begin(), r.secrets.end(), value) != r.secrets.end()) return;
  r.secrets.push_back(std::move(value));
  r.any.store(true, std::memory_order_release);
}

bool secrets_registered() noexcept { return registry().any.load(std::memory_order_acquire); }

std::string redact(std::string_view text) { return redact_with(text, nullptr); }

std::string redact(std::string_view text, const std::vector<std::string>& also) {
  return redact_with(text, &also);
}

void forget_secrets() {
  Registry& r = registry();
  std::unique_lock lock(r.mutex);
  r.secrets.clear();
  r.any.store(false, std::memory_order_release);
}

}  // namespace greentrain::detail
