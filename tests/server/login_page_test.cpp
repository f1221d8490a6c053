#include "login_page.hpp"

#include <catch2/catch.hpp>

using namespace greentrain::detail;

namespace {

bool contains(const std::string& text, std::string_view part) {
  return text.find(part) != std::string::npos;
}

}  // namespace

TEST_CASE("the login form posts the token in its body, hidden as a password", "[server][login]") {
  std::string page = login_page(false);
  CHECK(contains(page, "<form method=\"post\" action=\"login\">"));
  CHECK(contains(page, "type=\"password\" id=\"token\" name=\"token\""));
  CHECK_FALSE(contains(page, "id=\"wrong\""));
  CHECK_FALSE(contains(page, "src="));  // nothing to fetch from elsewhere
}

TEST_CASE("after a wrong token the login form says so", "[server][login]") {
  CHECK(contains(login_page(true), "<p id=\"wrong\">That token is not this server's.</p>"));
}
