#include "greentrain/sensors/cpu_time.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <unordered_map>
#include <vector>

#include "greentrain/error.hpp"
#include "sensors/kept_file.hpp"
#include "sensors/proc_stat.hpp"

namespace greentrain::sensors {
namespace fs = std::filesystem;

namespace {

detail::KeptFile open_or_throw(const fs::path& path) {
  std::error_code ec;
  auto file = detail::KeptFile::open(path, ec);
  if (ec)
    throw error(errc::sensor_unavailable,
                fmt::format("cannot open {}: {}; CPU attribution needs a mounted /proc", path.string(),
                            ec.message()));
  return file;
}

std::uint64_t grown(std::uint64_t now, std::uint64_t before) noexcept {
  return now > before ? now - before : 0;
}

std::optional<int> pid_of(const fs::path& entry) {
  std::string name = entry.filename().string();
  int pid = 0;
  auto [end, err] = std::from_chars(name.data(), name.data() + name.size(), pid);
  if (err != std::errc{} || end != name.data() + name.size()) return std::nullopt;
  return pid;
}

// A process's (or tree's) CPU ticks, with the children it has reaped, and its resident pages.
struct ProcessUse {
  std::uint64_t ticks = 0;
  std::optional<std::uint64_t> resident_pages;

  void add(const detail::ProcessTicks& p) {
    ticks += p.own + p.reaped_children;
    if (p.resident_pages) resident_pages = resident_pages.value_or(0) + *p.resident_pages;
  }
};

// pid and its live descendants.
std::optional<ProcessUse> tree_use(const fs::path& proc, int root) {
  std::unordered_map<int, detail::ProcessTicks> processes;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(proc, ec)) {
    auto pid = pid_of(entry.path());
    if (!pid) continue;
    std::error_code read_ec;
    auto text = detail::read_text(entry.path() / "stat", read_ec);
    if (read_ec) continue;  // it exited while we looked
    if (auto ticks = detail::parse_process_ticks(text)) processes.emplace(*pid, *ticks);
  }
  if (ec || !processes.contains(root)) return std::nullopt;
  std::unordered_multimap<int, int> children;
  for (const auto& [pid, ticks] : processes) children.emplace(ticks.ppid, pid);
  ProcessUse total;
  std::vector<int> pending{root};
  while (!pending.empty()) {
    int pid = pending.back();
    pending.pop_back();
    total.add(processes.at(pid));
    auto [first, last] = children.equal_range(pid);
    for (auto it = first; it != last; ++it)
      if (it->second != pid) pending.push_back(it->second);
  }
  return total;
}

double page_gib(std::uint64_t pages) {
  static const long page_bytes = ::sysconf(_SC_PAGESIZE);
  return static_cast<double>(pages) * static_cast<double>(page_bytes > 0 ? page_bytes : 4096) /
         (1024.0 * 1024.0 * 1024.0);
}

}  // namespace

struct ProcessCpuShare::State {
  std::shared_ptr<MachineCpuTime> machine_time;
  detail::KeptFile self_stat;  // open in self() mode only
  fs::path proc;
  int tree_root = 0;
  CpuTicks machine_before;
  std::uint64_t process_before = 0;

  std::optional<CpuTicks> machine(std::error_code& ec) const noexcept {
    auto ticks = machine_time->read(ec);
    if (ec) return std::nullopt;
    return ticks;
  }

  std::optional<ProcessUse> process(std::error_code& ec) const noexcept {
    if (tree_root == 0) {
      char buffer[1024];
      auto text = self_stat.read_head(buffer, ec);
      if (ec) return std::nullopt;
      auto ticks = detail::parse_process_ticks(text);
      if (!ticks) return std::nullopt;
      ProcessUse use;
      use.add(*ticks);
      return use;
    }
    try {
      return tree_use(proc, tree_root);
    } catch (...) {  // allocation failure while scanning
      return std::nullopt;
    }
  }
};

ProcessCpuShare::ProcessCpuShare(std::unique_ptr<State> state) : state_(std::move(state)) {
  std::error_code ec;
  auto machine = state_->machine(ec);
  auto process = state_->process(ec);
  if (!machine || !process)
    throw error(errc::sensor_unavailable,
                fmt::format("cannot read CPU times under {}: {}", state_->proc.string(),
                            ec ? ec.message() : "unexpected format or no such process"));
  state_->machine_before = *machine;
  state_->process_before = process->ticks;
}

ProcessCpuShare ProcessCpuShare::self(const fs::path& proc, std::shared_ptr<MachineCpuTime> machine) {
  auto state = std::make_unique<State>();
  state->machine_time = machine ? std::move(machine) : std::make_shared<MachineCpuTime>(proc);
  state->self_stat = open_or_throw(proc / "self" / "stat");
  state->proc = proc;
  return ProcessCpuShare(std::move(state));
}

ProcessCpuShare ProcessCpuShare::tree(int pid, const fs::path& proc,
                                      std::shared_ptr<MachineCpuTime> machine) {
  if (pid <= 0) throw error(errc::invalid_argument, fmt::format("no process tree for pid {}", pid));
  auto state = std::make_unique<State>();
  state->machine_time = machine ? std::move(machine) : std::make_shared<MachineCpuTime>(proc);
  state->proc = proc;
  state->tree_root = pid;
  return ProcessCpuShare(std::move(state));
}

ProcessCpuShare::ProcessCpuShare(ProcessCpuShare&&) noexcept = default;
ProcessCpuShare& ProcessCpuShare::operator=(ProcessCpuShare&&) noexcept = default;
ProcessCpuShare::~ProcessCpuShare() = default;

CpuShare ProcessCpuShare::sample(std::error_code& ec) noexcept {
  ec.clear();
  auto machine = state_->machine(ec);
  auto process = state_->process(ec);
  if (!machine || !process) {
    if (!ec) ec = make_error_code(errc::sensor_unavailable);
    return {};
  }
  std::uint64_t busy = grown(machine->busy, state_->machine_before.busy);
  std::uint64_t total = grown(machine->total, state_->machine_before.total);
  std::uint64_t used = grown(process->ticks, state_->process_before);
  state_->machine_before = *machine;
  state_->process_before = process->ticks;
  CpuShare share{detail::tick_share(used, busy), detail::tick_share(busy, total), std::nullopt};
  if (process->resident_pages) share.resident_gb = page_gib(*process->resident_pages);
  return share;
}

struct MemoryGauge::State {
  detail::KeptFile meminfo;
};

MemoryGauge::MemoryGauge(const fs::path& proc)
    : state_(std::make_unique<State>(State{open_or_throw(proc / "meminfo")})) {}
MemoryGauge::MemoryGauge(MemoryGauge&&) noexcept = default;
MemoryGauge& MemoryGauge::operator=(MemoryGauge&&) noexcept = default;
MemoryGauge::~MemoryGauge() = default;

MemoryUsage MemoryGauge::read(std::error_code& ec) const noexcept {
  ec.clear();
  char buffer[512];  // MemTotal, MemFree and MemAvailable are the first three lines
  auto text = state_->meminfo.read_head(buffer, ec);
  if (ec) return {};
  auto kb = detail::parse_meminfo(text);
  if (!kb) {
    ec = make_error_code(errc::malformed_data);
    return {};
  }
  constexpr double kb_per_gib = 1024.0 * 1024.0;
  return {static_cast<double>(kb->total - std::min(kb->total, kb->available)) / kb_per_gib,
          static_cast<double>(kb->total) / kb_per_gib};
}

}  // namespace greentrain::sensors
