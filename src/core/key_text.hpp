#pragma once
// Keys as users type them: case-insensitive comparison and "did you mean" suggestions.
#include <string>
#include <string_view>
#include <vector>

namespace greentrain::detail {

bool iequals(std::string_view a, std::string_view b) noexcept;
std::string to_upper(std::string_view text);
std::string to_lower(std::string_view text);

// Up to `count` candidates closest to `query` by case-insensitive edit distance; ties go to the
// longer shared prefix, then alphabetical order.
std::vector<std::string> nearest_keys(std::string_view query,
                                      const std::vector<std::string>& candidates,
                                      std::size_t count = 5);

}  // namespace greentrain::detail
