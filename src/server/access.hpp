#pragma once
// Who may read the figures: anyone on loopback; elsewhere only a client with the bearer token.
#include <string_view>

namespace greentrain::detail {

bool is_loopback(std::string_view address);

// Compares in time that depends on the lengths only, so that timing does not reveal the token.
bool same_secret(std::string_view given, std::string_view expected);

// `Authorization` header value against the token: "Bearer <token>".
bool bearer_matches(std::string_view authorization, std::string_view token);

}  // namespace greentrain::detail
