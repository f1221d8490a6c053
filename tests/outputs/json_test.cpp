#include <catch2/catch.hpp>

#include <simdjson.h>

#include <cmath>
#include <fstream>
#include <limits>
#include <sstream>

#include "greentrain/outputs/json.hpp"
#include "core/text.hpp"
#include "support/temp_dir.hpp"

using namespace greentrain;

TEST_CASE("the JSON result carries each component's provenance", "[outputs][json]") {
  RunResult run;
  run.info.run_id = "r1";
  run.info.project = "quote \" and backslash \\";
  run.total.cpu = {.energy = KilowattHours{0.5},
                   .provenance = {.basis = Basis::modelled,
                                  .source = "tdp-curve 65 W x mean load 0.5",
                                  .band_low = 0.4,
                                  .band_high = 1.3},
                   .present = true};
  std::string json = JsonOutput::to_json(run);
  CHECK_THAT(json, Catch::Contains(R"("cpu":{"it_energy_kwh":0.5,)"));
  CHECK_THAT(json, Catch::Contains(R"("basis":"modelled","source":"tdp-curve 65 W x mean load 0.5","band_low":0.4,"band_high":1.3)"));
  CHECK_THAT(json, Catch::Contains(R"("gpu":null)"));
  CHECK_THAT(json, Catch::Contains(R"("project":"quote \" and backslash \\")"));
}

TEST_CASE("the JSON result carries the CPU energy attributed to a process tree", "[outputs][json]") {
  RunResult run;
  CHECK_THAT(JsonOutput::to_json(run), Catch::Contains(R"("attribution":null)"));
  run.attribution = ProcessAttribution{.pid = 42, .mean_cpu_share = 0.75,
                                       .cpu_energy = KilowattHours{0.25}, .emissions = GramsCo2e{30}};
  CHECK_THAT(JsonOutput::to_json(run),
             Catch::Contains(R"("attribution":{"pid":42,"mean_cpu_share":0.75,"cpu_energy_kwh":0.25,"emissions_kg":0.03})"));
}

TEST_CASE("the JSON file is replaced whole, leaving no temporary behind", "[outputs][json]") {
  test::TempDir dir;
  JsonOutput out(dir.path());
  RunResult run;
  run.info.run_id = "abc";
  std::error_code ec;
  out.write(run, {}, ec);
  run.total.emissions = GramsCo2e{42};
  out.write(run, {}, ec);
  REQUIRE_FALSE(ec);
  std::ifstream in(dir / "greentrain-abc.json");
  std::stringstream text;
  text << in.rdbuf();
  CHECK_THAT(text.str(), Catch::Contains(R"("emissions_kg":0.042)"));
  int files = 0;
  for ([[maybe_unused]] auto& entry : std::filesystem::directory_iterator(dir.path())) ++files;
  CHECK(files == 1);
}

TEST_CASE("the JSON result carries the run's time series", "[outputs][json]") {
  RunResult run;
  run.samples.push_back({.time = SystemTime{} + std::chrono::seconds(60),
                         .duration = Seconds(1.5),
                         .cpu = Watts{42},
                         .gpu = Watts{0},
                         .ram = Watts{3},
                         .intensity = GramsPerKwh{56},
                         .cumulative = GramsCo2e{1500}});
  std::string json = JsonOutput::to_json(run);
  CHECK_THAT(json, Catch::Contains(
                       R"("samples":[{"time":"1970-01-01T00:01:00.000000+00:00","duration_s":1.5,)"
                       R"("cpu_w":42,"gpu_w":0,"ram_w":3,"intensity_g_per_kwh":56,"cumulative_kg":1.5}])"));
}

namespace {

// A user string that format strings used to break: a quote, a backslash, a newline, a control.
const std::string hostile = "a \"quoted\" \\ name\nwith\x01 control";

simdjson::dom::element parsed(simdjson::dom::parser& parser, const std::string& json) {
  simdjson::dom::element root;
  REQUIRE_FALSE(parser.parse(json).get(root));
  return root;
}

}  // namespace

TEST_CASE("the JSON result keeps hostile names and writes a NaN figure as null", "[outputs][json]") {
  RunResult run;
  run.info.project = hostile;
  run.info.pue = std::nan("");
  Emissions task;
  task.task = hostile;
  task.energy = KilowattHours{std::numeric_limits<double>::infinity()};
  run.tasks.push_back(task);
  run.samples.push_back({.cpu = Watts{std::nan("")}, .ram = Watts{3}});
  simdjson::dom::parser parser;
  auto root = parsed(parser, JsonOutput::to_json(run));
  CHECK(std::string(root["project"].get_string().value()) == hostile);
  CHECK(std::string(root["tasks"].at(0)["task"].get_string().value()) == hostile);
  CHECK(root["pue"].is_null());
  CHECK(root["tasks"].at(0)["energy_kwh"].is_null());
  CHECK(root["samples"].at(0)["cpu_w"].is_null());
  CHECK(root["samples"].at(0)["ram_w"].get_double().value() == 3);
}

TEST_CASE("the samples document of the live API is valid JSON with NaN as null",
          "[outputs][json]") {
  std::vector<Sample> samples{{.cpu = Watts{std::nan("")}, .gpu = Watts{1.5}}};
  simdjson::dom::parser parser;
  auto root = parsed(parser, detail::samples_document(samples));
  CHECK(root["samples"].at(0)["cpu_w"].is_null());
  CHECK(root["samples"].at(0)["gpu_w"].get_double().value() == 1.5);
}
