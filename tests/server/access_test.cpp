#include "access.hpp"

#include <catch2/catch.hpp>

using namespace greentrain::detail;

TEST_CASE("only loopback addresses are served without a token", "[server][access]") {
  CHECK(is_loopback("127.0.0.1"));
  CHECK(is_loopback("127.1.2.3"));
  CHECK(is_loopback("::1"));
  CHECK_FALSE(is_loopback("0.0.0.0"));
  CHECK_FALSE(is_loopback("192.168.1.10"));
}

TEST_CASE("a bearer token matches only when whole and exact", "[server][access]") {
  CHECK(bearer_matches("Bearer s3cret", "s3cret"));
  CHECK_FALSE(bearer_matches("Bearer s3cre", "s3cret"));
  CHECK_FALSE(bearer_matches("Bearer s3cretX", "s3cret"));
  CHECK_FALSE(bearer_matches("Bearer S3cret", "s3cret"));
  CHECK_FALSE(bearer_matches("Basic s3cret", "s3cret"));
  CHECK_FALSE(bearer_matches("Bearer ", ""));  // an empty token never opens the door
}
