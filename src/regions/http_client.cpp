#include "http_client.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cctype>
#include <charconv>

#include "greentrain/error.hpp"

namespace greentrain::detail {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using Clock = std::chrono::steady_clock;
using asio::awaitable;

struct Url {
  std::string host;
  std::string port;
  std::string target;
  std::string where() const { return host + target.substr(0, target.find('?')); }
};

std::optional<std::pair<std::string, std::string>> split_host_port(std::string_view authority,
                                                                   std::string_view default_port) {
  if (authority.empty() || authority.find('@') != std::string_view::npos) return std::nullopt;
  auto colon = authority.rfind(':');
  if (colon == std::string_view::npos)
    return std::pair{std::string(authority), std::string(default_port)};
  if (colon == 0 || colon + 1 == authority.size()) return std::nullopt;
  return std::pair{std::string(authority.substr(0, colon)),
                   std::string(authority.substr(colon + 1))};
}

std::optional<Url> parse_url(std::string_view url) {
  constexpr std::string_view scheme = "https://";
  if (!url.starts_with(scheme)) return std::nullopt;
  url.remove_prefix(scheme.size());
  auto slash = url.find('/');
  auto host_port = split_host_port(url.substr(0, slash), "443");
  if (!host_port) return std::nullopt;
  return Url{host_port->first, host_port->second,
             slash == std::string_view::npos ? "/" : std::string(url.substr(slash))};
}

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value) {
  long long seconds = 0;
  auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (ec != std::errc{} || end != value.data() + value.size() || seconds < 0) return std::nullopt;
  return std::chrono::seconds(seconds);  // the HTTP-date form is not used by the carbon APIs
}

struct Attempt {
  HttpResponse response;
  bool retryable = false;
};

void fail(Attempt& attempt, errc code, std::string detail, bool retryable) {
  attempt.response.error = code;
  attempt.response.detail = std::move(detail);
  attempt.retryable = retryable;
}

std::string tls_failure(const beast::error_code& ec, SSL* ssl_handle) {
  long verify = SSL_get_verify_result(ssl_handle);
  if (verify != X509_V_OK) return X509_verify_cert_error_string(verify);
  return ec.message();
}

void classify_status(Attempt& attempt, const Url& url) {
  auto& r = attempt.response;
  if (r.status >= 200 && r.status < 300) return;
  auto where = url.where();
  if (r.status == 401 || r.status == 403) {
    fail(attempt, errc::unauthorized,
         fmt::format("{} answered {}: the credentials were refused", where, r.status), false);
  } else if (r.status == 429) {
    fail(attempt, errc::rate_limited, fmt::format("{} answered 429: too many requests", where),
         true);
  } else {
    bool transient = r.status == 500 || r.status == 502 || r.status == 503 || r.status == 504;
    fail(attempt, errc::http_error, fmt::format("{} answered {}", where, r.status), transient);
  }
}

awaitable<Attempt> attempt_once(ssl::context& tls, const HttpOptions& options, const Url& url,
                                const HttpRequest& request, Clock::time_point deadline) {
  auto executor = co_await asio::this_coro::executor;
  Attempt out;
  beast::error_code ec;
  auto connect_deadline = std::min(deadline, Clock::now() + options.connect_timeout);

  auto target = std::pair{url.host, url.port};
  if (!options.connect_to.empty()) {
    auto pinned = split_host_port(options.connect_to, url.port);
    if (!pinned) {
      fail(out, errc::invalid_argument,
           fmt::format("connect_to '{}' is not HOST:PORT", options.connect_to), false);
      co_return out;
    }
    target = *pinned;
  }

  // The resolver has no deadline of its own: a timer cancels it.
  auto resolver = std::make_shared<tcp::resolver>(executor);
  asio::steady_timer resolve_guard(executor, connect_deadline);
  resolve_guard.async_wait([resolver](beast::error_code e) {
    if (!e) resolver->cancel();
  });
  auto endpoints = co_await resolver->async_resolve(target.first, target.second,
                                                    asio::redirect_error(asio::use_awaitable, ec));
  resolve_guard.cancel();
  if (ec) {
    bool late = Clock::now() >= connect_deadline;
    fail(out, late ? errc::timeout : errc::network_error,
         fmt::format("cannot resolve {}: {}", target.first, late ? "timed out" : ec.message()),
         true);
    co_return out;
  }

  beast::ssl_stream<beast::tcp_stream> stream(executor, tls);
  if (!SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str())) {
    fail(out, errc::network_error, fmt::format("cannot set the TLS server name {}", url.host),
         false);
    co_return out;
  }
  stream.set_verify_mode(ssl::verify_peer);
  stream.set_verify_callback(ssl::host_name_verification(url.host));
  auto& socket = beast::get_lowest_layer(stream);

  socket.expires_at(connect_deadline);
  co_await socket.async_connect(endpoints, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    bool late = ec == beast::error::timeout;
    fail(out, late ? errc::timeout : errc::network_error,
         fmt::format("cannot connect to {}:{}: {}", target.first, target.second,
                     late ? "timed out" : ec.message()),
         true);
    co_return out;
  }

  socket.expires_at(deadline);
  co_await stream.async_handshake(ssl::stream_base::client,
                                  asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    if (ec == beast::error::timeout) {
      fail(out, errc::timeout, fmt::format("TLS handshake with {} timed out", url.host), true);
    } else {
      fail(out, errc::network_error,
           fmt::format("TLS handshake with {} failed ({}): check the host name and the CA file",
                       url.host, tls_failure(ec, stream.native_handle())),
           false);
    }
    co_return out;
  }

  http::request<http::empty_body> message{http::verb::get, url.target, 11};
  message.set(http::field::host, url.port == "443" ? url.host : url.host + ":" + url.port);
  message.set(http::field::user_agent, "greentrain");
  message.set(http::field::accept, "application/json");
  for (const auto& [name, value] : request.headers) message.set(name, value);
  co_await http::async_write(stream, message, asio::redirect_error(asio::use_awaitable, ec));

  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(options.max_body_bytes);
  if (!ec) {
    co_await http::async_read_header(stream, buffer, parser,
                                     asio::redirect_error(asio::use_awaitable, ec));
  }
  // Boost 1.74's parser does not compare Content-Length with body_limit; check it here.
  if (!ec && parser.content_length() && *parser.content_length() > options.max_body_bytes) {
    ec = http::error::body_limit;
  }
  if (!ec) {
    co_await http::async_read(stream, buffer, parser,
                              asio::redirect_error(asio::use_awaitable, ec));
  }
  if (ec == http::error::body_limit) {
    fail(out, errc::response_too_large,
         fmt::format("{} sent a body over {} bytes", url.where(), options.max_body_bytes), false);
  } else if (ec == beast::error::timeout) {
    fail(out, errc::timeout, fmt::format("{} did not answer in time", url.where()), true);
  } else if (ec) {
    fail(out, errc::network_error,
         fmt::format("{}: the response was cut short ({})", url.where(), ec.message()), true);
  }
  if (ec) co_return out;

  auto& response = parser.get();
  out.response.status = response.result_int();
  if (auto it = response.find(http::field::retry_after); it != response.end()) {
    out.response.retry_after =
        parse_retry_after(std::string_view(it->value().data(), it->value().size()));
  }
  out.response.body = std::move(response.body());
  classify_status(out, url);
  // No TLS close_notify round trip: the response is complete and the deadline matters more.
  beast::error_code ignored;
  socket.socket().shutdown(tcp::socket::shutdown_both, ignored);
  co_return out;
}

awaitable<HttpResponse> fetch(ssl::context& tls, const HttpOptions& options, HttpRequest request) {
  auto deadline = Clock::now() + options.total_timeout;
  HttpResponse last;
  auto url = parse_url(request.url);
  if (!url) {
    last.error = errc::invalid_argument;
    last.detail = "only https://HOST[:PORT]/PATH URLs are fetched";
    co_return last;
  }
  asio::steady_timer pause(co_await asio::this_coro::executor);
  auto backoff = options.initial_backoff;
  for (int attempt = 1; attempt <= std::max(1, options.max_attempts); ++attempt) {
    auto outcome = co_await attempt_once(tls, options, *url, request, deadline);
    last = std::move(outcome.response);
    last.attempts = attempt;
    if (!outcome.retryable || attempt >= options.max_attempts) break;
    std::chrono::milliseconds wait = backoff;
    if (last.retry_after) {
      if (*last.retry_after > options.max_retry_after) {
        last.detail += fmt::format("; the server asks to wait {} s, more than the {} s allowed",
                                   last.retry_after->count(), options.max_retry_after.count());
        break;
      }
      wait = *last.retry_after;
    }
    if (Clock::now() + wait >= deadline) break;
    pause.expires_after(wait);
    beast::error_code ignored;
    co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ignored));
    backoff = std::min(backoff * 2, options.max_backoff);
  }
  if (last.error && last.attempts > 1) {
    last.detail += fmt::format(" (after {} attempts)", last.attempts);
  }
  co_return last;
}

}  // namespace

struct HttpClient::Impl {
  HttpOptions options;
  ssl::context tls{ssl::context::tls_client};
};

HttpClient::HttpClient(HttpOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  auto& tls = impl_->tls;
  tls.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                  ssl::context::no_sslv3 | ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
  beast::error_code ec;
  if (impl_->options.ca_file.empty()) {
    tls.set_default_verify_paths(ec);
  } else {
    tls.load_verify_file(impl_->options.ca_file, ec);
  }
  if (ec) {
    throw error(errc::io_error,
                fmt::format("cannot load the trusted certificates{}: {}; give a readable PEM file",
                            impl_->options.ca_file.empty() ? "" : " from " + impl_->options.ca_file,
                            ec.message()));
  }
  tls.set_verify_mode(ssl::verify_peer);
}

HttpClient::~HttpClient() = default;

const HttpOptions& HttpClient::options() const noexcept { return impl_->options; }

HttpResponse HttpClient::get(const HttpRequest& request) const {
  return std::move(get_all({request}).front());
}

std::vector<HttpResponse> HttpClient::get_all(const std::vector<HttpRequest>& requests) const {
  std::vector<HttpResponse> responses(requests.size());
  asio::io_context io(1);
  for (std::size_t i = 0; i < requests.size(); ++i) {
    asio::co_spawn(io, fetch(impl_->tls, impl_->options, requests[i]),
                   [&responses, i](std::exception_ptr failure, HttpResponse response) {
                     if (failure) {
                       responses[i].error = errc::network_error;
                       responses[i].detail = "the request failed inside the HTTP client";
                     } else {
                       responses[i] = std::move(response);
                     }
                   });
  }
  io.run();
  return responses;
}

std::string query_string(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out += '&';
    out += name;
    out += '=';
    for (unsigned char c : value) {
      if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
        out += static_cast<char>(c);
      } else {
        out += fmt::format("%{:02X}", c);
      }
    }
  }
  return out;
}

std::string redact(std::string text, const std::vector<std::string>& secrets) {
  for (const auto& secret : secrets) {
    if (secret.empty()) continue;
    for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos)) {
      text.replace(pos, secret.size(), "[redacted]");
      pos += 10;
    }
  }
  return text;
}

}  // namespace greentrain::detail
