#include <fmt/format.h>

#include <mutex>

#include "greentrain/error.hpp"
#include "greentrain/sensors/cpu_time.hpp"
#include "sensors/kept_file.hpp"
#include "sensors/proc_stat.hpp"

namespace greentrain::sensors {

struct MachineCpuTime::State {
  std::filesystem::path path;
  std::chrono::nanoseconds reuse_for{};
  std::shared_ptr<Clock> clock;
  detail::KeptFile stat;
  std::mutex mutex;
  CpuTicks last;
  SteadyTime last_at{};

  std::optional<CpuTicks> read_now(std::error_code& ec) const noexcept {
    // The first line is all we need; the rest of /proc/stat can be tens of kilobytes.
    char buffer[256];
    auto head = stat.read_head(buffer, ec);
    if (ec) return std::nullopt;
    auto ticks = detail::parse_machine_ticks(head);
    if (!ticks) ec = make_error_code(errc::malformed_data);
    return ticks;
  }
};

MachineCpuTime::MachineCpuTime(const std::filesystem::path& proc, std::chrono::nanoseconds reuse_for,
                               std::shared_ptr<Clock> clock)
    : state_(std::make_unique<State>()) {
  state_->path = proc / "stat";
  state_->reuse_for = reuse_for;
  state_->clock = clock ? std::move(clock) : system_clock();
  std::error_code ec;
  state_->stat = detail::KeptFile::open(state_->path, ec);
  auto ticks = ec ? std::nullopt : state_->read_now(ec);
  if (!ticks)
    throw error(errc::sensor_unavailable,
                fmt::format("cannot read the machine's CPU time from {}: {}; mount /proc",
                            state_->path.string(), ec.message()));
  state_->last = *ticks;
  state_->last_at = state_->clock->steady_now();
}

MachineCpuTime::~MachineCpuTime() = default;

CpuTicks MachineCpuTime::read(std::error_code& ec) noexcept {
  ec.clear();
  auto now = state_->clock->steady_now();
  std::lock_guard lock(state_->mutex);
  if (now - state_->last_at < state_->reuse_for) return state_->last;
  if (auto ticks = state_->read_now(ec)) {
    state_->last = *ticks;
    state_->last_at = now;
  }
  return state_->last;
}

const std::filesystem::path& MachineCpuTime::path() const noexcept { return state_->path; }

const std::shared_ptr<Clock>& MachineCpuTime::clock() const noexcept { return state_->clock; }

}  // namespace greentrain::sensors
