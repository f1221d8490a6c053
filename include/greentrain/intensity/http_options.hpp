#pragma once
// How the live providers talk HTTPS: deadlines, retries, a size cap and whom to trust.
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace greentrain {

struct HttpOptions {
  // Resolving and connecting must finish within this, or the attempt fails with errc::timeout.
  std::chrono::milliseconds connect_timeout{5'000};
  // The whole call, retries and backoff included, ends by this deadline.
  std::chrono::milliseconds total_timeout{20'000};
  // Attempts per call; timeouts, connection failures, 429 and 5xx are retried.
  int max_attempts = 3;
  std::chrono::milliseconds initial_backoff{250};  // doubled after each failed attempt
  std::chrono::milliseconds max_backoff{8'000};
  // A server asking to wait longer than this (Retry-After) fails the call with errc::rate_limited.
  std::chrono::seconds max_retry_after{60};
  // Bodies above this fail with errc::response_too_large.
  std::size_t max_body_bytes = 4u << 20;
  // PEM file of the certificate authorities to trust; empty: the system store.
  std::string ca_file;
  // "127.0.0.1:8443": connect there instead of resolving the URL's host (tests, pinned endpoints).
  // TLS still checks the certificate against the URL's host name.
  std::string connect_to;
  // Finds the addresses (numeric text) of a host name; on failure returns none and says why in
  // `why`. Empty: the system resolver (getaddrinfo), bounded by connect_timeout. Tests inject one.
  std::function<std::vector<std::string>(const std::string& host, std::string& why)> resolve;
  // A host that could not be resolved, connected to or verified is not asked again for this long:
  // later calls fail at once with the first failure's cause, so an offline machine ranks many zones
  // in well under a second instead of waiting for a timeout on each. Such failures are not retried
  // within a call either; timeouts after connecting, 429 and 5xx are.
  std::chrono::milliseconds unreachable_for{30'000};
};

}  // namespace greentrain
