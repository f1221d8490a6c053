#include "greentrain/intensity/intensity_range.hpp"

#include <catch2/catch.hpp>
#include <cmath>

using namespace greentrain;
using namespace std::chrono_literals;

TEST_CASE("an intensity from 0 to 5000 g/kWh is possible; others are refused, saying why",
          "[intensity]") {
  CHECK(intensity_fault(GramsPerKwh{0}).empty());
  CHECK(intensity_fault(GramsPerKwh{5000}).empty());
  CHECK(intensity_fault(GramsPerKwh{1e300}) == "1e+300 g/kWh is outside 0 to 5000 g/kWh");
  CHECK(intensity_fault(GramsPerKwh{-0.5}) == "-0.5 g/kWh is outside 0 to 5000 g/kWh");
  CHECK(intensity_fault(GramsPerKwh{std::nan("")}) == "the intensity is not a number");
  CHECK_FALSE(intensity_fault(GramsPerKwh{INFINITY}).empty());
}

TEST_CASE("a reading whose interval ends before it starts is refused", "[intensity]") {
  IntensityReading reading;
  reading.intensity = GramsPerKwh{56};
  reading.valid_from = SystemTime{} + 2h;
  reading.valid_until = SystemTime{} + 1h;
  CHECK(intensity_fault(reading).find("ends (1970-01-01T01:00:00Z) before it starts") !=
        std::string::npos);
  reading.valid_until = reading.valid_from;
  CHECK(intensity_fault(reading).empty());
}

TEST_CASE("a forecast with an impossible point or a negative duration is refused", "[intensity]") {
  Forecast forecast;
  forecast.points = {{SystemTime{}, 3600s, GramsPerKwh{40}},
                     {SystemTime{} + 1h, 3600s, GramsPerKwh{40}}};
  CHECK(intensity_fault(forecast).empty());
  forecast.points[1].intensity = GramsPerKwh{9000};
  CHECK(intensity_fault(forecast) ==
        "point 1970-01-01T01:00:00Z: 9000 g/kWh is outside 0 to 5000 g/kWh");
  forecast.points[1] = {SystemTime{} + 1h, -3600s, GramsPerKwh{40}};
  CHECK(intensity_fault(forecast) ==
        "point 1970-01-01T01:00:00Z: a duration of -3600 s is negative");
}
