#include "core/key_text.hpp"

#include <catch2/catch.hpp>

using namespace greentrain::detail;

TEST_CASE("nearest keys rank by edit distance, then shared prefix", "[intensity]") {
  std::vector<std::string> keys{"DE", "FR", "FO", "GB", "US-CAL-CISO", "AX"};
  auto near = nearest_keys("fx", keys, 3);
  REQUIRE(near.size() == 3);
  CHECK(near[0] == "FO");
  CHECK(near[1] == "FR");
  CHECK(near[2] == "AX");
  CHECK(nearest_keys("us-cal-iso", keys, 1) == std::vector<std::string>{"US-CAL-CISO"});
}

TEST_CASE("case-insensitive comparison", "[intensity]") {
  CHECK(iequals("eu-West-3", "EU-WEST-3"));
  CHECK(!iequals("eu-west-3", "eu-west-30"));
  CHECK(to_upper("fr") == "FR");
}
