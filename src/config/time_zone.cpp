#include "greentrain/time_zone.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>
#include <vector>

namespace greentrain {

namespace {

namespace fs = std::filesystem;

std::string trimmed(std::string text) {
  auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t\r\n") - first + 1);
}

// "Europe/Paris" from TZ's ":Europe/Paris", or from a path ".../zoneinfo/Europe/Paris"
// (".../zoneinfo/posix/Europe/Paris" too). A POSIX rule such as "CET-1CEST" stays as it is: no
// table names a country for it.
std::string zone_name(std::string text) {
  text = trimmed(std::move(text));
  if (text.starts_with(':')) text.erase(0, 1);
  if (auto at = text.rfind("zoneinfo/"); at != std::string::npos) text.erase(0, at + 9);
  for (std::string_view prefix : {"posix/", "right/"})
    if (text.starts_with(prefix)) text.erase(0, prefix.size());
  return text.starts_with('/') ? std::string() : text;
}

// The columns of tzdata's tables, comments skipped.
std::vector<std::vector<std::string>> read_table(const fs::path& file) {
  std::vector<std::vector<std::string>> rows;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) {
    if (line.empty() || line[0] == '#') continue;
    std::vector<std::string> columns;
    std::istringstream fields(line);
    for (std::string field; std::getline(fields, field, '\t');) columns.push_back(field);
    rows.push_back(std::move(columns));
  }
  return rows;
}

// zone.tab gives one country per zone; zone1970.tab lists every country of a merged zone
// ("CH,DE,LI"), which names a country only when it lists one.
std::string country_of(const fs::path& zoneinfo, const std::string& zone) {
  for (const auto& row : read_table(zoneinfo / "zone.tab"))
    if (row.size() >= 3 && row[2] == zone) return row[0];
  for (const auto& row : read_table(zoneinfo / "zone1970.tab"))
    if (row.size() >= 3 && row[2] == zone && row[0].find(',') == std::string::npos) return row[0];
  return {};
}

std::string country_name(const fs::path& zoneinfo, const std::string& code) {
  for (const auto& row : read_table(zoneinfo / "iso3166.tab"))
    if (row.size() >= 2 && row[0] == code) return row[1];
  return code;
}

void find_zone(const TimeZoneRoots& roots, const std::optional<std::string>& tz,
               TimeZoneGuess& guess) {
  if (tz && !tz->empty()) {
    guess.time_zone = zone_name(*tz);
    guess.found_in = "TZ";
    if (guess.time_zone.empty()) guess.why_not = fmt::format("TZ={} names no tzdata zone", *tz);
    return;
  }
  std::ifstream file(roots.etc / "timezone");
  if (std::string line; file && std::getline(file, line) && !zone_name(line).empty()) {
    guess.time_zone = zone_name(line);
    guess.found_in = (roots.etc / "timezone").string();
    return;
  }
  std::error_code ec;
  auto target = fs::read_symlink(roots.etc / "localtime", ec);
  if (!ec && !zone_name(target.string()).empty()) {
    guess.time_zone = zone_name(target.string());
    guess.found_in = fmt::format("{} -> {}", (roots.etc / "localtime").string(), target.string());
    return;
  }
  guess.why_not = fmt::format(
      "no time zone: TZ is not set, {} is missing and {} is not a link "
      "into zoneinfo",
      (roots.etc / "timezone").string(), (roots.etc / "localtime").string());
}

}  // namespace

TimeZoneGuess guess_country_from_time_zone(const TimeZoneRoots& roots,
                                           const std::optional<std::string>& tz) {
  TimeZoneGuess guess;
  find_zone(roots, tz, guess);
  if (guess.time_zone.empty()) return guess;
  guess.country_code = country_of(roots.zoneinfo, guess.time_zone);
  if (guess.country_code.empty()) {
    guess.why_not = fmt::format("time zone {} is not one country's in {}/zone.tab", guess.time_zone,
                                roots.zoneinfo.string());
    return guess;
  }
  guess.country_name = country_name(roots.zoneinfo, guess.country_code);
  return guess;
}

std::string describe(const TimeZoneGuess& guess) {
  if (!guess.found()) return "no guess: " + guess.why_not;
  return fmt::format("{} ({}), {} ({})", guess.country_name, guess.country_code, guess.label(),
                     guess.found_in);
}

}  // namespace greentrain
