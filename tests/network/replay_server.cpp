#include "network/replay_server.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <cctype>
#include <fstream>
#include <sstream>

namespace greentrain::test {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

}  // namespace

Handler in_turn(std::vector<Reply> replies) {
  auto next = std::make_shared<std::atomic<std::size_t>>(0);
  return [replies = std::move(replies), next](const SeenRequest&) {
    auto i = std::min(next->fetch_add(1), replies.size() - 1);
    return replies[i];
  };
}

std::string read_fixture(const std::string& name) {
  std::ifstream in(std::string(GREENTRAIN_TEST_DATA) + "/network/" + name, std::ios::binary);
  if (!in) throw std::runtime_error("missing fixture " + name);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct ReplayServer::Impl {
  asio::io_context io{1};
  ssl::context tls{ssl::context::tls_server};
  tcp::acceptor acceptor{io};
  std::thread thread;
  mutable std::mutex mutex;
  std::map<std::string, Handler> routes;
  std::vector<SeenRequest> seen;
  std::atomic<int> connections{0};
  // Server-thread only: arrivals per path and the answers held for hold_until_requests.
  std::map<std::string, int> arrivals;
  std::map<std::string, std::vector<std::shared_ptr<asio::steady_timer>>> held;

  asio::awaitable<void> hold(const std::string& path, int until) {
    if (++arrivals[path] >= until) {
      for (auto& timer : held[path]) timer->cancel();
      held[path].clear();
      co_return;
    }
    auto timer = std::make_shared<asio::steady_timer>(io, std::chrono::seconds(30));
    held[path].push_back(timer);
    beast::error_code ignored;
    co_await timer->async_wait(asio::redirect_error(asio::use_awaitable, ignored));
  }

  Reply answer(const SeenRequest& request) {
    auto path = request.target.substr(0, request.target.find('?'));
    Handler handler;
    {
      std::lock_guard lock(mutex);
      seen.push_back(request);
      if (auto it = routes.find(path); it != routes.end()) handler = it->second;
    }
    if (!handler) return respond(404, R"({"error":"no such path"})");
    return handler(request);
  }

  asio::awaitable<void> session(tcp::socket socket) {
    beast::error_code ec;
    beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), tls);
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(10));
    co_await stream.async_handshake(ssl::stream_base::server,
                                    asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;  // the client refused our certificate: that is the test
    beast::flat_buffer buffer;
    http::request<http::string_body> request;
    co_await http::async_read(stream, buffer, request,
                              asio::redirect_error(asio::use_awaitable, ec));
    if (ec) co_return;
    SeenRequest seen_request{std::string(request.target()), {}};
    for (const auto& field : request) {
      seen_request.headers[lower(std::string(field.name_string()))] = std::string(field.value());
    }
    auto reply = answer(seen_request);
    if (reply.hold_until_requests > 0) {
      co_await hold(seen_request.target.substr(0, seen_request.target.find('?')),
                    reply.hold_until_requests);
    }
    if (reply.delay.count() > 0) {
      asio::steady_timer wait(co_await asio::this_coro::executor, reply.delay);
      co_await wait.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    }
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(10));
    if (reply.cut_short) {
      std::string raw = "HTTP/1.1 " + std::to_string(reply.status) +
                        " OK\r\nContent-Type: application/json\r\nContent-Length: " +
                        std::to_string(reply.body.size()) + "\r\n\r\n" +
                        reply.body.substr(0, reply.body.size() / 2);
      co_await asio::async_write(stream, asio::buffer(raw),
                                 asio::redirect_error(asio::use_awaitable, ec));
    } else {
      http::response<http::string_body> response{static_cast<http::status>(reply.status), 11};
      response.set(http::field::content_type, reply.content_type);
      for (const auto& [name, value] : reply.headers) response.set(name, value);
      response.body() = reply.body;
      response.prepare_payload();
      response.keep_alive(false);
      co_await http::async_write(stream, response, asio::redirect_error(asio::use_awaitable, ec));
    }
    beast::get_lowest_layer(stream).socket().shutdown(tcp::socket::shutdown_both, ec);
  }

  asio::awaitable<void> accept_loop() {
    for (;;) {
      beast::error_code ec;
      auto socket = co_await acceptor.async_accept(asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      ++connections;
      asio::co_spawn(io, session(std::move(socket)), asio::detached);
    }
  }
};

ReplayServer::ReplayServer(KeyPair identity) : impl_(std::make_unique<Impl>()) {
  auto& tls = impl_->tls;
  tls.use_certificate_chain(asio::buffer(identity.certificate_pem));
  tls.use_private_key(asio::buffer(identity.private_key_pem), ssl::context::pem);
  tcp::endpoint loopback(asio::ip::make_address("127.0.0.1"), 0);
  impl_->acceptor.open(loopback.protocol());
  impl_->acceptor.set_option(tcp::acceptor::reuse_address(true));
  impl_->acceptor.bind(loopback);
  impl_->acceptor.listen(128);
  port_ = impl_->acceptor.local_endpoint().port();
  asio::co_spawn(impl_->io, impl_->accept_loop(), asio::detached);
  impl_->thread = std::thread([this] { impl_->io.run(); });
}

ReplayServer::~ReplayServer() {
  impl_->io.stop();
  impl_->thread.join();
}

void ReplayServer::on(const std::string& path, Reply reply) {
  on(path, Handler([reply](const SeenRequest&) { return reply; }));
}

void ReplayServer::on(const std::string& path, Handler handler) {
  std::lock_guard lock(impl_->mutex);
  impl_->routes[path] = std::move(handler);
}

HttpOptions ReplayServer::client_options() const {
  HttpOptions options;
  options.ca_file = test_pki().ca_file.string();
  options.connect_to = connect_to();
  options.connect_timeout = std::chrono::seconds(5);
  options.total_timeout = std::chrono::seconds(10);
  options.initial_backoff = std::chrono::milliseconds(1);
  options.max_backoff = std::chrono::milliseconds(4);
  return options;
}

std::vector<SeenRequest> ReplayServer::seen() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->seen;
}

int ReplayServer::connections() const { return impl_->connections.load(); }

int ReplayServer::hits(const std::string& path) const {
  std::lock_guard lock(impl_->mutex);
  return static_cast<int>(std::count_if(impl_->seen.begin(), impl_->seen.end(), [&](auto& s) {
    return s.target.substr(0, s.target.find('?')) == path;
  }));
}

}  // namespace greentrain::test
