#pragma once
// How the live providers talk HTTPS: deadlines, retries, a size cap and whom to trust.
#include <chrono>
#include <cstddef>
#include <string>

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
};

}  // namespace greentrain
