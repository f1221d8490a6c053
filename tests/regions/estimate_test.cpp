#include "greentrain/scheduling/estimate.hpp"

#include <catch2/catch.hpp>

#include "greentrain/error.hpp"

using namespace greentrain;

TEST_CASE("an earlier run's emissions.csv gives the average power of its last row", "[picker]") {
  auto power =
      scheduling::power_from_emissions_csv(GREENTRAIN_TEST_DATA "/intensity/emissions_prior.csv");
  CHECK(power.value == Approx(0.1 * 3.6e6 / 1800));  // 200 W
}

TEST_CASE("a file without the emissions columns is refused by name", "[picker]") {
  CHECK_THROWS_WITH(
      scheduling::power_from_emissions_csv(GREENTRAIN_TEST_DATA "/intensity/trace_hourly.csv"),
      Catch::Contains("no 'duration' column"));
  CHECK_THROWS_AS(scheduling::power_from_emissions_csv(GREENTRAIN_TEST_DATA "/intensity/none.csv"),
                  error);
}
