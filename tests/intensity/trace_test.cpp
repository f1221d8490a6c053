#include "greentrain/intensity/trace.hpp"

#include <catch2/catch.hpp>
#include <cmath>

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
  ProviderFault fault;
  trace.intensity_at(anywhere, midnight + 6h, fault);
  CHECK(fault.code == errc::invalid_argument);
  CHECK(fault.reason.find("2020-01-01T06:00:00Z") != std::string::npos);
  trace.intensity_at(anywhere, midnight - 1s, fault);
  CHECK(fault.code == errc::invalid_argument);
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
  ProviderFault fault;
  trace.intensity_at(Location::zone("fr"), midnight, fault);
  CHECK(!fault);
  trace.intensity_at(Location::zone("DE"), midnight, fault);
  CHECK(fault.code == errc::unknown_location);
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

TEST_CASE("rows days apart leave a gap instead of the last value filling it", "[intensity]") {
  auto trace = TraceProvider::load(data + "trace_gap.csv");
  REQUIRE(trace.points().size() == 5);
  CHECK(trace.points()[1].duration == 1h);  // as long as the row before, not three days
  auto gaps = trace.gaps();
  REQUIRE(gaps.size() == 1);
  CHECK(gaps[0].from == midnight + 2h);
  CHECK(gaps[0].to == midnight + 72h);
  ProviderFault fault;
  trace.intensity_at(anywhere, midnight + 30h, fault);
  CHECK(fault.code == errc::invalid_argument);
  CHECK(fault.reason.find("with 1 gap (the first from 2020-01-01T02:00:00Z to "
                          "2020-01-04T00:00:00Z)") != std::string::npos);
  auto forecast = trace.forecast(anywhere, midnight + 30h, midnight + 74h);
  REQUIRE(forecast.points.size() == 2);  // from the first row after the gap
  CHECK(forecast.points[0].time == midnight + 72h);
}

TEST_CASE("steps up to the trace's longest step extend the row before", "[intensity]") {
  auto trace = TraceProvider::parse(
      "Time,Carbon Intensity\n2020-01-01 00:00:00,1\n2020-01-01 03:00:00,2\n"
      "2020-01-01 07:00:00,3\n",
      "steps.csv", {.max_step = 4h});
  CHECK(trace.points()[0].duration == 3h);
  CHECK(trace.points()[1].duration == 4h);
  CHECK(trace.gaps().empty());
  auto first_before_gap = TraceProvider::parse(
      "Time,Carbon Intensity\n2020-01-01 00:00:00,1\n2020-01-03 00:00:00,2\n"
      "2020-01-03 00:30:00,3\n",
      "first.csv");
  CHECK(first_before_gap.points()[0].duration == 30min);  // the next step that is not a gap
}

TEST_CASE("a trace's file name gives its zone", "[intensity]") {
  CHECK(zone_named_by("data/traces/gb-2020-halfhourly.csv") == "GB");
  CHECK(zone_named_by("fr-2020-halfhourly.csv") == "FR");
  CHECK(zone_named_by("/x/us-cal-ciso_2021.csv") == "US-CAL-CISO");
  CHECK(zone_named_by("trace_hourly.csv").empty());
  CHECK(zone_named_by("de.csv") == "DE");
  CHECK(zone_named_by("-gb.csv").empty());
  CHECK(zone_named_by("my-trace.csv").empty());  // MY is a zone, but "trace" is no year
}

TEST_CASE("trace rows read one by one keep CRLF, blank lines and line numbers", "[intensity]") {
  const std::string text =
      "Time,Carbon Intensity\r\n2020-01-01 00:00:00,100\r\n\r\n2020-01-01 01:00:00,200\r\n";
  auto parsed = TraceProvider::parse(text, "crlf.csv");
  REQUIRE(parsed.points().size() == 2);
  CHECK(parsed.points()[1].intensity.value == 200);
  CHECK(parsed.points()[1].duration == 1h);
  CHECK_THROWS_WITH(
      TraceProvider::parse("Time,Carbon Intensity\n\n2020-01-01 00:00:00,100\nx,1\n", "b.csv"),
      Catch::StartsWith("b.csv:4: expected"));
}

TEST_CASE("a trace figure no grid can have is refused with its file and line", "[intensity]") {
  auto parse_error = [](const std::string& csv) {
    try {
      TraceProvider::parse(csv, "spiky.csv");
    } catch (const error& e) {
      CHECK(e.code() == errc::malformed_data);
      return std::string(e.what());
    }
    FAIL("no error for " << csv);
    return std::string();
  };
  auto huge = parse_error("time,intensity\n2020-01-01 00:00:00,200\n2020-01-01 01:00:00,1e300\n");
  CHECK(huge.starts_with("spiky.csv:3: expected `time,intensity`"));
  CHECK(huge.find("1e+300 g/kWh is outside 0 to 5000 g/kWh") != std::string::npos);
  CHECK(parse_error("time,intensity\n2020-01-01 00:00:00,-3\n").find("-3 g/kWh is outside") !=
        std::string::npos);
  CHECK(parse_error("time,intensity\n2020-01-01 00:00:00,nan\n").starts_with("spiky.csv:2:"));
  CHECK_NOTHROW(TraceProvider::parse("time,intensity\n2020-01-01 00:00:00,5000\n", "edge.csv"));
}

TEST_CASE("trace points built in code are checked too: range and negative durations",
          "[intensity]") {
  auto point = [](double g, seconds duration) {
    return std::vector<IntensityPoint>{{midnight, duration, GramsPerKwh{g}}};
  };
  CHECK_THROWS_WITH(
      TraceProvider(point(7000, 3600s), "code"),
      "trace code: point 1 (2020-01-01T00:00:00Z): 7000 g/kWh is outside 0 to 5000 g/kWh");
  CHECK_THROWS_WITH(TraceProvider(point(100, -60s), "code"),
                    Catch::Contains("a duration of -60 s is negative"));
  CHECK_THROWS_AS(TraceProvider(point(std::nan(""), 3600s), "code"), error);
}
