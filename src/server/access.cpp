#include "access.hpp"

#include <cstddef>

namespace greentrain::detail {

bool is_loopback(std::string_view address) {
  return address == "localhost" || address == "::1" || address.starts_with("127.");
}

bool same_secret(std::string_view given, std::string_view expected) {
  unsigned char difference = given.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < given.size(); ++i) {
    char want = expected.empty() ? '\0' : expected[i % expected.size()];
    difference |= static_cast<unsigned char>(static_cast<unsigned char>(given[i]) ^
                                             static_cast<unsigned char>(want));
  }
  return difference == 0 && !expected.empty();
}

bool bearer_matches(std::string_view authorization, std::string_view token) {
  constexpr std::string_view scheme = "Bearer ";
  if (!authorization.starts_with(scheme)) return false;
  authorization.remove_prefix(scheme.size());
  return same_secret(authorization, token);
}

}  // namespace greentrain::detail
