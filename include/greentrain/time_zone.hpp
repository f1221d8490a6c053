#pragma once
// An offline guess of the country from the system time zone, for `location = "auto"`: a guess,
// labelled so wherever it is used, never a silent default.
//   the zone: TZ (the process's), then <etc>/timezone, then the <etc>/localtime symlink
//   its country: tzdata's zone.tab (one country per zone), else zone1970.tab where it names one;
//   the country's name from iso3166.tab
#include <filesystem>
#include <optional>
#include <string>

namespace greentrain {

// Where the guess reads from; tests point these at recorded trees.
struct TimeZoneRoots {
  std::filesystem::path etc{"/etc"};
  std::filesystem::path zoneinfo{"/usr/share/zoneinfo"};
};

struct TimeZoneGuess {
  std::string time_zone;     // "Europe/Paris"; empty when none was found
  std::string found_in;      // "TZ", "/etc/timezone", "/etc/localtime -> /usr/share/zoneinfo/..."
  std::string country_code;  // ISO 3166 alpha-2 "FR"; empty when the zone names no single country
  std::string country_name;  // "France"
  std::string why_not;       // when there is no country: what was missing

  bool found() const { return !country_code.empty(); }
  // "guessed from time zone Europe/Paris"
  std::string label() const { return "guessed from time zone " + time_zone; }
};

// tz: the TZ variable's value, if set.
TimeZoneGuess guess_country_from_time_zone(const TimeZoneRoots& roots,
                                           const std::optional<std::string>& tz);

// "France (FR), guessed from time zone Europe/Paris (/etc/timezone)", or why there is no guess.
std::string describe(const TimeZoneGuess& guess);

}  // namespace greentrain
