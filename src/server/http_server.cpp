#include <fmt/format.h>

#include <atomic>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <cstdlib>
#include <optional>
#include <thread>

#include "access.hpp"
#include "dashboard_page.hpp"
#include "greentrain/error.hpp"
#include "greentrain/outputs/json.hpp"
#include "greentrain/server.hpp"
#include "greentrain/tracker.hpp"
#include "metrics_text.hpp"
#include "outputs/text.hpp"

namespace greentrain {

namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Request = http::request<http::empty_body>;
using Response = http::response<http::string_body>;

constexpr auto client_timeout = std::chrono::seconds(10);

// The page may run its own inline script and talk to this server, and nothing else.
constexpr std::string_view content_policy =
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "connect-src 'self'; img-src data:";

std::optional<SystemTime> unix_time(std::string_view query) {
  constexpr std::string_view key = "since=";
  auto at = query.find(key);
  if (at == std::string_view::npos) return SystemTime{};
  query.remove_prefix(at + key.size());
  query = query.substr(0, query.find('&'));
  double seconds = 0;
  auto [end, ec] = std::from_chars(query.data(), query.data() + query.size(), seconds);
  if (ec != std::errc{} || end != query.data() + query.size()) return std::nullopt;
  return SystemTime{} + std::chrono::duration_cast<SystemTime::duration>(Seconds(seconds));
}

std::string_view text_of(beast::string_view s) { return {s.data(), s.size()}; }

// Everything the sessions see; MetricsServer::Impl is this and nothing more.
struct Server {
  EmissionsTracker& tracker;
  ServerOptions options;
  std::atomic<std::size_t> clients{0};
  net::io_context io{1};
  tcp::acceptor acceptor{io};
  unsigned short port = 0;
  std::thread thread;

  Server(EmissionsTracker& t, ServerOptions o) : tracker(t), options(std::move(o)) {}

  Response answer(const Request& request) {
    Response response{http::status::ok, request.version()};
    response.set(http::field::server, "greentrain");
    response.set(http::field::cache_control, "no-store");
    response.keep_alive(request.keep_alive());
    auto reply = [&](http::status status, std::string_view type, std::string body) {
      response.result(status);
      response.set(http::field::content_type, std::string(type));
      response.body() = std::move(body);
      response.prepare_payload();
      if (request.method() == http::verb::head) response.body().clear();
      return response;
    };
    if (request.method() != http::verb::get && request.method() != http::verb::head) {
      response.set(http::field::allow, "GET, HEAD");
      return reply(http::status::method_not_allowed, "text/plain", "only GET and HEAD\n");
    }
    if (!options.token.empty() &&
        !detail::bearer_matches(text_of(request[http::field::authorization]), options.token)) {
      response.set(http::field::www_authenticate, "Bearer");
      return reply(http::status::unauthorized, "text/plain",
                   "send Authorization: Bearer <GREENTRAIN_SERVER_TOKEN>\n");
    }
    std::string_view target = text_of(request.target());
    std::string_view path = target.substr(0, target.find('?'));
    std::string_view query = path.size() < target.size() ? target.substr(path.size() + 1) : "";
    if (path == "/") {
      response.set("Content-Security-Policy", std::string(content_policy));
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
                   "{\"samples\":[" + detail::samples_json(tracker.samples_after(*since)) + "]}\n");
    }
    return reply(http::status::not_found, "text/plain",
                 "not found; try /, /metrics, /api/v1/run or /api/v1/samples?since=T\n");
  }

  void accept();
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, Server& server) : stream_(std::move(socket)), server_(server) {
    ++server_.clients;
  }
  ~Session() { --server_.clients; }

  void read() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(server_.options.max_header_bytes));
    parser_->body_limit(0);
    stream_.expires_after(client_timeout);
    http::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
  }

 private:
  void on_read(beast::error_code ec) {
    if (ec == http::error::header_limit)
      return refuse(http::status::request_header_fields_too_large);
    if (ec == http::error::body_limit || ec == http::error::unexpected_body)
      return refuse(http::status::payload_too_large);
    if (ec) return close();
    Request request = parser_->release();
    try {
      response_ = server_.answer(request);
    } catch (const std::exception& e) {
      response_ = Response{http::status::internal_server_error, request.version()};
      response_.body() = fmt::format("{}\n", e.what());
      response_.prepare_payload();
    }
    write();
  }

  // The request is not read to its end, so the connection cannot be reused.
  void refuse(http::status status) {
    response_ = Response{status, 11};
    response_.set(http::field::content_type, "text/plain");
    response_.body() = "headers over the limit or a request body; send a GET with short headers\n";
    response_.keep_alive(false);
    response_.prepare_payload();
    write();
  }

  void write() {
    stream_.expires_after(client_timeout);
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
  std::optional<http::request_parser<http::empty_body>> parser_;
  Response response_;
  Server& server_;
};

void Server::accept() {
  acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
    if (ec == net::error::operation_aborted) return;
    if (!ec) {
      if (clients.load() >= options.max_clients) {
        beast::error_code ignored;
        socket.close(ignored);
      } else {
        std::make_shared<Session>(std::move(socket), *this)->read();
      }
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
