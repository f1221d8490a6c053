#pragma once
// Process attribution: the share of the machine's busy CPU time that a process (or a process tree)
// used between two samples, from <proc>/stat and <proc>/<pid>/stat. Also the machine's CPU
// utilisation and memory use, for the CSV's cpu_utilization_percent and ram_used_gb columns.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <system_error>

#include "greentrain/clock.hpp"

namespace greentrain::sensors {

// Machine CPU time in clock ticks from the first line of <proc>/stat.
struct CpuTicks {
  std::uint64_t busy = 0;   // user + nice + system + irq + softirq (guest time is inside user)
  std::uint64_t total = 0;  // busy + idle + iowait + steal
};

// Reads <proc>/stat through a kept file descriptor. One instance can be shared by the CPU model
// and the process share so that a sample reads /proc/stat once: readings closer than `reuse_for`
// return the previous one (the kernel counts in 10 ms ticks, so 1 ms loses nothing), closeness
// measured by `clock`'s steady time. Thread-safe.
class MachineCpuTime {
 public:
  // Throws greentrain::error if <proc>/stat cannot be opened or read.
  explicit MachineCpuTime(const std::filesystem::path& proc = "/proc",
                          std::chrono::nanoseconds reuse_for = std::chrono::nanoseconds{0},
                          std::shared_ptr<Clock> clock = system_clock());
  MachineCpuTime(const MachineCpuTime&) = delete;
  MachineCpuTime& operator=(const MachineCpuTime&) = delete;
  ~MachineCpuTime();

  CpuTicks read(std::error_code& ec) noexcept;
  const std::filesystem::path& path() const noexcept;
  // The clock of the reuse window, shared with the sensors that read through this reader.
  const std::shared_ptr<Clock>& clock() const noexcept;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

struct CpuShare {
  double process = 0.0;  // process CPU time / machine busy CPU time, clamped to [0, 1]
  double machine = 0.0;  // machine busy / total CPU time: utilisation in [0, 1]
  std::optional<double> resident_gb;  // the process (tree)'s resident memory now, in GiB
};

class ProcessCpuShare {
 public:
  // This process (all its threads, and the children it has waited for), read through kept file
  // descriptors: a sample costs two pread() calls. Throws greentrain::error if /proc is unreadable.
  // Pass the MachineCpuTime of discover() to share its /proc/stat reads.
  static ProcessCpuShare self(const std::filesystem::path& proc = "/proc",
                              std::shared_ptr<MachineCpuTime> machine = nullptr);

  // `pid` and all its live descendants (found by their ppid in <proc>/*/stat), plus the children
  // they have waited for. Each sample scans <proc>, so it costs more than self(). A process that
  // leaves the tree (re-parented to init) takes its time with it; a root that is already reaped
  // counts nothing, so take the last sample before reaping it (waitid with WNOWAIT).
  static ProcessCpuShare tree(int pid, const std::filesystem::path& proc = "/proc",
                              std::shared_ptr<MachineCpuTime> machine = nullptr);

  ProcessCpuShare(ProcessCpuShare&&) noexcept;
  ProcessCpuShare& operator=(ProcessCpuShare&&) noexcept;
  ~ProcessCpuShare();

  // Shares since the previous sample (or since construction). On a read fault ec is set and the
  // shares are 0 for that interval.
  CpuShare sample(std::error_code& ec) noexcept;

 private:
  struct State;
  explicit ProcessCpuShare(std::unique_ptr<State> state);
  std::unique_ptr<State> state_;
};

struct MemoryUsage {
  double used_gb = 0.0;   // MemTotal - MemAvailable, in GiB (CodeCarbon's GB are GiB)
  double total_gb = 0.0;  // MemTotal, in GiB
};

// Machine memory use from <proc>/meminfo through a kept file descriptor.
class MemoryGauge {
 public:
  // Throws greentrain::error if meminfo cannot be opened.
  explicit MemoryGauge(const std::filesystem::path& proc = "/proc");
  MemoryGauge(MemoryGauge&&) noexcept;
  MemoryGauge& operator=(MemoryGauge&&) noexcept;
  ~MemoryGauge();

  MemoryUsage read(std::error_code& ec) const noexcept;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace greentrain::sensors
