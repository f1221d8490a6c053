#pragma once
// Parsers for the few procfs lines the sensors need; no allocation, so they run on the hot path.
#include <cstdint>
#include <optional>
#include <string_view>

#include "greentrain/sensors/cpu_time.hpp"

namespace greentrain::sensors::detail {

using MachineTicks = CpuTicks;
std::optional<MachineTicks> parse_machine_ticks(std::string_view proc_stat) noexcept;

// The fields of /proc/<pid>/stat that attribution needs, in clock ticks.
struct ProcessTicks {
  int ppid = 0;
  std::uint64_t own = 0;             // utime + stime
  std::uint64_t reaped_children = 0;  // cutime + cstime: children it has waited for
  std::optional<std::uint64_t> resident_pages;  // rss (field 24), where the line reaches it
};
std::optional<ProcessTicks> parse_process_ticks(std::string_view pid_stat) noexcept;

// MemTotal and MemAvailable from /proc/meminfo, in kB.
struct MemoryKb {
  std::uint64_t total = 0;
  std::uint64_t available = 0;
};
std::optional<MemoryKb> parse_meminfo(std::string_view meminfo) noexcept;

// Ticks of `part` over ticks of `whole`, 0 when nothing elapsed, clamped to [0, 1].
double tick_share(std::uint64_t part, std::uint64_t whole) noexcept;

}  // namespace greentrain::sensors::detail
