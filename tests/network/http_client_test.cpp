#include "intensity/live/http_client.hpp"

#include <atomic>
#include <catch2/catch.hpp>
#include <future>

#include "greentrain/error.hpp"
#include "network/replay_server.hpp"

using namespace std::chrono_literals;
using greentrain::errc;
using greentrain::detail::HttpClient;
using greentrain::test::ReplayServer;
using greentrain::test::Reply;
using greentrain::test::respond;
using greentrain::test::test_pki;

namespace {

std::string url(const ReplayServer& server, const std::string& target) {
  return server.base_url(target);
}

}  // namespace

TEST_CASE("a GET over TLS returns the body and sends the headers given", "[http]") {
  ReplayServer server;
  server.on("/v3/zones", respond(200, R"({"FR":{"zoneName":"France"}})"));
  HttpClient client(server.client_options());
  auto response = client.get({url(server, "/v3/zones?zone=FR"), {{"auth-token", "k"}}});
  REQUIRE_FALSE(response.error);
  CHECK(response.status == 200);
  CHECK(response.body == R"({"FR":{"zoneName":"France"}})");
  CHECK(response.attempts == 1);
  auto seen = server.seen();
  REQUIRE(seen.size() == 1);
  CHECK(seen[0].target == "/v3/zones?zone=FR");
  CHECK(seen[0].headers["auth-token"] == "k");
  CHECK(seen[0].headers["host"] == "api.test:" + std::to_string(server.port()));
}

TEST_CASE("a certificate for another host name is refused and not retried", "[http][tls]") {
  ReplayServer server(test_pki().wrong_host);
  server.on("/v3/zones", respond(200, "{}"));
  HttpClient client(server.client_options());
  auto response = client.get({url(server, "/v3/zones"), {}});
  CHECK(response.error == errc::network_error);
  CHECK(response.attempts == 1);
  CHECK(response.detail.find("TLS handshake with api.test failed") != std::string::npos);
  CHECK(response.body.empty());
  CHECK(server.hits("/v3/zones") == 0);
}

TEST_CASE("a self-signed certificate is refused", "[http][tls]") {
  ReplayServer server(test_pki().self_signed);
  server.on("/v3/zones", respond(200, "{}"));
  HttpClient client(server.client_options());
  auto response = client.get({url(server, "/v3/zones"), {}});
  CHECK(response.error == errc::network_error);
  CHECK(response.detail.find("self") != std::string::npos);
  CHECK(server.hits("/v3/zones") == 0);
}

TEST_CASE("the system trust store does not trust the test CA", "[http][tls]") {
  ReplayServer server;
  server.on("/v3/zones", respond(200, "{}"));
  auto options = server.client_options();
  options.ca_file.clear();
  HttpClient client(options);
  auto response = client.get({url(server, "/v3/zones"), {}});
  CHECK(response.error == errc::network_error);
  CHECK(server.hits("/v3/zones") == 0);
}

TEST_CASE("an unreadable CA file is an error that names the file", "[http][tls]") {
  greentrain::HttpOptions options;
  options.ca_file = "/nonexistent/ca.pem";
  CHECK_THROWS_WITH(HttpClient(options), Catch::Contains("/nonexistent/ca.pem"));
}

TEST_CASE("an answer slower than the total timeout fails with timeout", "[http][fault]") {
  ReplayServer server;
  auto slow = respond(200, "{}");
  slow.delay = 30s;
  server.on("/slow", slow);
  auto options = server.client_options();
  options.total_timeout = 300ms;
  HttpClient client(options);
  auto response = client.get({url(server, "/slow"), {}});
  CHECK(response.error == errc::timeout);
  CHECK(response.body.empty());
  CHECK(response.detail.find("did not answer in time") != std::string::npos);
}

TEST_CASE("a 503 is retried and the next answer is served", "[http][fault]") {
  ReplayServer server;
  server.on("/v3/x", greentrain::test::in_turn({respond(503, "busy"), respond(200, "{\"ok\":1}")}));
  HttpClient client(server.client_options());
  auto response = client.get({url(server, "/v3/x"), {}});
  CHECK_FALSE(response.error);
  CHECK(response.attempts == 2);
  CHECK(response.body == "{\"ok\":1}");
  CHECK(server.hits("/v3/x") == 2);
}

TEST_CASE("a 429 with Retry-After is retried after the wait it asks for", "[http][fault]") {
  ReplayServer server;
  auto throttled = respond(429, "{}");
  throttled.headers = {{"Retry-After", "0"}};
  server.on("/v3/x", greentrain::test::in_turn({throttled, respond(200, "{}")}));
  auto options = server.client_options();
  options.initial_backoff = 60s;  // only Retry-After's 0 s lets the retry happen in time
  options.total_timeout = 5s;
  HttpClient client(options);
  auto response = client.get({url(server, "/v3/x"), {}});
  CHECK_FALSE(response.error);
  CHECK(response.attempts == 2);
}

TEST_CASE("a Retry-After longer than allowed fails at once with rate_limited", "[http][fault]") {
  ReplayServer server;
  auto throttled = respond(429, "{}");
  throttled.headers = {{"Retry-After", "3600"}};
  server.on("/v3/x", throttled);
  HttpClient client(server.client_options());
  auto response = client.get({url(server, "/v3/x"), {}});
  CHECK(response.error == errc::rate_limited);
  CHECK(response.attempts == 1);
  CHECK(response.retry_after == 3600s);
  CHECK(response.detail.find("asks to wait 3600 s") != std::string::npos);
}

TEST_CASE("401 and 403 are unauthorized and not retried", "[http][fault]") {
  ReplayServer server;
  server.on("/a", respond(401, "{}"));
  server.on("/b", respond(403, "{}"));
  HttpClient client(server.client_options());
  CHECK(client.get({url(server, "/a"), {}}).error == errc::unauthorized);
  CHECK(client.get({url(server, "/b"), {}}).error == errc::unauthorized);
  CHECK(server.hits("/a") == 1);
  CHECK(server.hits("/b") == 1);
}

TEST_CASE("a 500 on every attempt stops after max_attempts", "[http][fault]") {
  ReplayServer server;
  server.on("/v3/x", respond(500, "{\"status\":\"error\"}"));
  auto options = server.client_options();
  options.max_attempts = 3;
  HttpClient client(options);
  auto response = client.get({url(server, "/v3/x"), {}});
  CHECK(response.error == errc::http_error);
  CHECK(response.status == 500);
  CHECK(server.hits("/v3/x") == 3);
  CHECK(response.detail.find("after 3 attempts") != std::string::npos);
}

TEST_CASE("a 404 is an error and not retried", "[http][fault]") {
  ReplayServer server;
  HttpClient client(server.client_options());
  auto response = client.get({url(server, "/nowhere"), {}});
  CHECK(response.error == errc::http_error);
  CHECK(response.status == 404);
  CHECK(response.attempts == 1);
}

TEST_CASE("a body over the cap fails with response_too_large", "[http][fault]") {
  ReplayServer server;
  server.on("/big", respond(200, std::string(5000, 'x')));
  auto options = server.client_options();
  options.max_body_bytes = 1000;
  HttpClient client(options);
  auto response = client.get({url(server, "/big"), {}});
  CHECK(response.error == errc::response_too_large);
  CHECK(response.body.empty());
}

TEST_CASE("a body cut short is an error, never a partial body", "[http][fault]") {
  ReplayServer server;
  auto cut =
      respond(200, R"({"zone":"FR","carbonIntensity":58,"datetime":"2025-11-21T19:00:00.000Z"})");
  cut.cut_short = true;
  server.on("/cut", cut);
  auto options = server.client_options();
  options.max_attempts = 2;
  HttpClient client(options);
  auto response = client.get({url(server, "/cut"), {}});
  CHECK(response.error == errc::network_error);
  CHECK(response.body.empty());
  CHECK(response.attempts == 2);
}

TEST_CASE("get_all runs requests concurrently and answers in order", "[http]") {
  ReplayServer server;
  server.on("/zone", [](const greentrain::test::SeenRequest& request) {
    auto reply = respond(200, request.target.substr(request.target.find('=') + 1));
    reply.hold_until_requests = 8;  // nobody is answered until all 8 are in flight
    return reply;
  });
  HttpClient client(server.client_options());
  std::vector<greentrain::detail::HttpRequest> requests;
  for (int i = 0; i < 8; ++i) requests.push_back({url(server, "/zone?z=" + std::to_string(i)), {}});
  auto responses = client.get_all(requests);
  REQUIRE(responses.size() == 8);
  for (int i = 0; i < 8; ++i) {
    CHECK_FALSE(responses[i].error);
    CHECK(responses[i].body == std::to_string(i));
  }
}

TEST_CASE("only https URLs are fetched", "[http]") {
  HttpClient client(greentrain::HttpOptions{});
  auto response = client.get({"http://127.0.0.1:1/", {}});
  CHECK(response.error == errc::invalid_argument);
}

TEST_CASE("query values are percent-encoded", "[http]") {
  CHECK(greentrain::detail::query_string(
            {{"zone", "US-CAL-CISO"}, {"start", "2024-03-18T02:00:00Z"}, {"q", "a b&c+"}}) ==
        "zone=US-CAL-CISO&start=2024-03-18T02%3A00%3A00Z&q=a%20b%26c%2B");
}

TEST_CASE("redact removes every occurrence of every secret", "[http]") {
  CHECK(greentrain::detail::redact("token k3y and k3y, user bob", {"k3y", "", "bob"}) ==
        "token [redacted] and [redacted], user [redacted]");
}

TEST_CASE("a refused connection is not retried, and the host is not asked again for a while",
          "[http][fault]") {
  greentrain::HttpOptions options;
  std::string closed_port;
  {
    ReplayServer gone;
    options = gone.client_options();
    closed_port = std::to_string(gone.port());
  }
  auto target = "https://api.test:" + closed_port + "/v3/zones";
  HttpClient client(options);
  auto first = client.get({target, {}});
  CHECK(first.error == errc::network_error);
  CHECK(first.attempts == 1);
  CHECK(first.detail.find("cannot connect to 127.0.0.1:" + closed_port + ": Connection refused") !=
        std::string::npos);

  auto again = client.get({target, {}});
  CHECK(again.error == errc::network_error);
  CHECK(again.attempts == 0);  // answered from what the first call learnt
  CHECK(again.detail.find("Connection refused (not tried again within 30 s)") != std::string::npos);

  options.unreachable_for = 0ms;
  HttpClient forgetful(options);
  forgetful.get({target, {}});
  CHECK(forgetful.get({target, {}}).attempts == 1);
}

namespace {

// A resolver for the tests: counts its calls and answers what it is told, never the system's DNS.
struct FakeResolver {
  std::shared_ptr<std::atomic<int>> calls = std::make_shared<std::atomic<int>>(0);
  std::vector<std::string> addresses;
  std::string why = "Name or service not known";

  greentrain::HttpOptions install(greentrain::HttpOptions options) const {
    options.connect_to.clear();
    options.resolve = [calls = calls, addresses = addresses, why = why](const std::string&,
                                                                        std::string& out) {
      ++*calls;
      if (addresses.empty()) out = why;
      return addresses;
    };
    return options;
  }
};

}  // namespace

TEST_CASE("a host name is resolved by the resolver given", "[http]") {
  ReplayServer server;
  server.on("/v3/zones", respond(200, "{}"));
  FakeResolver resolver;
  resolver.addresses = {"127.0.0.1"};
  HttpClient client(resolver.install(server.client_options()));
  auto response = client.get({url(server, "/v3/zones"), {}});
  CHECK_FALSE(response.error);
  CHECK(*resolver.calls == 1);
}

TEST_CASE("an unresolvable host is asked once for many requests and not again", "[http][fault]") {
  ReplayServer server;
  FakeResolver resolver;
  HttpClient client(resolver.install(server.client_options()));
  std::vector<greentrain::detail::HttpRequest> requests(5, {url(server, "/v3/zones"), {}});
  for (const auto& response : client.get_all(requests)) {
    CHECK(response.error == errc::network_error);
    CHECK(response.detail == "cannot resolve api.test: Name or service not known");
  }
  auto later = client.get({url(server, "/v3/history"), {}});
  CHECK(later.error == errc::network_error);
  CHECK(later.detail.find("cannot resolve api.test: Name or service not known (not tried again") ==
        0);
  CHECK(*resolver.calls == 1);
  CHECK(server.connections() == 0);
}

TEST_CASE("a resolver that does not answer is bounded by connect_timeout", "[http][fault]") {
  // The resolver blocks until the test ends: the call must come back without it.
  auto release = std::make_shared<std::promise<void>>();
  auto released = release->get_future().share();
  auto returned = std::make_shared<std::atomic<bool>>(false);
  ReplayServer server;
  auto options = server.client_options();
  options.connect_to.clear();
  options.connect_timeout = 20ms;
  options.resolve = [released, returned](const std::string&, std::string&) {
    released.wait();
    *returned = true;
    return std::vector<std::string>{"127.0.0.1"};
  };
  HttpClient client(options);
  auto response = client.get({url(server, "/v3/zones"), {}});
  CHECK(response.error == errc::timeout);
  CHECK(response.detail == "cannot resolve api.test: no answer within 20 ms");
  CHECK_FALSE(*returned);
  release->set_value();
}

TEST_CASE("a refused certificate costs one connection for many requests, and none after",
          "[http][tls][fault]") {
  ReplayServer impostor(test_pki().wrong_host);
  impostor.on("/v3/zones", respond(200, "{}"));
  HttpClient client(impostor.client_options());
  std::vector<greentrain::detail::HttpRequest> requests(6, {url(impostor, "/v3/zones"), {}});
  for (const auto& response : client.get_all(requests)) {
    CHECK(response.error == errc::network_error);
    CHECK(response.detail.find("TLS handshake with api.test failed") == 0);
  }
  client.get({url(impostor, "/v3/zones"), {}});
  CHECK(impostor.connections() == 1);
}

TEST_CASE("401 costs one connection and 429 is retried as often as allowed, each named",
          "[http][fault]") {
  ReplayServer server;
  auto throttled = respond(429, "{}");
  throttled.headers = {{"Retry-After", "0"}};
  server.on("/refused", respond(401, "{}"));
  server.on("/busy", throttled);
  HttpClient client(server.client_options());
  auto refused = client.get({url(server, "/refused"), {}});
  CHECK(refused.detail == "api.test/refused answered 401: the credentials were refused");
  CHECK(server.connections() == 1);
  auto busy = client.get({url(server, "/busy"), {}});
  CHECK(busy.error == errc::rate_limited);
  CHECK(busy.detail == "api.test/busy answered 429: too many requests (after 3 attempts)");
  CHECK(server.connections() == 1 + client.options().max_attempts);
}

TEST_CASE("a reply's text is scrubbed of secrets before it is cut, with controls replaced",
          "[http]") {
  using greentrain::detail::reply_text;
  CHECK(reply_text("zone FR key-123 x", {"key-123"}) == "zone FR [redacted] x");
  // The key straddles the cut: cutting first would leave "key-1" behind.
  CHECK(reply_text("abcdefgh key-123", {"key-123"}, 14) == "abcdefgh [reda...");
  CHECK(reply_text("a\x1b[31mred", {}) == "a?[31mred");
  CHECK(reply_text("\xc3\xa9\xc3\xa9", {}, 3) == "\xc3\xa9...");
}
