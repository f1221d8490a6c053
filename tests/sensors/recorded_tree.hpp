#pragma once
// A recorded /sys + /proc tree copied to a temporary folder, so a test can rewrite counters in it.
#include <filesystem>
#include <fstream>
#include <string>

#include "support/temp_dir.hpp"

namespace greentrain::test {

inline std::filesystem::path recorded(const std::string& machine) {
  return std::filesystem::path(GREENTRAIN_TEST_DATA) / "sensors" / machine;
}

// Every recorded stat's first line is "cpu 10000 200 3000 80000 500 0 100 0": 13300 busy, 93800
// total ticks. This is that line after `more_busy` user ticks and `more_idle` idle ticks.
inline std::string stat_after(int more_busy, int more_idle) {
  return "cpu  " + std::to_string(10000 + more_busy) + " 200 3000 " + std::to_string(80000 + more_idle) +
         " 500 0 100 0 0 0\nintr 1 0\n";
}

class TreeCopy {
 public:
  explicit TreeCopy(const std::string& machine) {
    std::filesystem::copy(recorded(machine), dir_.path(), std::filesystem::copy_options::recursive);
  }

  std::filesystem::path sys() const { return dir_ / "sys"; }
  std::filesystem::path proc() const { return dir_ / "proc"; }

  // Replaces a file's content, as the kernel does for a counter.
  void write(const std::filesystem::path& relative, const std::string& text) const {
    std::ofstream(dir_.path() / relative, std::ios::trunc) << text;
  }

 private:
  TempDir dir_;
};

}  // namespace greentrain::test
