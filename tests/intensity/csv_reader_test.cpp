#include "core/csv_reader.hpp"

#include <catch2/catch.hpp>

using namespace greentrain::detail;

TEST_CASE("CSV rows split on commas with CRLF or LF line ends", "[intensity]") {
  auto rows = parse_csv("a,b\r\n1,2\r\n\r\n3,4\n");
  REQUIRE(rows.size() == 3);
  CHECK(rows[1].fields == std::vector<std::string>{"1", "2"});
  CHECK(rows[2].fields == std::vector<std::string>{"3", "4"});
  CHECK(rows[2].line == 4);
}

TEST_CASE("quoted CSV fields keep commas and doubled quotes", "[intensity]") {
  auto rows = parse_csv("x,\"Ashburn, Northern Virginia\",\"say \"\"hi\"\"\"\r\n");
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].fields[1] == "Ashburn, Northern Virginia");
  CHECK(rows[0].fields[2] == "say \"hi\"");
}

TEST_CASE("numbers must fill their field", "[intensity]") {
  CHECK(parse_number("12.5") == 12.5);
  CHECK(parse_number(" 7 ") == 7);
  CHECK(!parse_number("12x"));
  CHECK(!parse_number(""));
  CHECK(!parse_number("nan"));
}
