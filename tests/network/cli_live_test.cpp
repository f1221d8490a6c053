// `greentrain regions --live` and `window --live` against the local replay server.
#include <stdlib.h>

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <memory>
#include <string>

#include "greentrain/intensity/time_text.hpp"
#include "network/replay_server.hpp"

using greentrain::test::read_fixture;
using greentrain::test::ReplayServer;
using greentrain::test::respond;
using greentrain::test::SeenRequest;

namespace {

constexpr const char* key = "cli-test-key-55e1";

std::string run_cli(const std::string& arguments) {
  std::string output;
  std::unique_ptr<FILE, decltype(&pclose)> pipe(
      popen((std::string(GREENTRAIN_CLI) + " " + arguments + " 2>&1").c_str(), "r"), pclose);
  REQUIRE(pipe);
  std::array<char, 4096> chunk{};
  while (auto n = std::fread(chunk.data(), 1, chunk.size(), pipe.get()))
    output.append(chunk.data(), n);
  return output;
}

// The command resolves the API host itself: 127.0.0.1, which the test certificate lists.
void point_cli_at(const ReplayServer& server) {
  auto url = "https://127.0.0.1:" + std::to_string(server.port()) + "/v3";
  setenv("GREENTRAIN_ELECTRICITYMAPS_URL", url.c_str(), 1);
  setenv("SSL_CERT_FILE", greentrain::test::test_pki().ca_file.c_str(), 1);
  setenv("ELECTRICITYMAPS_API_KEY", key, 1);
  unsetenv("GREENTRAIN_INTENSITY_CACHE");
}

}  // namespace

TEST_CASE("regions --live ranks by the live figures and labels their source", "[cli][live]") {
  ReplayServer server;
  server.on("/v3/carbon-intensity/latest", [](const SeenRequest& request) {
    bool paris = request.target.find("dataCenterRegion=europe-west9") != std::string::npos;
    return respond(
        200, paris ? R"({"zone":"FR","carbonIntensity":1.5,"datetime":"2024-03-06T19:00:00.000Z"})"
                   : read_fixture("em_latest.json"));
  });
  point_cli_at(server);
  auto output = run_cli("regions --live --provider gcp --top 2 --json");
  INFO(output);
  CHECK(output.find(R"({"ranked":[{"region":"gcp:europe-west9")") == 0);
  CHECK(output.find("Electricity Maps latest, zone FR") != std::string::npos);
  CHECK(output.find(key) == std::string::npos);
  auto seen = server.seen();
  REQUIRE_FALSE(seen.empty());
  for (const auto& request : seen) CHECK(request.headers.at("auth-token") == key);
}

TEST_CASE("regions --live with the service failing falls back to embedded data, labelled",
          "[cli][live]") {
  ReplayServer server;
  server.on("/v3/carbon-intensity/latest", respond(503, "{}"));
  point_cli_at(server);
  auto output = run_cli("regions --live --provider gcp --top 1 --json");
  INFO(output);
  CHECK(output.find("Electricity Maps failed: HTTP error status") != std::string::npos);
  CHECK(output.find("Electricity Maps 2025 yearly average") != std::string::npos);
}

TEST_CASE("window --live picks the cleanest start from the live forecast", "[cli][live]") {
  ReplayServer server;
  // From an hour ago, so the forecast covers "now" even if the clock turns an hour meanwhile.
  auto hour = std::chrono::floor<std::chrono::hours>(std::chrono::system_clock::now());
  server.on("/v3/carbon-intensity/forecast", [hour](const SeenRequest&) {
    std::string points;
    for (int i = -1; i < 24; ++i) {
      points += (i > -1 ? "," : "") + std::string(R"({"carbonIntensity":)") +
                std::to_string(i == 5 ? 20 : 300) + R"(,"datetime":")" +
                greentrain::format_utc_time(hour + std::chrono::hours(i)) + "\"}";
    }
    return respond(200, R"({"zone":"FR","forecast":[)" + points + "]}");
  });
  point_cli_at(server);
  auto output = run_cli("window --zone FR --duration 1h --deadline +12h --live --json");
  INFO(output);
  // Starts step by an hour from now, so the best one starts in the clean hour (+5 h) or the hour
  // before it, whichever overlaps the clean hour more.
  auto starts_in = [&](int hours) {
    auto text = greentrain::format_utc_time(hour + std::chrono::hours(hours)).substr(0, 13);
    return output.find("\"start\":\"" + text) != std::string::npos;
  };
  CHECK((starts_in(4) || starts_in(5)));
  CHECK(output.find("\"now_g_per_kwh\":300,") != std::string::npos);
  CHECK(output.find("Electricity Maps forecast") != std::string::npos);
  CHECK(server.seen().at(0).target ==
        "/v3/carbon-intensity/forecast?zone=FR&shouldUseFallbackCallerLookup=false");
}
