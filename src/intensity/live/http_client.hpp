#pragma once
// A small HTTPS GET client: TLS with peer and host-name checks, deadlines, bounded retries that
// honour Retry-After, a body cap, and many requests at once on one io_context.
// Beast and OpenSSL stay in http_client.cpp.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "core/secrets.hpp"
#include "greentrain/intensity/http_options.hpp"

namespace greentrain::detail {

struct HttpRequest {
  std::string url;  // https://host[:port]/path?query
  // Sent as given and never reported: they may hold credentials.
  std::vector<std::pair<std::string, std::string>> headers;
};

struct HttpResponse {
  unsigned status = 0;
  std::string body;
  std::optional<std::chrono::seconds> retry_after;
  int attempts = 0;
  // Set on transport failures (network_error, timeout, response_too_large) and on error statuses
  // (unauthorized for 401/403, rate_limited for 429, http_error otherwise).
  std::error_code error;
  std::string detail;  // what failed, for people; never headers
};

class HttpClient {
 public:
  explicit HttpClient(HttpOptions options);  // throws greentrain::error for an unreadable CA file
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  HttpResponse get(const HttpRequest& request) const;
  // All requests run concurrently on one io_context; one response per request, in order.
  std::vector<HttpResponse> get_all(const std::vector<HttpRequest>& requests) const;

  const HttpOptions& options() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// "a=1&b=x%20y" from pairs, values percent-encoded.
std::string query_string(const std::vector<std::pair<std::string, std::string>>& params);

// redact(text, secrets) (core/secrets.hpp) removes each of these secrets and every registered one
// (servers sometimes echo what they were sent).

// A string copied from a reply, fit to store, cache or print: every secret removed first, these
// and the registered ones (cutting first could leave part of one), then cut to at most max_bytes on
// a UTF-8 boundary, with control characters (a terminal's escape sequences) replaced by '?'.
std::string reply_text(std::string_view text, const std::vector<std::string>& secrets,
                       std::size_t max_bytes = 80);

}  // namespace greentrain::detail
