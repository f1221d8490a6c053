#pragma once
// Sets the fake NVML's machine for one test case and clears it afterwards (see fake_nvml.cpp).
#include <stdlib.h>

#include <initializer_list>
#include <string>
#include <utility>

namespace greentrain::test {

class FakeGpus {
 public:
  FakeGpus(std::initializer_list<std::pair<const char*, std::string>> settings) {
    clear();
    for (const auto& [name, value] : settings) ::setenv(name, value.c_str(), 1);
  }
  FakeGpus(const FakeGpus&) = delete;
  FakeGpus& operator=(const FakeGpus&) = delete;
  ~FakeGpus() { clear(); }

  static void set(const char* name, const std::string& value) { ::setenv(name, value.c_str(), 1); }

 private:
  static void clear() {
    for (const char* name : {"FAKE_NVML_INIT", "FAKE_NVML_COUNT", "FAKE_NVML_ENERGY", "FAKE_NVML_POWER",
                             "FAKE_NVML_UTIL"})
      ::unsetenv(name);
  }
};

}  // namespace greentrain::test
