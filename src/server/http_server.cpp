#include <fmt/format.h>

#include <array>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <list>
#include <optional>
#include <thread>

#include "access.hpp"
#include "dashboard_page.hpp"
#include "greentrain/error.hpp"
#include "greentrain/outputs/json.hpp"
#include "greentrain/server.hpp"
#include "greentrain/tracker.hpp"
#include "login_page.hpp"
#include "metrics_text.hpp"
#include "core/secrets.hpp"
#include "core/text.hpp"

namespace greentrain {

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

// A client that reads its answer slower than this loses it.
constexpr auto write_timeout = std::chrono::seconds(10);
// Only the login form has a body: `token=...`.
constexpr std::uint64_t max_body_bytes = 1024;
constexpr std::string_view session_cookie = "greentrain_session";

// The page may run its own inline script and talk to this server, and nothing else.
constexpr std::string_view dashboard_policy =
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "connect-src 'self'; img-src data:; frame-ancestors 'none'";
constexpr std::string_view login_policy =
    "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";

std::optional<SystemTime> unix_time(std::string_view query) {
  constexpr std::string_view key = "since=";
  auto at = query.find(key);
  if (at == std::string_view::npos) return SystemTime{};
  query.remove_prefix(at + key.size());
  query = query.substr(0, query.find('&'));
  double seconds = 0;
  auto [end, ec] = std::from_chars(query.data(), query.data() + query.size(), seconds);
  if (ec != std::errc{} || end != query.data() + query.size()) return std::nullopt;
  // SystemTime counts nanoseconds: beyond about 9.2e9 s (the year 2262) the cast would overflow.
  if (!(seconds >= 0 && seconds < 9e9)) return std::nullopt;
  return SystemTime{} + std::chrono::duration_cast<SystemTime::duration>(Seconds(seconds));
}

std::string_view text_of(beast::string_view s) { return {s.data(), s.size()}; }

Response& with_body(Response& response, const Request& request, http::status status,
                    std::string_view type, std::string body) {
  response.result(status);
  response.set(http::field::content_type, std::string(type));
  // Every answer, the metrics, the JSON and the pages alike, leaves through here.
  response.body() = detail::redact(body);
  response.prepare_payload();
  if (request.method() == http::verb::head) response.body().clear();
  return response;
}

// For a client beyond the limit while every place is busy answering: 503 at once, without
// waiting for its request. What already arrived is read first, so that the close sends a FIN
// after the answer rather than a reset that could overtake it.
void refuse_busy(tcp::socket& socket) {
  static const std::string busy = [] {
    std::string_view body = "every connection is busy; try again in a second\n";
    return fmt::format(
        "HTTP/1.1 503 Service Unavailable\r\nServer: greentrain\r\nRetry-After: 1\r\n"
        "Content-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{}",
        body.size(), body);
  }();
  beast::error_code ignored;
  socket.non_blocking(true, ignored);
  std::array<char, 4096> arrived;
  socket.read_some(net::buffer(arrived), ignored);
  socket.write_some(net::buffer(busy), ignored);
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
}

class Session;

// Everything the sessions see; MetricsServer::Impl is this and nothing more.
struct Server {
  EmissionsTracker& tracker;
  ServerOptions options;
  // What the login form gives a browser: a random key, not the token, so that the browser never
  // stores the token and a copied cookie opens nothing once this server stops.
  const std::string session_key = detail::new_session_key();
  // Only the server's thread touches these. Declared before `io`, whose pending handlers own
  // the sessions that update them when it is destroyed.
  std::size_t held = 0;         // connections holding a place
  std::list<Session*> waiting;  // those waiting for a request, the longest first
  net::io_context io{1};
  tcp::acceptor acceptor{io};
  net::steady_timer accept_pause{io};
  unsigned short port = 0;
  std::thread thread;

  Server(EmissionsTracker& t, ServerOptions o) : tracker(t), options(std::move(o)) {}

  bool authorized(const Request& request) const {
    if (options.token.empty()) return true;
    return detail::bearer_matches(text_of(request[http::field::authorization]), options.token) ||
           detail::same_secret(
               detail::cookie_value(text_of(request[http::field::cookie]), session_cookie),
               session_key);
  }

  // POST /login with `token=...` from the form: the session cookie and back to the dashboard.
  Response& log_in(const Request& request, Response& response) {
    auto given = detail::form_field(request.body(), "token");
    if (options.token.empty() || (given && detail::same_secret(*given, options.token))) {
      // HttpOnly: the page's script never sees it. SameSite=Strict: no other site's page makes
      // the browser send it. Not Secure: this server speaks plain HTTP, and a browser keeps a
      // Secure cookie from http:// only for localhost, so the login would fail on 0.0.0.0.
      if (!options.token.empty())
        response.set(
            http::field::set_cookie,
            fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict", session_cookie, session_key));
      response.set(http::field::location, "./");
      return with_body(response, request, http::status::see_other, "text/plain",
                       "logged in: the dashboard is at ./\n");
    }
    return refuse_unauthorized(request, response, true);
  }

  // An unknown client keeps no place: the connection closes after the answer.
  Response& refuse_unauthorized(const Request& request, Response& response, bool wrong_token) {
    response.keep_alive(false);
    response.set(http::field::www_authenticate, "Bearer");
    std::string_view target = text_of(request.target());
    if (wrong_token || target == "/" || target.starts_with("/?")) {
      response.set("Content-Security-Policy", std::string(login_policy));
      return with_body(response, request, http::status::unauthorized, "text/html; charset=utf-8",
                       detail::login_page(wrong_token));
    }
    return with_body(response, request, http::status::unauthorized, "text/plain",
                     "send Authorization: Bearer <GREENTRAIN_SERVER_TOKEN>, or log in at /\n");
  }

  Response answer(const Request& request) {
    Response response{http::status::ok, request.version()};
    response.set(http::field::server, "greentrain");
    response.set(http::field::cache_control, "no-store");
    response.keep_alive(request.keep_alive());
    auto reply = [&](http::status status, std::string_view type, std::string body) {
      return with_body(response, request, status, type, std::move(body));
    };
    std::string_view target = text_of(request.target());
    std::string_view path = target.substr(0, target.find('?'));
    std::string_view query = path.size() < target.size() ? target.substr(path.size() + 1) : "";
    const bool login = path == "/login";
    const auto method = request.method();
    if (login ? method != http::verb::post
              : method != http::verb::get && method != http::verb::head) {
      response.set(http::field::allow, login ? "POST" : "GET, HEAD");
      return reply(http::status::method_not_allowed, "text/plain",
                   login ? "only POST, from the login form\n" : "only GET and HEAD\n");
    }
    if (!login && !request.body().empty()) {
      response.keep_alive(false);
      return reply(http::status::payload_too_large, "text/plain",
                   "only the login form has a body; send a GET without one\n");
    }
    if (login) return log_in(request, response);
    if (!authorized(request)) return refuse_unauthorized(request, response, false);
    if (path == "/") {
      response.set("Content-Security-Policy", std::string(dashboard_policy));
      return reply(http::status::ok, "text/html; charset=utf-8",
                   std::string(detail::dashboard_page()));
    }
    if (path == "/metrics")
      return reply(http::status::ok, "text/plain; version=0.0.4; charset=utf-8",
                   detail::prometheus_text(tracker.latest()));
    if (path == "/api/v1/run")
      return reply(http::status::ok, "application/json", JsonOutput::to_json(tracker.latest()));
    if (path == "/api/v1/samples") {
      auto since = unix_time(query);
      if (!since)
        return reply(
            http::status::bad_request, "text/plain",
            "since must be a time in seconds since 1970, for example since=1700000000.5\n");
      return reply(http::status::ok, "application/json",
                   detail::samples_document(tracker.samples_after(*since)));
    }
    return reply(http::status::not_found, "text/plain",
                 "not found; try /, /metrics, /api/v1/run or /api/v1/samples?since=T\n");
  }

  // Closes the connection that has waited longest for its request; false when none waits.
  bool make_way();
  void accept();
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Server& server) : stream_(std::move(socket)), server_(server) {
    ++server_.held;
  }
  ~Session() {
    stop_waiting();
    if (holds_place_) --server_.held;
  }

  void read() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_.options.max_header_bytes));
    parser_->body_limit(max_body_bytes);
    waiting_at_ = server_.waiting.insert(server_.waiting.end(), this);
    waiting_ = true;
    // The whole request, not each read, must arrive in time: a client sending a byte a second
    // is as idle as a silent one.
    stream_.expires_after(server_.options.request_timeout);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

  // Leaves the place to a newer client; the pending read ends with operation_aborted.
  void give_way() {
    stop_waiting();
    holds_place_ = false;
    --server_.held;
    close();
  }

 private:
  void stop_waiting() {
    if (!waiting_) return;
    server_.waiting.erase(waiting_at_);
    waiting_ = false;
  }

  void on_read(beast::error_code ec) {
    stop_waiting();
    if (ec == http::error::header_limit)
      return refuse(http::status::request_header_fields_too_large);
    if (ec == http::error::body_limit) return refuse(http::status::payload_too_large);
    if (ec) return close();
    Request request = parser_->release();
    try {
      response_ = server_.answer(request);
    } catch (const std::exception& e) {
      response_ = Response{http::status::internal_server_error, request.version()};
      response_.body() = detail::redact(fmt::format("{}\n", e.what()));
      response_.prepare_payload();
    }
    write();
  }

  // The request is not read to its end, so the connection cannot be reused.
  void refuse(http::status status) {
    response_ = Response{status, 11};
    response_.set(http::field::content_type, "text/plain");
    response_.body() = "headers or body over the limit; send a GET with short headers\n";
    response_.keep_alive(false);
    response_.prepare_payload();
    write();
  }

  void write() {
    stream_.expires_after(write_timeout);
    http::async_write(stream_, response_,
                      [self = shared_from_this()](beast::error_code ec, std::size_t) {
                        if (ec || !self->response_.keep_alive()) return self->close();
                        self->read();
                      });
  }

  void close() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.socket().close(ignored);
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  Response response_;
  Server& server_;
  bool holds_place_ = true;
  bool waiting_ = false;
  std::list<Session*>::iterator waiting_at_;
};

bool Server::make_way() {
  if (waiting.empty()) return false;
  waiting.front()->give_way();
  return true;
}

void Server::accept() {
  acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted) return;
    if (ec) {
      // Out of descriptors: the connection stays queued and accept would fail again at once.
      // Free one by closing an idle connection, or pause, rather than spin.
      const bool out_of_descriptors =
          ec == net::error::no_descriptors || ec == beast::errc::too_many_files_open_in_system;
      if (out_of_descriptors && !make_way()) {
        accept_pause.expires_after(std::chrono::milliseconds(100));
        accept_pause.async_wait([this](beast::error_code e) {
          if (!e) accept();
        });
        return;
      }
    } else if (held < options.max_clients || make_way()) {
      std::make_shared<Session>(std::move(socket), *this)->read();
    } else {
      refuse_busy(socket);
    }
    accept();
  });
}

}  // namespace

struct MetricsServer::Impl : Server {
  using Server::Server;
};

MetricsServer::MetricsServer(EmissionsTracker& tracker, ServerOptions options)
    : impl_(std::make_unique<Impl>(tracker, std::move(options))) {
  Impl& s = *impl_;
  if (s.options.token.empty())
    if (const char* token = std::getenv("GREENTRAIN_SERVER_TOKEN")) s.options.token = token;
  detail::register_secret(s.options.token);
  if (!detail::is_loopback(s.options.address) && s.options.token.empty())
    throw error(errc::unauthorized,
                fmt::format("serving on {} would show the run to the network: set "
                            "GREENTRAIN_SERVER_TOKEN (clients then send it as a bearer token) "
                            "or listen on 127.0.0.1",
                            s.options.address));
  beast::error_code ec;
  auto address =
      net::ip::make_address(s.options.address == "localhost" ? "127.0.0.1" : s.options.address, ec);
  if (ec)
    throw error(errc::invalid_argument,
                fmt::format("'{}' is not an IP address; give one such as 127.0.0.1 or 0.0.0.0",
                            s.options.address));
  tcp::endpoint endpoint(address, s.options.port);
  s.acceptor.open(endpoint.protocol(), ec);
  if (!ec) s.acceptor.set_option(net::socket_base::reuse_address(true), ec);
  if (!ec) s.acceptor.bind(endpoint, ec);
  if (!ec) s.acceptor.listen(net::socket_base::max_listen_connections, ec);
  if (ec)
    throw error(errc::io_error,
                fmt::format("cannot listen on {}:{}: {}; choose another port or stop what uses it",
                            s.options.address, s.options.port, ec.message()));
  s.port = s.acceptor.local_endpoint().port();
  if (s.options.on_listening) s.options.on_listening(s.options.address, s.port);
  s.accept();
  s.thread = std::thread([&s] {
    for (;;) {
      try {
        s.io.run();
        return;
      } catch (...) {
        // A handler failed; the others go on. Nothing may leave this thread.
      }
    }
  });
}

MetricsServer::~MetricsServer() {
  impl_->io.stop();
  if (impl_->thread.joinable()) impl_->thread.join();
}

unsigned short MetricsServer::port() const { return impl_->port; }
const std::string& MetricsServer::address() const { return impl_->options.address; }

}  // namespace greentrain
