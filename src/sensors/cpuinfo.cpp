#include "sensors/cpuinfo.hpp"

#include <algorithm>
#include <charconv>
#include <set>
#include <thread>

#include "sensors/kept_file.hpp"

namespace greentrain::sensors::detail {

namespace {

int number(std::string_view text) {
  int value = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  return ec == std::errc{} && end == text.data() + text.size() ? value : -1;
}

}  // namespace

CpuInfo read_cpuinfo(const std::filesystem::path& proc) {
  CpuInfo info;
  std::error_code ec;
  std::string text = read_text(proc / "cpuinfo", ec);
  std::set<std::string> sockets;
  std::string_view rest = text;
  while (!rest.empty()) {
    auto end = rest.find('\n');
    std::string_view line = rest.substr(0, end);
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
    auto colon = line.find(':');
    if (colon == std::string_view::npos) continue;
    auto key = trim(line.substr(0, colon));
    auto value = trim(line.substr(colon + 1));
    if (key == "processor") ++info.logical_cpus;
    else if (key == "model name" && info.model.empty()) info.model = value;
    else if (key == "vendor_id" && info.vendor.empty()) info.vendor = value;
    else if (key == "physical id") sockets.emplace(value);
    else if (key == "cpu family" && info.family < 0)
      info.family = number(value);
    else if (key == "model" && info.model_number < 0)
      info.model_number = number(value);
    else if (key == "stepping" && info.stepping < 0)
      info.stepping = number(value);
    else if (key == "flags" && (" " + std::string(value) + " ").find(" hypervisor ") != std::string::npos)
      info.virtualised = true;
  }
  if (info.model.empty()) info.model = "unknown";
  if (info.logical_cpus == 0) info.logical_cpus = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (!sockets.empty()) info.sockets = static_cast<int>(sockets.size());
  return info;
}

}  // namespace greentrain::sensors::detail
