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
  CHECK_FALSE(bearer_matches("Bearers3cret", "s3cret"));
  CHECK_FALSE(bearer_matches("Bearer ", ""));  // an empty token never opens the door
}

TEST_CASE("the bearer scheme is matched in any case, the token exactly", "[server][access]") {
  CHECK(bearer_matches("bearer s3cret", "s3cret"));
  CHECK(bearer_matches("BEARER s3cret", "s3cret"));
  CHECK(bearer_matches("bEaReR  s3cret", "s3cret"));  // 1*SP before the credentials
  CHECK_FALSE(bearer_matches("bearer S3CRET", "s3cret"));
}

TEST_CASE("secrets are equal only when both are whole and the same", "[server][access]") {
  CHECK(same_secret("s3cret", "s3cret"));
  CHECK_FALSE(same_secret("s3cre", "s3cret"));
  CHECK_FALSE(same_secret("s3cret!", "s3cret"));
  CHECK_FALSE(same_secret("", ""));
  CHECK_FALSE(same_secret("s3crex", "s3cret"));
}

TEST_CASE("a cookie is found by its whole name among the others", "[server][access]") {
  CHECK(cookie_value("a=1; greentrain_session=abc; b=2", "greentrain_session") == "abc");
  CHECK(cookie_value("greentrain_session=abc", "greentrain_session") == "abc");
  CHECK(cookie_value("x_greentrain_session=abc", "greentrain_session").empty());
  CHECK(cookie_value("", "greentrain_session").empty());
}

TEST_CASE("a form field is decoded from plus signs and percent escapes", "[server][access]") {
  CHECK(form_field("token=a%2Bb+c%25", "token") == "a+b c%");
  CHECK(form_field("other=1&token=s3cret", "token") == "s3cret");
  CHECK(form_field("token=", "token") == "");
  CHECK_FALSE(form_field("tokens=s3cret", "token"));
  CHECK_FALSE(form_field("token=bad%2", "token"));  // a cut escape is no value
  CHECK_FALSE(form_field("token=bad%zz", "token"));
}

TEST_CASE("session keys are 256 random bits, different each time", "[server][access]") {
  std::string key = new_session_key();
  CHECK(key.size() == 64);
  CHECK(key.find_first_not_of("0123456789abcdef") == std::string::npos);
  CHECK(new_session_key() != key);
}
