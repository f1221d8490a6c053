#include "sensors/proc_stat.hpp"

#include <algorithm>
#include <array>
#include <charconv>

#include "sensors/kept_file.hpp"

namespace greentrain::sensors::detail {

std::optional<MachineTicks> parse_machine_ticks(std::string_view proc_stat) noexcept {
  if (!proc_stat.starts_with("cpu ")) return std::nullopt;
  proc_stat.remove_prefix(3);
  // user nice system idle iowait irq softirq steal; older kernels stop early, so missing is 0.
  std::array<std::uint64_t, 8> field{};
  for (std::size_t i = 0; i < field.size(); ++i) {
    auto value = next_u64(proc_stat);
    if (!value) {
      if (i < 4) return std::nullopt;
      break;
    }
    field[i] = *value;
  }
  MachineTicks ticks;
  ticks.busy = field[0] + field[1] + field[2] + field[5] + field[6];
  ticks.total = ticks.busy + field[3] + field[4] + field[7];
  return ticks;
}

namespace {

// The next space-separated field; some are signed (tpgid is -1 without a terminal).
std::optional<std::int64_t> next_field(std::string_view& text) noexcept {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  std::int64_t value = 0;
  auto [end, err] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (err != std::errc{}) return std::nullopt;
  text.remove_prefix(static_cast<std::size_t>(end - text.data()));
  return value;
}

std::uint64_t non_negative(std::int64_t value) noexcept {
  return value > 0 ? static_cast<std::uint64_t>(value) : 0;
}

}  // namespace

std::optional<ProcessTicks> parse_process_ticks(std::string_view pid_stat) noexcept {
  // The command name is in parentheses and may itself hold spaces and ')': fields follow the last ')'.
  auto close = pid_stat.rfind(')');
  if (close == std::string_view::npos || close + 2 >= pid_stat.size()) return std::nullopt;
  std::string_view rest = pid_stat.substr(close + 2);  // starts at field 3, the state letter
  auto state_end = rest.find(' ');
  if (state_end == std::string_view::npos) return std::nullopt;
  rest.remove_prefix(state_end);
  // Fields 4 (ppid) to 17 (cstime).
  std::array<std::int64_t, 14> field{};
  for (auto& value : field) {
    auto parsed = next_field(rest);
    if (!parsed) return std::nullopt;
    value = *parsed;
  }
  ProcessTicks ticks;
  ticks.ppid = static_cast<int>(field[0]);
  ticks.own = non_negative(field[10]) + non_negative(field[11]);
  ticks.reaped_children = non_negative(field[12]) + non_negative(field[13]);
  // Fields 18 (priority) to 24 (rss, in pages).
  std::optional<std::int64_t> value;
  for (int i = 18; i <= 24; ++i)
    if (!(value = next_field(rest))) return ticks;
  ticks.resident_pages = non_negative(*value);
  return ticks;
}

std::optional<MemoryKb> parse_meminfo(std::string_view meminfo) noexcept {
  auto field = [&](std::string_view key) -> std::optional<std::uint64_t> {
    auto at = meminfo.find(key);
    if (at == std::string_view::npos) return std::nullopt;
    std::string_view rest = meminfo.substr(at + key.size());
    return next_u64(rest);
  };
  auto total = field("MemTotal:");
  if (!total) return std::nullopt;
  MemoryKb kb;
  kb.total = *total;
  kb.available = field("MemAvailable:").value_or(0);
  return kb;
}

double tick_share(std::uint64_t part, std::uint64_t whole) noexcept {
  if (whole == 0) return 0.0;
  return std::clamp(static_cast<double>(part) / static_cast<double>(whole), 0.0, 1.0);
}

}  // namespace greentrain::sensors::detail
