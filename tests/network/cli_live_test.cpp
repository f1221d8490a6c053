// `greentrain regions --live`, `window --live` and `run --live` against the local replay server.
#include <netinet/in.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "greentrain/intensity/time_text.hpp"
#include "network/replay_server.hpp"

using greentrain::test::read_fixture;
using greentrain::test::ReplayServer;
using greentrain::test::respond;
using greentrain::test::SeenRequest;

namespace {

constexpr const char* key = "cli-test-key-55e1";

// What a shell command writes on stdout.
std::string output_of(const std::string& command) {
  std::string output;
  std::unique_ptr<FILE, decltype(&pclose)> pipe(popen(command.c_str(), "r"), pclose);
  REQUIRE(pipe);
  std::array<char, 4096> chunk{};
  while (auto n = std::fread(chunk.data(), 1, chunk.size(), pipe.get()))
    output.append(chunk.data(), n);
  return output;
}

std::string run_cli(const std::string& arguments) {
  return output_of(std::string(GREENTRAIN_CLI) + " " + arguments + " 2>&1");
}

// stdout alone; stderr goes to `errors`.
std::string run_cli_split(const std::string& arguments, const std::filesystem::path& errors) {
  return output_of(std::string(GREENTRAIN_CLI) + " " + arguments + " 2>" + errors.string());
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
  CHECK(output.find("Electricity Maps failed: 127.0.0.1/v3/carbon-intensity/latest answered 503") !=
        std::string::npos);
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

namespace {

std::size_t count(const std::string& text, const std::string& part) {
  std::size_t n = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++n;
  return n;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

TEST_CASE("regions --live without an API key says so at once and answers from embedded data",
          "[cli][live]") {
  ReplayServer server;
  server.on("/v3/carbon-intensity/latest", respond(200, read_fixture("em_latest.json")));
  point_cli_at(server);
  unsetenv("ELECTRICITYMAPS_API_KEY");
  auto start = std::chrono::steady_clock::now();
  auto output = run_cli("regions --live --provider gcp --top 2");
  INFO(output << "\n(took " << seconds_since(start) << " s)");
  CHECK(output.find("greentrain: --live has no live data: ELECTRICITYMAPS_API_KEY is not set") ==
        0);
  CHECK(output.find("Electricity Maps 2025 yearly average") != std::string::npos);
  CHECK(output.find("(Electricity Maps failed: no API key: ELECTRICITYMAPS_API_KEY is not set") !=
        std::string::npos);
  CHECK(server.connections() == 0);  // nothing was asked, so nothing could stall
}

TEST_CASE("regions --live with the API host refusing connections falls back after one attempt",
          "[cli][live]") {
  std::string closed_port;
  {
    ReplayServer gone;
    point_cli_at(gone);
    closed_port = std::to_string(gone.port());
  }
  auto start = std::chrono::steady_clock::now();
  auto output = run_cli("regions --live --provider gcp --top 3");
  INFO(output << "\n(took " << seconds_since(start) << " s)");
  auto cause = "Electricity Maps unreachable: cannot connect to 127.0.0.1:" + closed_port +
               ": Connection refused";
  CHECK(count(output, cause) == 4);  // three rows and the best one's explanation
  CHECK(output.find("Electricity Maps 2025 yearly average") != std::string::npos);
  CHECK(output.find("after 3 attempts") == std::string::npos);  // a refusal is not retried
  CHECK(output.find("give --trace FILE or --live") == std::string::npos);
}

TEST_CASE("window --live with no network names the cause, not a hint to use --live",
          "[cli][live]") {
  {
    ReplayServer gone;
    point_cli_at(gone);
  }
  auto output = run_cli("window --zone FR --duration 1h --deadline +12h --live");
  INFO(output);
  CHECK(output.find("Connection refused") != std::string::npos);
  CHECK(output.find("give --trace FILE or --live") == std::string::npos);
}

TEST_CASE("a reply echoing the API key keeps it out of stdout, --json and the cache file",
          "[cli][live][secrets]") {
  ReplayServer server;
  server.on("/v3/carbon-intensity/latest", [](const SeenRequest&) {
    return respond(200, std::string(R"({"zone":"FR )") + key +
                            R"(","carbonIntensity":31,"datetime":"2024-03-06T19:00:00.000Z",)" +
                            R"("isEstimated":true,"estimationMethod":")" + key + R"("})");
  });
  point_cli_at(server);
  auto cache = std::filesystem::temp_directory_path() / "greentrain-cli-secret-cache.json";
  std::filesystem::remove(cache);
  setenv("GREENTRAIN_INTENSITY_CACHE", cache.c_str(), 1);
  auto table = run_cli("regions --live --provider gcp --top 3");
  auto json = run_cli("regions --live --provider gcp --top 3 --json");
  std::ifstream in(cache);
  std::string cached((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  unsetenv("GREENTRAIN_INTENSITY_CACHE");
  std::filesystem::remove(cache);
  INFO(table << json << cached);
  CHECK(table.find("zone FR [redacted]") != std::string::npos);
  CHECK(json.find("zone FR [redacted]") != std::string::npos);
  CHECK(cached.find("zone FR [redacted]") != std::string::npos);
  for (const auto* text : {&table, &json, &cached}) CHECK(text->find(key) == std::string::npos);
}

TEST_CASE("regions --live refuses an impossible live figure and labels the fallback",
          "[cli][live]") {
  ReplayServer server;
  server.on("/v3/carbon-intensity/latest",
            respond(200, R"({"zone":"FR","carbonIntensity":1e300,)"
                         R"("datetime":"2024-03-06T19:00:00.000Z"})"));
  point_cli_at(server);
  auto output = run_cli("regions --live --provider gcp --top 1 --json");
  INFO(output);
  CHECK(output.find("1e+300 g/kWh is refused: outside 0 to 5000 g/kWh") != std::string::npos);
  CHECK(output.find("\"basis\":\"default\"") != std::string::npos);
  CHECK(output.find("\"basis\":\"measured\"") == std::string::npos);
}

namespace {

std::string file_text(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// A port nothing listens on now, for --serve: the kernel's choice for a socket closed at once.
unsigned short free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t size = sizeof address;
  bool ok = ::bind(fd, reinterpret_cast<sockaddr*>(&address), size) == 0 &&
            ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size) == 0;
  ::close(fd);
  REQUIRE(ok);
  return ntohs(address.sin_port);
}

}  // namespace

TEST_CASE("a live run whose reply echoes the API key writes it nowhere", "[cli][live][secrets]") {
  auto hour = std::chrono::floor<std::chrono::hours>(std::chrono::system_clock::now());
  ReplayServer server;
  server.on("/v3/carbon-intensity/latest", [hour](const SeenRequest&) {
    return respond(200, std::string(R"({"zone":"FR )") + key + R"(","carbonIntensity":31,)" +
                            R"("datetime":")" + greentrain::format_utc_time(hour) +
                            R"(","isEstimated":true,"estimationMethod":")" + key + R"("})");
  });
  point_cli_at(server);
  const std::string token = "server-token-9c41d7";
  setenv("GREENTRAIN_SERVER_TOKEN", token.c_str(), 1);
  auto root = std::filesystem::temp_directory_path() /
              ("greentrain-cli-secret-run-" + std::to_string(::getpid()));
  std::filesystem::remove_all(root);
  auto outputs = root / "outputs", answers = root / "answers";
  std::filesystem::create_directories(answers);
  auto cache = root / "cache.json", errors = root / "stderr.txt";
  setenv("GREENTRAIN_INTENSITY_CACHE", cache.c_str(), 1);

  // While the run lasts, the command asks the live server for its metrics and its JSON (when
  // this build has the server).
  constexpr bool serves = GREENTRAIN_CLI_SERVES;
  auto port = std::to_string(free_port());
  std::string ask_server =
      "i=0; for p in /metrics /api/v1/run; do i=$((i+1)); exec 3<>/dev/tcp/127.0.0.1/" + port +
      " || exit 1; "
      R"(printf "GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n)"
      R"(Connection: close\r\n\r\n" "$p" "$GREENTRAIN_SERVER_TOKEN" >&3; )"
      "cat <&3 > " +
      answers.string() + "/answer-$i.txt; exec 3<&-; done";
  // The key also reaches the run by a way no provider scrubs, the project name, so that each
  // sink's own pass is what keeps it out, not only the provider's scrub of its replies.
  auto out =
      run_cli_split("run --live --zone FR --json --report --interval 100ms --project p-" +
                        std::string(key) + " --output-dir " + outputs.string() +
                        (serves ? " --serve 127.0.0.1:" + port + " -- bash -c '" + ask_server + "'"
                                : std::string(" -- true")),
                    errors);
  unsetenv("GREENTRAIN_INTENSITY_CACHE");
  unsetenv("GREENTRAIN_SERVER_TOKEN");

  std::vector<std::pair<std::string, std::string>> texts = {
      {"stdout", out}, {"stderr", file_text(errors)}, {"cache file", file_text(cache)}};
  for (const auto& folder : {outputs, answers})
    for (const auto& entry : std::filesystem::recursive_directory_iterator(folder))
      if (entry.is_regular_file())
        texts.emplace_back(entry.path().filename().string(), file_text(entry.path()));
  std::filesystem::remove_all(root);

  // The run was live and every output was written, each with the redacted text in it.
  CHECK(server.hits("/v3/carbon-intensity/latest") > 0);
  // emissions.csv, the run's JSON, 2 reports; 2 answers
  CHECK(texts.size() == 3 + 4 + (serves ? 2 : 0));
  for (const auto& [name, text] : texts) {
    INFO(name << ":\n" << text);
    CHECK(text.find(key) == std::string::npos);
    CHECK(text.find(token) == std::string::npos);
    CHECK(text.find("[redacted]") != std::string::npos);
  }
  CHECK(out.find("Electricity Maps latest, zone FR [redacted]") != std::string::npos);
  CHECK(out.find("\"project\":\"p-[redacted]\"") != std::string::npos);
}
