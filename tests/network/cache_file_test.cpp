#include "intensity/cache_file.hpp"

#include <catch2/catch.hpp>
#include <cmath>

#include "support/temp_dir.hpp"

using greentrain::detail::CachedReading;

TEST_CASE("the cache file reads back hostile sources unchanged and skips a NaN reading",
          "[cache]") {
  const std::string hostile = "a \"quoted\" \\ source\nwith\x01 control";
  CachedReading kept;
  kept.location = "zone:" + hostile;
  kept.reading.intensity = greentrain::GramsPerKwh{56.5};
  kept.reading.provenance.source = hostile;
  CachedReading nan = kept;
  nan.reading.intensity = greentrain::GramsPerKwh{std::nan("")};
  greentrain::test::TempDir dir;
  std::error_code ec;
  greentrain::detail::write_cache_file(dir / "cache.json", {kept, nan}, ec);
  REQUIRE_FALSE(ec);
  auto back = greentrain::detail::read_cache_file(dir / "cache.json", ec);
  REQUIRE_FALSE(ec);
  // The NaN entry is written as null, valid JSON, and not taken for a reading.
  REQUIRE(back.size() == 1);
  CHECK(back[0].location == kept.location);
  CHECK(back[0].reading.provenance.source == hostile);
  CHECK(back[0].reading.intensity.value == 56.5);
}
