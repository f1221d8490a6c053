#pragma once
#include <string>

namespace greentrain::detail {

// The form a browser sees instead of the dashboard while the server has a token and the browser
// no session: the token is typed once and posted to /login, never put in a URL.
std::string login_page(bool after_wrong_token);

}  // namespace greentrain::detail
