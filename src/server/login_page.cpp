#include "login_page.hpp"

#include <fmt/format.h>

namespace greentrain::detail {

std::string login_page(bool after_wrong_token) {
  return fmt::format(
      R"page(<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>greentrain: log in</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 30rem; margin: 3rem auto; padding: 0 1rem; color: #222; }}
input {{ font-size: 1rem; padding: 0.3rem; width: 100%; box-sizing: border-box; margin: 0.5rem 0; }}
#wrong {{ color: #b00; }}
</style></head><body>
<h1>greentrain: live run</h1>
{}<form method="post" action="login">
<label for="token">This server asks for its token (GREENTRAIN_SERVER_TOKEN):</label>
<input type="password" id="token" name="token" autocomplete="current-password" autofocus required>
<input type="submit" id="login" value="Log in">
</form>
</body></html>
)page",
      after_wrong_token ? "<p id=\"wrong\">That token is not this server's.</p>\n" : "");
}

}  // namespace greentrain::detail
