#include "core/key_text.hpp"

#include <algorithm>
#include <cctype>
#include <numeric>
#include <tuple>

namespace greentrain::detail {

namespace {

char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), std::size_t{0});
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t above = row[j];
      std::size_t substitution = diagonal + (lower(a[i - 1]) == lower(b[j - 1]) ? 0 : 1);
      row[j] = std::min({above + 1, row[j - 1] + 1, substitution});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::size_t shared_prefix(std::string_view a, std::string_view b) {
  std::size_t n = 0;
  while (n < a.size() && n < b.size() && lower(a[n]) == lower(b[n])) ++n;
  return n;
}

}  // namespace

bool iequals(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return lower(x) == lower(y); });
}

std::string to_upper(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string to_lower(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = lower(c);
  return out;
}

std::vector<std::string> nearest_keys(std::string_view query,
                                      const std::vector<std::string>& candidates,
                                      std::size_t count) {
  using Ranked = std::tuple<std::size_t, std::size_t, const std::string*>;  // distance, -prefix
  std::vector<Ranked> ranked;
  ranked.reserve(candidates.size());
  for (const auto& c : candidates)
    ranked.emplace_back(edit_distance(query, c), query.size() - shared_prefix(query, c), &c);
  count = std::min(count, ranked.size());
  std::partial_sort(ranked.begin(), ranked.begin() + static_cast<std::ptrdiff_t>(count),
                    ranked.end(), [](const Ranked& a, const Ranked& b) {
                      return std::tie(std::get<0>(a), std::get<1>(a), *std::get<2>(a)) <
                             std::tie(std::get<0>(b), std::get<1>(b), *std::get<2>(b));
                    });
  std::vector<std::string> out;
  for (std::size_t i = 0; i < count; ++i) out.push_back(*std::get<2>(ranked[i]));
  return out;
}

}  // namespace greentrain::detail
