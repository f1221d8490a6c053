// A fake NVML with the entry points greentrain loads. Its behaviour comes from the environment,
// read on every call so that each test case can set its own machine:
//   FAKE_NVML_INIT    nvmlInit's return code (0 = success)
//   FAKE_NVML_COUNT   number of GPUs (default 1)
//   FAKE_NVML_ENERGY  per-GPU total energy in mJ, comma-separated; unset = not supported (pre-Volta)
//   FAKE_NVML_POWER   per-GPU power in mW, comma-separated (default 100000)
//   FAKE_NVML_UTIL    per-GPU utilisation in percent, comma-separated (default 0)
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

constexpr int success = 0;
constexpr int invalid_argument = 2;
constexpr int not_supported = 3;

// The n-th comma-separated number of a variable, or nothing.
bool nth(const char* variable, unsigned int n, unsigned long long& value) {
  const char* text = std::getenv(variable);
  if (text == nullptr) return false;
  for (unsigned int i = 0; i < n; ++i) {
    text = std::strchr(text, ',');
    if (text == nullptr) return false;
    ++text;
  }
  value = std::strtoull(text, nullptr, 10);
  return true;
}

unsigned int count() {
  const char* text = std::getenv("FAKE_NVML_COUNT");
  return text ? static_cast<unsigned int>(std::strtoul(text, nullptr, 10)) : 1u;
}

// A device handle is its index + 1, so that no handle is null.
unsigned int index_of(void* device) { return static_cast<unsigned int>(reinterpret_cast<std::uintptr_t>(device) - 1); }

int copy(const std::string& text, char* out, unsigned int length) {
  if (out == nullptr || length <= text.size()) return invalid_argument;
  std::memcpy(out, text.c_str(), text.size() + 1);
  return success;
}

}  // namespace

extern "C" {

struct fake_utilization {
  unsigned int gpu;
  unsigned int memory;
};

int nvmlInit_v2() {
  const char* code = std::getenv("FAKE_NVML_INIT");
  return code ? std::atoi(code) : success;
}
int nvmlShutdown() { return success; }
const char* nvmlErrorString(int code) { return code == 9 ? "Driver Not Loaded" : "Unknown Error"; }

int nvmlDeviceGetCount_v2(unsigned int* n) {
  *n = count();
  return success;
}

int nvmlDeviceGetHandleByIndex_v2(unsigned int index, void** device) {
  if (index >= count()) return invalid_argument;
  *device = reinterpret_cast<void*>(static_cast<std::uintptr_t>(index) + 1);
  return success;
}

int nvmlDeviceGetUUID(void* device, char* uuid, unsigned int length) {
  return copy("GPU-fake-" + std::to_string(index_of(device)), uuid, length);
}

int nvmlDeviceGetName(void* device, char* name, unsigned int length) {
  return copy("Fake GPU " + std::to_string(index_of(device)), name, length);
}

int nvmlDeviceGetTotalEnergyConsumption(void* device, unsigned long long* millijoules) {
  return nth("FAKE_NVML_ENERGY", index_of(device), *millijoules) ? success : not_supported;
}

int nvmlDeviceGetPowerUsage(void* device, unsigned int* milliwatts) {
  unsigned long long value = 100000;
  nth("FAKE_NVML_POWER", index_of(device), value);
  *milliwatts = static_cast<unsigned int>(value);
  return success;
}

int nvmlDeviceGetUtilizationRates(void* device, fake_utilization* rates) {
  unsigned long long value = 0;
  nth("FAKE_NVML_UTIL", index_of(device), value);
  rates->gpu = static_cast<unsigned int>(value);
  rates->memory = 0;
  return success;
}

}  // extern "C"
