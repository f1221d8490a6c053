#include "greentrain/intensity/fixed.hpp"

#include <catch2/catch.hpp>
#include <cmath>

#include "greentrain/error.hpp"

using namespace greentrain;
using namespace std::chrono_literals;

TEST_CASE("a forced intensity is served for any location with user provenance", "[intensity]") {
  FixedProvider fixed(GramsPerKwh{123});
  auto reading = fixed.intensity_at(Location::zone("anything"), SystemTime{});
  CHECK(reading.intensity.value == 123);
  CHECK(reading.provenance.basis == Basis::user);
  CHECK(reading.provenance.source == "forced by the user: 123 gCO2e/kWh");
}

TEST_CASE("a forced intensity forecasts one flat point over the period", "[intensity]") {
  FixedProvider fixed(GramsPerKwh{50}, "site contract");
  SystemTime from{};
  auto forecast = fixed.forecast(Location::zone("FR"), from, from + 6h);
  REQUIRE(forecast.points.size() == 1);
  CHECK(forecast.points[0].duration == 6h);
  CHECK(forecast.points[0].intensity.value == 50);
  CHECK(forecast.provenance.source == "site contract: 50 gCO2e/kWh");
}

TEST_CASE("a negative forced intensity is rejected", "[intensity]") {
  CHECK_THROWS_AS(FixedProvider(GramsPerKwh{-1}), error);
}

TEST_CASE("a forced intensity above any grid's or NaN is rejected with the accepted range",
          "[intensity]") {
  CHECK_THROWS_WITH(FixedProvider(GramsPerKwh{1e300}),
                    "a forced intensity must be a number from 0 to 5000 g/kWh: 1e+300 g/kWh is "
                    "outside 0 to 5000 g/kWh");
  CHECK_THROWS_AS(FixedProvider(GramsPerKwh{std::nan("")}), error);
  CHECK(FixedProvider(GramsPerKwh{5000})
            .intensity_at(Location::zone("PL"), SystemTime{})
            .intensity.value == 5000);
}
