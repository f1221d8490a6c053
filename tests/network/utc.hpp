#pragma once
// A UTC instant written plainly in the tests: utc(2024, 3, 6, 19) is 2024-03-06T19:00Z.
#include "greentrain/intensity/provider.hpp"

namespace greentrain::test {

inline SystemTime utc(int year, unsigned month, unsigned day, int hour, int minute = 0) {
  return SystemTime(std::chrono::sys_days(std::chrono::year(year) / month / day)) +
         std::chrono::hours(hour) + std::chrono::minutes(minute);
}

}  // namespace greentrain::test
