#include "greentrain/server.hpp"

#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>

#include <algorithm>
#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <catch2/catch.hpp>
#include <cerrno>
#include <chrono>
#include <cstdlib>

#include "core/secrets.hpp"
#include "greentrain/error.hpp"
#include "greentrain/tracker.hpp"
#include "support/package_counter.hpp"
#include "support/temp_dir.hpp"

using namespace greentrain;
namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

namespace {

// A tracker on a fake package counter with 1 kWh already counted, sampled only on request.
struct TrackedRun {
  test::TempDir dir;
  test::PackageCounter package;
  EmissionsTracker tracker{options()};

  TrackedRun() {
    package.add_joules(3.6e6);
    tracker.flush();  // one sample, so the server has figures to show
  }

  TrackerOptions options() {
    TrackerOptions o;
    o.project = "served";
    o.run_id = "run-7";
    o.output_dir = dir.path();
    o.interval = std::chrono::hours(1);
    o.intensity = GramsPerKwh{50};
    o.write_csv = o.write_json = false;
    o.on_error = [](std::error_code, const std::string&) {};
    o.discover = package.discover();
    return o;
  }
};

struct Client {
  net::io_context io;
  beast::tcp_stream stream{io};

  explicit Client(unsigned short port) {
    stream.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), port));
  }

  http::response<http::string_body> send(http::request<http::string_body> request) {
    request.set(http::field::host, "127.0.0.1");
    request.prepare_payload();
    http::write(stream, request);
    beast::flat_buffer buffer;
    http::response<http::string_body> response;
    http::read(stream, buffer, response);
    return response;
  }

  http::response<http::string_body> get(std::string target, std::string token = {}) {
    return token.empty()
               ? get_with(std::move(target), {}, {})
               : get_with(std::move(target), http::field::authorization, "Bearer " + token);
  }

  http::response<http::string_body> get_with(std::string target, http::field field,
                                             std::string value) {
    http::request<http::string_body> request{http::verb::get, target, 11};
    if (field != http::field{}) request.set(field, value);
    return send(std::move(request));
  }

  // POST /login as the browser sends the form.
  http::response<http::string_body> log_in(std::string form_body) {
    http::request<http::string_body> request{http::verb::post, "/login", 11};
    request.set(http::field::content_type, "application/x-www-form-urlencoded");
    request.body() = std::move(form_body);
    return send(std::move(request));
  }
};

// Whether the server closes `socket` within `limit`; waits on the socket, never sleeps.
bool closed_within(tcp::socket& socket, std::chrono::milliseconds limit) {
  using clock = std::chrono::steady_clock;
  const auto deadline = clock::now() + limit;
  pollfd ready{.fd = socket.native_handle(), .events = POLLIN, .revents = 0};
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - clock::now());
    if (left.count() <= 0 || ::poll(&ready, 1, static_cast<int>(left.count())) <= 0) return false;
    char byte = 0;
    auto got = ::recv(ready.fd, &byte, 1, MSG_DONTWAIT);
    if (got == 0 || (got < 0 && errno == ECONNRESET)) return true;
  }
}

// The test holds both ends of every connection: it may need more descriptors than a shell gives.
void allow_descriptors(rlim_t wanted) {
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  if (limit.rlim_cur >= wanted) return;
  limit.rlim_cur = std::min(wanted, limit.rlim_max);
  ::setrlimit(RLIMIT_NOFILE, &limit);
  REQUIRE(limit.rlim_cur == wanted);
}

std::string cookie_of(const http::response<http::string_body>& response) {
  std::string set_cookie(response[http::field::set_cookie]);
  return set_cookie.substr(0, set_cookie.find(';'));
}

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

// A served run whose server has a token.
struct GuardedRun {
  TrackedRun run;
  MetricsServer server{run.tracker, {.token = "s3cret"}};
};

}  // namespace

TEST_CASE("the metrics endpoint serves the run's counters in Prometheus format", "[server]") {
  TrackedRun run;
  MetricsServer server(run.tracker);
  Client client(server.port());
  auto response = client.get("/metrics");
  CHECK(response.result() == http::status::ok);
  CHECK(contains(std::string(response[http::field::content_type]), "version=0.0.4"));
  CHECK(contains(
      response.body(),
      "greentrain_energy_kwh_total{project=\"served\",run=\"run-7\",component=\"cpu\"} 1\n"));
  CHECK(contains(response.body(),
                 "greentrain_intensity_grams_per_kwh{project=\"served\",run=\"run-7\"} 50\n"));
}

TEST_CASE("the JSON API serves the run and the samples after a time", "[server]") {
  TrackedRun run;
  MetricsServer server(run.tracker);
  Client client(server.port());
  auto whole = client.get("/api/v1/run");
  CHECK(whole.result() == http::status::ok);
  CHECK(contains(whole.body(), "\"run_id\":\"run-7\""));
  auto samples = client.get("/api/v1/samples?since=0");  // the same connection, kept alive
  CHECK(contains(samples.body(), "\"intensity_g_per_kwh\":50"));
  CHECK(client.get("/api/v1/samples?since=4102444800").body() == "{\"samples\":[]}\n");
  CHECK(client.get("/api/v1/samples?since=soon").result() == http::status::bad_request);
  // Found by the fuzzer: a time beyond the nanosecond clock's range overflowed its cast.
  CHECK(client.get("/api/v1/samples?since=170000000000025").result() == http::status::bad_request);
  CHECK(client.get("/api/v1/samples?since=-5").result() == http::status::bad_request);
}

TEST_CASE("the answers redact the registered secrets, and the server registers its token",
          "[server][secrets]") {
  detail::forget_secrets();
  TrackedRun run;
  detail::register_secret("served");  // as if the project name held a key
  MetricsServer server(run.tracker, {.token = "token-8d2f0b"});
  CHECK(detail::redact("Bearer token-8d2f0b") == "Bearer [redacted]");
  Client client(server.port());
  auto metrics = client.get("/metrics", "token-8d2f0b").body();
  CHECK(contains(metrics, "greentrain_emissions_kg_total{project=\"[redacted]\",run=\"run-7\"}"));
  auto whole = client.get("/api/v1/run", "token-8d2f0b").body();
  CHECK(contains(whole, "\"project\":\"[redacted]\""));
  for (const auto* body : {&metrics, &whole}) CHECK_FALSE(contains(*body, "served"));
  detail::forget_secrets();
}

TEST_CASE("the dashboard page is served whole, with nothing to fetch from elsewhere", "[server]") {
  TrackedRun run;
  MetricsServer server(run.tracker);
  auto page = Client(server.port()).get("/");
  CHECK(page.result() == http::status::ok);
  CHECK(contains(page.body(), "api/v1/samples"));
  CHECK_FALSE(contains(page.body(), "http:"));
  CHECK_FALSE(contains(page.body(), "src="));
  CHECK(contains(std::string(page["Content-Security-Policy"]), "default-src 'none'"));
}

TEST_CASE("unknown paths are 404, other methods 405, bodies and huge headers refused", "[server]") {
  TrackedRun run;
  MetricsServer server(run.tracker, {.max_header_bytes = 1024});
  CHECK(Client(server.port()).get("/nothing").result() == http::status::not_found);

  http::request<http::string_body> post{http::verb::post, "/metrics", 11};
  CHECK(Client(server.port()).send(post).result() == http::status::method_not_allowed);

  http::request<http::string_body> with_body{http::verb::get, "/metrics", 11};
  with_body.body() = "hello";
  CHECK(Client(server.port()).send(with_body).result() == http::status::payload_too_large);

  http::request<http::string_body> huge{http::verb::get, "/metrics", 11};
  huge.set("X-Padding", std::string(4096, 'x'));
  CHECK(Client(server.port()).send(huge).result() == http::status::request_header_fields_too_large);
}

TEST_CASE_METHOD(GuardedRun, "a token, when set, is required as a bearer", "[server][access]") {
  Client client(server.port());
  CHECK(client.get("/metrics").result() == http::status::unauthorized);
  CHECK(Client(server.port()).get("/metrics", "wrong").result() == http::status::unauthorized);
  CHECK(Client(server.port()).get("/metrics", "s3cret").result() == http::status::ok);
}

TEST_CASE("listening beyond loopback without a token is refused", "[server][access]") {
  ::unsetenv("GREENTRAIN_SERVER_TOKEN");
  TrackedRun run;
  CHECK_THROWS_WITH(MetricsServer(run.tracker, {.address = "0.0.0.0"}),
                    Catch::Contains("GREENTRAIN_SERVER_TOKEN"));
}

TEST_CASE("silent clients hold neither the other clients nor the tracker", "[server]") {
  TrackedRun run;
  MetricsServer server(run.tracker, {.max_clients = 8});
  std::vector<std::unique_ptr<Client>> silent;
  for (int i = 0; i < 4; ++i) silent.push_back(std::make_unique<Client>(server.port()));
  // Half a request: the server waits for the rest without blocking anyone.
  net::write(silent[0]->stream.socket(), net::buffer(std::string("GET /metrics HTTP/1.1\r\n")));
  for (int i = 0; i < 3; ++i)
    CHECK(Client(server.port()).get("/metrics").result() == http::status::ok);
  CHECK(run.tracker.flush().total.cpu.energy.value == Approx(1.0));
}

TEST_CASE("a client beyond the limit takes the place of the one that waited longest",
          "[server][load]") {
  TrackedRun run;
  MetricsServer server(run.tracker, {.max_clients = 2});
  Client first(server.port()), second(server.port());
  CHECK(first.get("/metrics").result() == http::status::ok);  // both now wait for more
  CHECK(second.get("/metrics").result() == http::status::ok);
  Client third(server.port());
  CHECK(third.get("/metrics").result() == http::status::ok);
  CHECK(second.get("/metrics").result() == http::status::ok);
  CHECK(closed_within(first.stream.socket(), std::chrono::seconds(5)));
}

TEST_CASE("a client that no place can be made for gets 503 at once", "[server][load]") {
  TrackedRun run;
  MetricsServer server(run.tracker, {.max_clients = 0});
  auto response = Client(server.port()).get("/metrics");
  CHECK(response.result() == http::status::service_unavailable);
  CHECK(response[http::field::retry_after] == "1");
  CHECK_FALSE(response.keep_alive());
}

TEST_CASE("a connection without a whole request within the deadline is closed", "[server][load]") {
  TrackedRun run;
  MetricsServer server(run.tracker, {.request_timeout = std::chrono::milliseconds(300)});
  const auto opened = std::chrono::steady_clock::now();
  Client silent(server.port()), slow(server.port());
  net::write(slow.stream.socket(), net::buffer(std::string("GET /metrics HTTP/1.1\r\nHost: x")));
  CHECK(closed_within(silent.stream.socket(), std::chrono::seconds(5)));
  CHECK(closed_within(slow.stream.socket(), std::chrono::seconds(5)));
  CHECK(std::chrono::steady_clock::now() - opened >= std::chrono::milliseconds(300));
  // After an answer, the next request has the same time to come.
  Client kept(server.port());
  CHECK(kept.get("/metrics").result() == http::status::ok);
  CHECK(closed_within(kept.stream.socket(), std::chrono::seconds(5)));
}

TEST_CASE("metrics answer every scrape while 200 idle connections are held open",
          "[server][load]") {
  constexpr int idle_connections = 200;
  allow_descriptors(1024);
  TrackedRun run;
  // As reported: on all interfaces with a token, the default limit and deadline.
  MetricsServer server(run.tracker, {.address = "0.0.0.0", .token = "s3cret"});
  net::io_context io;
  std::vector<tcp::socket> idle;
  for (int i = 0; i < idle_connections; ++i) {
    idle.emplace_back(io).connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), server.port()));
    if (i % 2) net::write(idle.back(), net::buffer(std::string("GET /metrics HTTP/1.1\r\n")));
  }
  int answered = 0;
  for (int scrape = 0; scrape < 5; ++scrape) {
    try {
      if (Client(server.port()).get("/metrics", "s3cret").result() == http::status::ok) ++answered;
    } catch (const boost::system::system_error&) {
    }
  }
  CHECK(answered == 5);
}

TEST_CASE_METHOD(GuardedRun, "a client without the token keeps no connection after its 401",
                 "[server][access]") {
  Client client(server.port());
  auto response = client.get("/metrics");
  CHECK(response.result() == http::status::unauthorized);
  CHECK_FALSE(response.keep_alive());
  CHECK(closed_within(client.stream.socket(), std::chrono::seconds(5)));
}

TEST_CASE_METHOD(GuardedRun, "the bearer scheme is accepted in any case", "[server][access]") {
  CHECK(Client(server.port())
            .get_with("/metrics", http::field::authorization, "bearer s3cret")
            .result() == http::status::ok);
  CHECK(Client(server.port())
            .get_with("/metrics", http::field::authorization, "BEARER s3cret")
            .result() == http::status::ok);
}

TEST_CASE_METHOD(GuardedRun, "with a token, a browser gets the login form instead of the dashboard",
                 "[server][access][login]") {
  auto page = Client(server.port()).get("/");
  CHECK(page.result() == http::status::unauthorized);
  CHECK(contains(page.body(), "<form method=\"post\" action=\"login\">"));
  CHECK_FALSE(contains(page.body(), "api/v1"));
  CHECK(contains(std::string(page["Content-Security-Policy"]), "form-action 'self'"));
  auto api = Client(server.port()).get("/api/v1/run");
  CHECK(api.result() == http::status::unauthorized);
  CHECK_FALSE(contains(api.body(), "run-7"));
}

TEST_CASE_METHOD(GuardedRun,
                 "the login form sets an HttpOnly SameSite=Strict cookie that opens every page",
                 "[server][access][login]") {
  auto login = Client(server.port()).log_in("token=s3cret");
  CHECK(login.result() == http::status::see_other);
  CHECK(login[http::field::location] == "./");
  std::string set_cookie(login[http::field::set_cookie]);
  CHECK(contains(set_cookie, "; HttpOnly"));
  CHECK(contains(set_cookie, "; SameSite=Strict"));
  CHECK(contains(set_cookie, "; Path=/"));
  CHECK_FALSE(contains(set_cookie, "s3cret"));  // the browser keeps a session key, not the token
  std::string cookie = "theme=dark; " + cookie_of(login);
  Client browser(server.port());
  auto page = browser.get_with("/", http::field::cookie, cookie);
  CHECK(page.result() == http::status::ok);
  CHECK(contains(page.body(), "api/v1/samples"));
  CHECK(contains(browser.get_with("/api/v1/run", http::field::cookie, cookie).body(),
                 "\"run_id\":\"run-7\""));
  CHECK(browser.get_with("/metrics", http::field::cookie, cookie).result() == http::status::ok);
  CHECK(Client(server.port())
            .get_with("/metrics", http::field::cookie, cookie_of(login) + "0")
            .result() == http::status::unauthorized);
}

TEST_CASE_METHOD(GuardedRun, "a wrong token in the login form gets the form again and no cookie",
                 "[server][access][login]") {
  auto login = Client(server.port()).log_in("token=s3cre");
  CHECK(login.result() == http::status::unauthorized);
  CHECK(login[http::field::set_cookie].empty());
  CHECK(contains(login.body(), "That token is not this server's."));
  CHECK(Client(server.port()).log_in("nothing=here").result() == http::status::unauthorized);
}

TEST_CASE("the dashboard takes no token from its address", "[server][access][login]") {
  TrackedRun run;
  MetricsServer server(run.tracker);
  auto page = Client(server.port()).get("/").body();
  CHECK_FALSE(contains(page, "location.hash"));
  CHECK_FALSE(contains(page, "Authorization"));
}

TEST_CASE("the start message gives an address a browser on this machine can open",
          "[server][option]") {
  CHECK(listening_message("127.0.0.1", 9464) ==
        "live at http://127.0.0.1:9464/ (metrics at /metrics)");
  std::string everywhere = listening_message("0.0.0.0", 9464);
  CHECK(everywhere.starts_with("live at http://127.0.0.1:9464/ "));
  CHECK(contains(everywhere, "listening on all interfaces"));
  CHECK(listening_message("::", 80).starts_with("live at http://[::1]:80/ "));
  CHECK(listening_message("::1", 80) == "live at http://[::1]:80/ (metrics at /metrics)");
}

TEST_CASE("as a tracker option the server listens from the tracker's start to its stop",
          "[server][option]") {
  TrackedRun run;  // for its folder and counter
  TrackerOptions options = run.options();
  options.run_id = "run-8";
  unsigned short port = 0;
  serve_metrics(options, {.on_listening = [&](const std::string&, unsigned short p) { port = p; }});
  EmissionsTracker tracker(options);
  REQUIRE(port != 0);
  run.package.add_joules(7.2e6);
  tracker.flush();
  {
    Client client(port);
    auto response = client.get("/metrics");
    CHECK(response.result() == http::status::ok);
    CHECK(contains(
        response.body(),
        "greentrain_energy_kwh_total{project=\"served\",run=\"run-8\",component=\"cpu\"} 2\n"));
  }
  tracker.stop();
  CHECK_THROWS(Client(port));  // released with the run: the port is closed
}

TEST_CASE("a tracker whose server cannot start is not started either", "[server][option]") {
  TrackedRun run;
  TrackerOptions options = run.options();
  bool first_released = false;
  options.companions.push_back([&](EmissionsTracker&) {
    return std::shared_ptr<void>(nullptr, [&](void*) { first_released = true; });
  });
  serve_metrics(options, {.address = "0.0.0.0", .token = ""});
  ::unsetenv("GREENTRAIN_SERVER_TOKEN");
  CHECK_THROWS_WITH(EmissionsTracker(options), Catch::Contains("set GREENTRAIN_SERVER_TOKEN"));
  CHECK(first_released);
}
