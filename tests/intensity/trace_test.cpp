#include "greentrain/intensity/trace.hpp"

#include <catch2/catch.hpp>

#include "greentrain/error.hpp"

using namespace greentrain;
using namespace std::chrono;

namespace {

const std::string data = GREENTRAIN_TEST_DATA "/intensity/";
const SystemTime midnight = sys_days{2020y / January / 1};
const Location anywhere = Location::zone("GB");

std::string load_error(const std::string& file) {
  try {
    TraceProvider::load(data + file);
  } catch (const error& e) {
    CHECK(e.code() == errc::malformed_data);
    return e.what();
  }
  FAIL("no error for " << file);
  return {};
}

}  // namespace

TEST_CASE("trace replay serves the point covering a time", "[intensity]") {
  auto trace = TraceProvider::load(data + "trace_hourly.csv");
  REQUIRE(trace.points().size() == 6);
  CHECK(trace.intensity_at(anywhere, midnight + 90min).intensity.value == 200);
  CHECK(trace.intensity_at(anywhere, midnight + 2h).intensity.value == 50);
  auto last = trace.intensity_at(anywhere, midnight + 5h + 59min);
  CHECK(last.intensity.value == 120);
  CHECK(last.valid_until == midnight + 6h);
  CHECK(last.provenance.basis == Basis::measured);
  CHECK(last.provenance.source == "trace trace_hourly.csv (recorded), point 2020-01-01T05:00:00Z");
}

TEST_CASE("a time outside the trace is an error naming its span", "[intensity]") {
  auto trace = TraceProvider::load(data + "trace_hourly.csv");
  std::error_code ec;
  trace.intensity_at(anywhere, midnight + 6h, ec);
  CHECK(ec == errc::invalid_argument);
  CHECK(trace.explain(anywhere, ec).find("2020-01-01T06:00:00Z") != std::string::npos);
  trace.intensity_at(anywhere, midnight - 1s, ec);
  CHECK(ec == errc::invalid_argument);
}

TEST_CASE("a perfect forecast replays the points overlapping the period", "[intensity]") {
  auto trace = TraceProvider::load(data + "trace_hourly.csv");
  auto forecast = trace.forecast(anywhere, midnight + 30min, midnight + 3h);
  REQUIRE(forecast.points.size() == 3);
  CHECK(forecast.points[0].intensity.value == 100);
  CHECK(forecast.points[2].intensity.value == 50);
  CHECK(forecast.points[2].duration == 1h);
  CHECK(forecast.provenance.source == "trace trace_hourly.csv replayed as a perfect forecast");
}

TEST_CASE("forecast noise is multiplicative, seeded and labelled", "[intensity]") {
  TraceOptions noisy{.zone = "", .noise_sigma = 0.1, .seed = 7};
  auto a = TraceProvider::load(data + "trace_hourly.csv", noisy);
  auto b = TraceProvider::load(data + "trace_hourly.csv", noisy);
  auto fa = a.forecast(anywhere, midnight, midnight + 6h);
  auto fb = b.forecast(anywhere, midnight, midnight + 6h);
  REQUIRE(fa.points.size() == 6);
  bool any_changed = false;
  for (std::size_t i = 0; i < fa.points.size(); ++i) {
    CHECK(fa.points[i].intensity == fb.points[i].intensity);
    double ratio = fa.points[i].intensity / a.points()[i].intensity;
    CHECK(ratio > 0.5);
    CHECK(ratio < 1.5);
    any_changed = any_changed || ratio != 1.0;
  }
  CHECK(any_changed);
  CHECK(fa.provenance.basis == Basis::modelled);
  CHECK(fa.provenance.source ==
        "trace trace_hourly.csv replayed as a forecast with 10 % noise (seed 7)");
  CHECK(a.intensity_at(anywhere, midnight).intensity.value == 100);  // "now" stays recorded
  auto other_seed =
      TraceProvider::load(data + "trace_hourly.csv", {.zone = "", .noise_sigma = 0.1, .seed = 8});
  CHECK(other_seed.forecast(anywhere, midnight, midnight + 6h).points[0].intensity !=
        fa.points[0].intensity);
}

TEST_CASE("a trace bound to a zone refuses other zones", "[intensity]") {
  auto trace = TraceProvider::load(data + "trace_hourly.csv", {.zone = "FR"});
  std::error_code ec;
  trace.intensity_at(Location::zone("fr"), midnight, ec);
  CHECK(!ec);
  trace.intensity_at(Location::zone("DE"), midnight, ec);
  CHECK(ec == errc::unknown_location);
}

TEST_CASE("malformed trace rows name the file and line", "[intensity]") {
  auto bad = load_error("trace_bad_value.csv");
  CHECK(bad.starts_with("trace_bad_value.csv:3: expected `time,intensity`"));
  CHECK(bad.find("2020-01-01 00:30:00,abc") != std::string::npos);
  CHECK(load_error("trace_out_of_order.csv").starts_with("trace_out_of_order.csv:3: time"));
  CHECK_THROWS_AS(TraceProvider::parse("Time,Carbon Intensity\n", "empty.csv"), error);
  CHECK_THROWS_WITH(TraceProvider::load(data + "missing.csv"),
                    Catch::Contains("cannot read") && Catch::Contains("missing.csv"));
}

TEST_CASE("the real GB trace loads with its 15 and 30 minute points", "[intensity]") {
  auto gb = TraceProvider::load(GREENTRAIN_SOURCE_DIR "/data/traces/gb-2020-halfhourly.csv");
  CHECK(gb.points().size() == 21980);
  CHECK(gb.begin_time() == sys_days{2019y / December / 20});
  CHECK(gb.points().front().intensity.value == Approx(120.99546661944396));
}
