#include "http_client.hpp"

#include <arpa/inet.h>
#include <fmt/format.h>
#include <netdb.h>

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
#include <cerrno>
#include <charconv>
#include <condition_variable>
#include <cstring>
#include <map>
#include <mutex>
#include <thread>
#include <tuple>

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
  bool tried = true;  // false when answered from what is known about the host
};

void fail(Attempt& attempt, errc code, std::string detail, bool retryable) {
  attempt.response.error = code;
  attempt.response.detail = std::move(detail);
  attempt.retryable = retryable;
}

// Hosts that could not be resolved, connected to or verified, shared by every call of one client:
// asking them again before `unreachable_for` has passed would only repeat the wait.
class UnreachableHosts {
 public:
  struct Failure {
    errc code;
    std::string cause;
  };

  std::optional<Failure> find(const std::string& host) {
    std::lock_guard lock(mutex_);
    auto it = hosts_.find(host);
    if (it == hosts_.end()) return std::nullopt;
    if (Clock::now() >= it->second.until) {
      hosts_.erase(it);
      return std::nullopt;
    }
    return it->second.failure;
  }

  void mark(const std::string& host, Failure failure, std::chrono::milliseconds duration) {
    std::lock_guard lock(mutex_);
    hosts_[host] = {std::move(failure), Clock::now() + duration};
  }

 private:
  struct Entry {
    Failure failure;
    Clock::time_point until;
  };
  std::mutex mutex_;
  std::map<std::string, Entry> hosts_;
};

// Within one get_all the first request to a host connects alone and the others wait for its TLS
// handshake: a host that cannot be reached costs one attempt, not one per request.
struct Gate {
  bool probing = false;
  bool open = false;
  std::vector<std::shared_ptr<asio::steady_timer>> waiting;

  void release() {
    open = true;
    for (auto& timer : waiting) timer->cancel();
    waiting.clear();
  }
};

// Where the requests to one HOST:PORT go, as resolved for one get_all.
struct Host {
  std::string name;  // what is resolved and connected to: connect_to, else the URL's host
  std::string port;
  std::vector<tcp::endpoint> endpoints;
  std::optional<HttpResponse> failure;  // set when it cannot be asked at all
  Gate gate;
  std::string key() const { return name + ":" + port; }
};

std::vector<std::string> system_resolve(const std::string& host, std::string& why) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  int rc = ::getaddrinfo(host.c_str(), nullptr, &hints, &found);
  if (rc != 0) {
    why = rc == EAI_SYSTEM ? std::strerror(errno) : ::gai_strerror(rc);
    return {};
  }
  std::vector<std::string> addresses;
  for (auto* a = found; a; a = a->ai_next) {
    char text[INET6_ADDRSTRLEN] = {};
    const void* address =
        a->ai_family == AF_INET
            ? static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(a->ai_addr)->sin_addr)
            : static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(a->ai_addr)->sin6_addr);
    if (::inet_ntop(a->ai_family, address, text, sizeof text)) addresses.emplace_back(text);
  }
  ::freeaddrinfo(found);
  return addresses;
}

// getaddrinfo cannot be cancelled, and asio's resolver waits for it however long the system's
// resolver takes: it runs on a thread of its own, left to finish alone past the limit. nullopt: no
// answer within the limit.
std::optional<std::vector<std::string>> resolve_within(const HttpOptions& options,
                                                       const std::string& host, std::string& why) {
  struct Outcome {
    std::mutex mutex;
    std::condition_variable done_signal;
    bool done = false;
    std::vector<std::string> addresses;
    std::string why;
  };
  auto outcome = std::make_shared<Outcome>();
  auto resolve = options.resolve ? options.resolve : system_resolve;
  try {
    std::thread([outcome, resolve, host] {
      std::string cause;
      auto addresses = resolve(host, cause);
      std::lock_guard lock(outcome->mutex);
      outcome->addresses = std::move(addresses);
      outcome->why = std::move(cause);
      outcome->done = true;
      outcome->done_signal.notify_all();
    }).detach();
  } catch (const std::system_error& e) {
    why = e.what();
    return std::vector<std::string>{};
  }
  std::unique_lock lock(outcome->mutex);
  if (!outcome->done_signal.wait_for(lock, options.connect_timeout,
                                     [&] { return outcome->done; })) {
    return std::nullopt;
  }
  why = outcome->why;
  return outcome->addresses;
}

std::optional<unsigned short> parse_port(std::string_view text) {
  unsigned port = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (ec != std::errc{} || end != text.data() + text.size() || port == 0 || port > 65535)
    return std::nullopt;
  return static_cast<unsigned short>(port);
}

HttpResponse failed(errc code, std::string detail, int attempts) {
  HttpResponse out;
  out.error = code;
  out.detail = std::move(detail);
  out.attempts = attempts;
  return out;
}

// The first failure's cause, for a call answered from memory without asking.
std::string remembered(const UnreachableHosts::Failure& failure, const HttpOptions& options) {
  return fmt::format(
      "{} (not tried again within {} s)", failure.cause,
      std::chrono::duration_cast<std::chrono::seconds>(options.unreachable_for).count());
}

// Finds the endpoints of a host, or why it cannot be asked; a failure is remembered.
void locate(Host& host, const HttpOptions& options, UnreachableHosts& unreachable) {
  if (auto known = unreachable.find(host.key())) {
    host.failure = failed(known->code, remembered(*known, options), 0);
    return;
  }
  auto port = parse_port(host.port);
  if (!port) {
    host.failure = failed(errc::invalid_argument,
                          fmt::format("'{}' is not a port number (1 to 65535)", host.port), 0);
    return;
  }
  beast::error_code ec;
  auto numeric = asio::ip::make_address(host.name, ec);
  if (!ec) {
    host.endpoints.emplace_back(numeric, *port);
    return;
  }
  std::string why;
  auto addresses = resolve_within(options, host.name, why);
  for (const auto& text : addresses.value_or(std::vector<std::string>{})) {
    auto address = asio::ip::make_address(text, ec);
    if (!ec) host.endpoints.emplace_back(address, *port);
  }
  if (!host.endpoints.empty()) return;
  UnreachableHosts::Failure failure{
      addresses ? errc::network_error : errc::timeout,
      !addresses
          ? fmt::format("cannot resolve {}: no answer within {} ms", host.name,
                        options.connect_timeout.count())
          : fmt::format("cannot resolve {}: {}", host.name, why.empty() ? "no address" : why)};
  unreachable.mark(host.key(), failure, options.unreachable_for);
  host.failure = failed(failure.code, failure.cause, 1);
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

struct Call {
  ssl::context& tls;
  const HttpOptions& options;
  UnreachableHosts& unreachable;
};

awaitable<Attempt> attempt_once(Call call, const Url& url, const HttpRequest& request, Host& host,
                                Clock::time_point deadline) {
  auto executor = co_await asio::this_coro::executor;
  const auto& options = call.options;
  Attempt out;
  beast::error_code ec;

  // Releases the gate on every way out: after the handshake, or when the first attempt fails.
  struct Release {
    Gate* gate = nullptr;
    ~Release() {
      if (gate) gate->release();
    }
  } release;
  if (!host.gate.open) {
    if (!host.gate.probing) {
      host.gate.probing = true;
      release.gate = &host.gate;
    } else {
      auto wait = std::make_shared<asio::steady_timer>(executor, deadline);
      host.gate.waiting.push_back(wait);
      co_await wait->async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
  }
  if (auto known = call.unreachable.find(host.key())) {
    fail(out, known->code, remembered(*known, options), false);
    out.tried = false;
    co_return out;
  }
  auto unreachable = [&](errc code, std::string cause) {
    call.unreachable.mark(host.key(), {code, cause}, options.unreachable_for);
    fail(out, code, std::move(cause), false);
  };

  beast::ssl_stream<beast::tcp_stream> stream(executor, call.tls);
  if (!SSL_set_tlsext_host_name(stream.native_handle(), url.host.c_str())) {
    fail(out, errc::network_error, fmt::format("cannot set the TLS server name {}", url.host),
         false);
    co_return out;
  }
  stream.set_verify_mode(ssl::verify_peer);
  stream.set_verify_callback(ssl::host_name_verification(url.host));
  auto& socket = beast::get_lowest_layer(stream);

  socket.expires_at(std::min(deadline, Clock::now() + options.connect_timeout));
  co_await socket.async_connect(host.endpoints, asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    bool late = ec == beast::error::timeout;
    unreachable(late ? errc::timeout : errc::network_error,
                fmt::format("cannot connect to {}:{}: {}", host.name, host.port,
                            late ? "timed out" : ec.message()));
    co_return out;
  }

  socket.expires_at(deadline);
  co_await stream.async_handshake(ssl::stream_base::client,
                                  asio::redirect_error(asio::use_awaitable, ec));
  if (ec == beast::error::timeout) {
    fail(out, errc::timeout, fmt::format("TLS handshake with {} timed out", url.host), true);
    co_return out;
  }
  if (ec) {
    unreachable(
        errc::network_error,
        fmt::format("TLS handshake with {} failed ({}): check the host name and the CA file",
                    url.host, tls_failure(ec, stream.native_handle())));
    co_return out;
  }
  if (release.gate) std::exchange(release.gate, nullptr)->release();

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

awaitable<HttpResponse> fetch(Call call, Url url, const HttpRequest& request, Host& host) {
  const auto& options = call.options;
  auto deadline = Clock::now() + options.total_timeout;
  HttpResponse last;
  asio::steady_timer pause(co_await asio::this_coro::executor);
  auto backoff = options.initial_backoff;
  int tried = 0;
  for (int attempt = 1; attempt <= std::max(1, options.max_attempts); ++attempt) {
    auto outcome = co_await attempt_once(call, url, request, host, deadline);
    last = std::move(outcome.response);
    if (outcome.tried) ++tried;
    last.attempts = tried;
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
  UnreachableHosts unreachable;
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
  const auto& options = impl_->options;
  std::vector<HttpResponse> responses(requests.size());
  std::vector<std::optional<Url>> urls(requests.size());
  std::map<std::string, Host> hosts;  // by HOST:PORT connected to
  std::vector<Host*> host_of(requests.size(), nullptr);
  for (std::size_t i = 0; i < requests.size(); ++i) {
    urls[i] = parse_url(requests[i].url);
    if (!urls[i]) {
      responses[i] =
          failed(errc::invalid_argument, "only https://HOST[:PORT]/PATH URLs are fetched", 0);
      continue;
    }
    Host host{urls[i]->host, urls[i]->port, {}, {}, {}};
    if (!options.connect_to.empty()) {
      auto pinned = split_host_port(options.connect_to, urls[i]->port);
      if (!pinned) {
        responses[i] =
            failed(errc::invalid_argument,
                   fmt::format("connect_to '{}' is not HOST:PORT", options.connect_to), 0);
        continue;
      }
      std::tie(host.name, host.port) = *pinned;
    }
    auto key = host.key();
    host_of[i] = &hosts.try_emplace(key, std::move(host)).first->second;
  }
  for (auto& [key, host] : hosts) locate(host, options, impl_->unreachable);

  asio::io_context io(1);
  Call call{impl_->tls, options, impl_->unreachable};
  for (std::size_t i = 0; i < requests.size(); ++i) {
    if (!host_of[i]) continue;
    if (host_of[i]->failure) {
      responses[i] = *host_of[i]->failure;
      continue;
    }
    asio::co_spawn(io, fetch(call, *urls[i], requests[i], *host_of[i]),
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

std::string reply_text(std::string_view text, const std::vector<std::string>& secrets,
                       std::size_t max_bytes) {
  auto out = redact(text, secrets);
  if (out.size() > max_bytes) {
    auto cut = max_bytes;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
    out += "...";
  }
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7F) c = '?';
  }
  return out;
}

}  // namespace greentrain::detail
