#include "metrics_text.hpp"

#include <catch2/catch.hpp>

#include "report/sample_run.hpp"

using namespace greentrain;

namespace {

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("metrics carry HELP and TYPE lines and one series per present component",
          "[server][metrics]") {
  std::string text = detail::prometheus_text(test::sample_run());
  CHECK(contains(text, "# TYPE greentrain_energy_kwh_total counter\n"));
  CHECK(contains(text, "# TYPE greentrain_emissions_kg_total counter\n"));
  CHECK(contains(text, "# TYPE greentrain_power_watts gauge\n"));
  CHECK(contains(text, "# TYPE greentrain_intensity_grams_per_kwh gauge\n"));
  CHECK(contains(text,
                 "greentrain_energy_kwh_total{project=\"fashion-mnist\",run=\"run-1\","
                 "component=\"cpu\"} 0.01\n"));
  CHECK_FALSE(contains(text, "component=\"gpu\""));  // no GPU on this machine
  CHECK(contains(text,
                 "greentrain_emissions_kg_total{project=\"fashion-mnist\",run=\"run-1\"} "
                 "0.000484\n"));
}

TEST_CASE("the power gauge shows the last interval, not the run's mean", "[server][metrics]") {
  RunResult run = test::sample_run();
  run.samples.back().cpu = Watts{75};  // the run's mean stays 60 W
  std::string text = detail::prometheus_text(run);
  CHECK(contains(text,
                 "greentrain_power_watts{project=\"fashion-mnist\",run=\"run-1\","
                 "component=\"cpu\"} 75\n"));
}

TEST_CASE("label values escape quotes, backslashes and line feeds", "[server][metrics]") {
  CHECK(detail::prometheus_label("a\"b\\c\nd") == "a\\\"b\\\\c\\nd");
}
