#include <catch2/catch.hpp>

#include "greentrain/error.hpp"

TEST_CASE("greentrain errors carry their code and category", "[core][error]") {
  std::error_code ec = greentrain::errc::unknown_location;
  CHECK(ec.category().name() == std::string("greentrain"));
  CHECK(ec.message() == "unknown zone, country or cloud region");
  try {
    throw greentrain::error(greentrain::errc::permission_denied, "energy_uj is root-only");
  } catch (const greentrain::error& e) {
    CHECK(e.code() == greentrain::errc::permission_denied);
    CHECK(std::string(e.what()).find("energy_uj is root-only") != std::string::npos);
  }
}
