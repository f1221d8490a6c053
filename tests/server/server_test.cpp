#include "greentrain/server.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <catch2/catch.hpp>
#include <cstdlib>

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
    http::request<http::string_body> request{http::verb::get, target, 11};
    if (!token.empty()) request.set(http::field::authorization, "Bearer " + token);
    return send(std::move(request));
  }
};

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

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

TEST_CASE("a token, when set, is required as a bearer", "[server][access]") {
  TrackedRun run;
  MetricsServer server(run.tracker, {.token = "s3cret"});
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

TEST_CASE("clients beyond the limit are closed at once", "[server]") {
  TrackedRun run;
  MetricsServer server(run.tracker, {.max_clients = 2});
  Client first(server.port()), second(server.port());
  CHECK(first.get("/metrics").result() == http::status::ok);  // both are being served
  CHECK(second.get("/metrics").result() == http::status::ok);
  Client third(server.port());
  CHECK_THROWS_AS(third.get("/metrics"), boost::system::system_error);
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
