#pragma once
// Test doubles for the carbon policy: a provider replaying a recorded half-hourly trace, and a
// clock that moves only when told.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>

#include "greentrain/error.hpp"
#include "greentrain/intensity/provider.hpp"
#include "greentrain/trainer/carbon_policy.hpp"

namespace greentrain::trainer::testing {

inline SystemTime utc(int y, unsigned mo, unsigned d, int h, int mi = 0) {
  using namespace std::chrono;
  return sys_days{year{y} / month{mo} / day{d}} + hours{h} + minutes{mi};
}

class TraceProvider : public IntensityProvider {
 public:
  // "Time,Carbon Intensity" rows: "2019-12-20 00:30:00,135.08".
  explicit TraceProvider(const std::string& csv) {
    std::ifstream in(csv);
    std::string line;
    std::getline(in, line);
    while (std::getline(in, line)) {
      int y, mo, d, h, mi, s;
      double value;
      if (std::sscanf(line.c_str(), "%d-%d-%d %d:%d:%d,%lf", &y, &mo, &d, &h, &mi, &s, &value) == 7)
        points_[utc(y, static_cast<unsigned>(mo), static_cast<unsigned>(d), h, mi)] = value;
    }
  }
  std::string_view name() const noexcept override { return "trace"; }
  IntensityReading intensity_at(const Location& location, SystemTime at,
                                ProviderFault& fault) override {
    ++reads;
    auto it = points_.upper_bound(at);
    if (it == points_.begin() || points_.empty()) {
      fault = fault_for(location, errc::unknown_location);
      return {};
    }
    --it;
    IntensityReading r;
    r.intensity = GramsPerKwh{it->second};
    r.valid_from = it->first;
    r.valid_until = it->first + std::chrono::minutes(30);
    return r;
  }
  std::size_t reads = 0;

 private:
  std::map<SystemTime, double> points_;
};

class FakeClock : public PolicyClock {
 public:
  explicit FakeClock(SystemTime start) : now_(start) {}
  SystemTime now() override { return now_; }
  void sleep_until(SystemTime time) override {
    if (time > now_) now_ = time;
    ++sleeps;
  }
  void advance(std::chrono::seconds by) { now_ += by; }
  std::size_t sleeps = 0;

 private:
  SystemTime now_;
};

}  // namespace greentrain::trainer::testing
