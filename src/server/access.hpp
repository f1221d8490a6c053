#pragma once
// Who may read the figures: anyone on loopback; elsewhere only a client with the token, sent as a
// bearer token or typed once into the login form, which gives the browser a session cookie.
#include <optional>
#include <string>
#include <string_view>

namespace greentrain::detail {

bool is_loopback(std::string_view address);

// Compares in time that depends on the lengths only, so that timing does not reveal the token.
bool same_secret(std::string_view given, std::string_view expected);

// `Authorization` header value against the token: "Bearer <token>", the scheme in any case
// (RFC 7235 section 2.1).
bool bearer_matches(std::string_view authorization, std::string_view token);

// The value of cookie `name` in a `Cookie` header ("a=1; b=2"); empty when it is not there.
std::string_view cookie_value(std::string_view cookie_header, std::string_view name);

// Field `name` of an application/x-www-form-urlencoded body, decoded; nullopt when absent or
// badly encoded.
std::optional<std::string> form_field(std::string_view body, std::string_view name);

// 256 random bits as hex: the session cookie's value, so that the browser never stores the token.
std::string new_session_key();

}  // namespace greentrain::detail
