#pragma once
// A recorded /sys + /proc tree copied to a temporary folder, so a test can rewrite counters in it.
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

namespace greentrain::test {

inline std::filesystem::path recorded(const std::string& machine) {
  return std::filesystem::path(GREENTRAIN_TEST_DATA) / "sensors" / machine;
}

class TreeCopy {
 public:
  explicit TreeCopy(const std::string& machine) {
    std::string pattern = (std::filesystem::temp_directory_path() / "greentrain-sensors-XXXXXX").string();
    root_ = ::mkdtemp(pattern.data());
    std::filesystem::copy(recorded(machine), root_, std::filesystem::copy_options::recursive);
  }
  TreeCopy(const TreeCopy&) = delete;
  TreeCopy& operator=(const TreeCopy&) = delete;
  ~TreeCopy() {
    std::error_code ec;
    std::filesystem::remove_all(root_, ec);
  }

  std::filesystem::path sys() const { return root_ / "sys"; }
  std::filesystem::path proc() const { return root_ / "proc"; }

  // Replaces a file's content, as the kernel does for a counter.
  void write(const std::filesystem::path& relative, const std::string& text) const {
    std::ofstream(root_ / relative, std::ios::trunc) << text;
  }

 private:
  std::filesystem::path root_;
};

}  // namespace greentrain::test
