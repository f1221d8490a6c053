#include "greentrain/intensity/fixed.hpp"

#include <catch2/catch.hpp>

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
