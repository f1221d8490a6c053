#include "access.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstddef>
#include <random>

namespace greentrain::detail {

namespace {

bool same_letters(std::string_view a, std::string_view b) {
  return std::ranges::equal(a, b, [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Calls visit(key, value) for each `key=value` between separators, until it returns true.
template <typename Visit>
void for_each_pair(std::string_view text, char separator, Visit visit) {
  while (!text.empty()) {
    auto end = text.find(separator);
    std::string_view pair = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    auto equals = pair.find('=');
    if (equals == std::string_view::npos) continue;
    if (visit(trimmed(pair.substr(0, equals)), trimmed(pair.substr(equals + 1)))) return;
  }
}

std::optional<std::string> url_decoded(std::string_view text) {
  std::string decoded;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '+') {
      decoded += ' ';
    } else if (text[i] == '%') {
      unsigned char byte = 0;
      if (i + 2 >= text.size()) return std::nullopt;
      auto [end, ec] = std::from_chars(text.data() + i + 1, text.data() + i + 3, byte, 16);
      if (ec != std::errc{} || end != text.data() + i + 3) return std::nullopt;
      decoded += static_cast<char>(byte);
      i += 2;
    } else {
      decoded += text[i];
    }
  }
  return decoded;
}

}  // namespace

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
  constexpr std::string_view scheme = "bearer";
  if (authorization.size() <= scheme.size() || authorization[scheme.size()] != ' ' ||
      !same_letters(authorization.substr(0, scheme.size()), scheme))
    return false;
  authorization.remove_prefix(scheme.size());
  while (authorization.starts_with(' ')) authorization.remove_prefix(1);
  return same_secret(authorization, token);
}

std::string_view cookie_value(std::string_view cookie_header, std::string_view name) {
  std::string_view found;
  for_each_pair(cookie_header, ';', [&](std::string_view key, std::string_view value) {
    if (key != name) return false;
    found = value;
    return true;
  });
  return found;
}

std::optional<std::string> form_field(std::string_view body, std::string_view name) {
  std::optional<std::string> found;
  for_each_pair(body, '&', [&](std::string_view key, std::string_view value) {
    if (key != name) return false;
    found = url_decoded(value);
    return true;
  });
  return found;
}

std::string new_session_key() {
  std::random_device entropy;  // the kernel's getrandom(2) on Linux
  std::string key;
  for (int i = 0; i < 8; ++i) key += fmt::format("{:08x}", entropy());
  return key;
}

}  // namespace greentrain::detail
