#include "greentrain/report.hpp"

#include <catch2/catch.hpp>
#include <fstream>
#include <regex>
#include <sstream>

#include "report/sample_run.hpp"
#include "support/temp_dir.hpp"

using namespace greentrain;

namespace {

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("the Markdown report states each figure with its provenance and band", "[report]") {
  std::string md = markdown_report(test::sample_run());
  CHECK(contains(md, "| Emissions | 0.000484 kg CO2e |"));
  CHECK(contains(md, "measured (powercap:intel-rapl:0 package-0)"));
  CHECK(contains(md, "modelled (0.3725 W/GB x 32 GB"));
  CHECK(contains(md, "France (FRA)"));
  CHECK(contains(md, "France (FR)"));
  CHECK(contains(md, "gcp europe-west9"));
  CHECK(contains(md, "Test CPU <fast> x 8"));
  CHECK(contains(md, "| PUE | 1.1 |"));
  CHECK(contains(md, "Electricity Maps 2025 yearly average, zone FR"));
  CHECK(contains(md, "Linux-6.1-x86_64"));
  CHECK(contains(md, "10.0 min"));
}

TEST_CASE("the emissions band combines the components' bands by their energy", "[report]") {
  // CPU 0.01 kWh measured (band 1), RAM 0.001 kWh modelled (0.5-1.5): (0.01 + 0.0005) / 0.011.
  std::string md = markdown_report(test::sample_run());
  CHECK(contains(md, "band x0.95-x1.05"));
}

TEST_CASE("an energy no component measured is never labelled measured", "[report]") {
  RunResult run = test::sample_run();
  for (ComponentFigures* c : {&run.total.cpu, &run.total.gpu, &run.total.ram}) *c = {};
  run.total.energy = KilowattHours{0};
  std::string md = markdown_report(run);
  CHECK(contains(md,
                 "| Total energy | 0 kWh | default (no component has a figure: nothing was "
                 "measured), degraded |"));
  CHECK_FALSE(contains(md, "| Total energy | 0 kWh | measured"));
}

TEST_CASE("the per-task table lists every task in order", "[report]") {
  std::string md = markdown_report(test::sample_run());
  auto first = md.find("| epoch-0 |"), second = md.find("| epoch-1 |");
  REQUIRE(first != std::string::npos);
  REQUIRE(second != std::string::npos);
  CHECK(first < second);
  INFO(md);
  CHECK(contains(md, "| epoch-1 | 5.0 min (300 s) | 0.007 kWh | 0.00028 kg CO2e |"));
}

TEST_CASE("equivalents state their constant and source", "[report]") {
  auto list = equivalents(GramsCo2e{248.5});
  REQUIRE(list.size() == 3);
  CHECK(list[0].amount == Approx(1.0).epsilon(0.001));                // 248.5 g is one km by car
  CHECK(equivalents(GramsCo2e{8.22})[1].amount == Approx(1.0));       // one smartphone charge
  CHECK(equivalents(GramsCo2e{21770.0})[2].amount == Approx(365.0));  // one tree for a year
  std::string md = markdown_report(test::sample_run());
  CHECK(contains(md, "US EPA"));
  CHECK(contains(md, "21.77 kg CO2 per tree per year"));
}

TEST_CASE("a prediction is set beside the actual figures", "[report]") {
  ReportExtras extras{.prediction = Prediction{.made = "after epoch 1 of 2",
                                               .duration = Seconds(540),
                                               .energy = KilowattHours{0.0121},
                                               .emissions = std::nullopt},
                      .budget = GramsCo2e{1.0}};
  std::string md = markdown_report(test::sample_run(), extras);
  CHECK(contains(md, "## Predicted versus actual"));
  CHECK(contains(md, "| Duration | 9.0 min (540 s) | 10.0 min (600 s) | -10.0 % |"));
  CHECK(contains(md, "+10.0 %"));  // predicted 0.0121 kWh against 0.011 kWh of IT energy
  CHECK(contains(md, "| This run | 0.001 kg CO2e | 0.000484 kg CO2e | 48.4 % |"));
  CHECK_FALSE(contains(md, "Over budget"));
}

TEST_CASE("a project budget counts the project's earlier runs with this one", "[report][budget]") {
  ReportExtras extras{.budget = GramsCo2e{0.4},
                      .project_budget = GramsCo2e{2.0},
                      .project_earlier = GramsCo2e{1.0}};
  std::string md = markdown_report(test::sample_run(), extras);
  CHECK(contains(md, "| This run | 0.0004 kg CO2e | 0.000484 kg CO2e | 121 % |"));
  CHECK(contains(md, "| Project fashion-mnist, all runs | 0.002 kg CO2e | 0.001484 kg CO2e | 74.2 % |"));
  CHECK(contains(md, "Over budget: the run."));
}

TEST_CASE("the HTML report references nothing outside itself", "[report][html]") {
  std::string html = html_report(test::sample_run());
  CHECK_FALSE(contains(html, "http:"));
  CHECK_FALSE(contains(html, "https:"));
  CHECK_FALSE(contains(html, "src="));
  CHECK_FALSE(contains(html, "href="));
  CHECK_FALSE(contains(html, "@import"));
  CHECK_FALSE(contains(html, "url("));
  CHECK_FALSE(contains(html, "<script"));
}

TEST_CASE("the HTML report draws its four charts and escapes text", "[report][html]") {
  std::string html = html_report(test::sample_run());
  CHECK(contains(html, "<title>Power per component</title>"));
  CHECK(contains(html, "<title>Grid intensity</title>"));
  CHECK(contains(html, "<title>Cumulative emissions</title>"));
  CHECK(contains(html, "<title>Energy per task</title>"));
  CHECK(contains(html, "Test CPU &lt;fast&gt; x 8"));
  CHECK_FALSE(contains(html, "<fast>"));
  CHECK(contains(html, "@media print"));
}

TEST_CASE("the report output writes both files for the run", "[report][output]") {
  test::TempDir dir;
  ReportOutput output(dir.path());
  std::error_code ec;
  auto run = test::sample_run();
  output.write(run, run.tasks, ec);
  REQUIRE_FALSE(ec);
  std::ifstream md(dir.path() / "greentrain-report-run-1.md");
  std::stringstream text;
  text << md.rdbuf();
  CHECK(contains(text.str(), "# Emissions report: fashion-mnist, run run-1"));
  CHECK(std::filesystem::file_size(dir.path() / "greentrain-report-run-1.html") > 1000);
}
