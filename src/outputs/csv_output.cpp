#include <fcntl.h>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <stdio.h>  // renameat2
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <chrono>

#include "greentrain/error.hpp"
#include "greentrain/outputs/csv.hpp"
#include "core/secrets.hpp"
#include "core/text.hpp"

namespace greentrain {

namespace {

// Closes the descriptor whatever path the function takes.
struct FileDescriptor {
  int fd = -1;
  ~FileDescriptor() {
    if (fd >= 0) ::close(fd);
  }
};

std::string optional_number(const std::optional<double>& value) {
  return value ? fmt::format("{}", *value) : std::string();
}

// One write(2) of the whole text at the end (O_APPEND): readers and other writers see all of it or
// none. A short or failed write (a full disk, a file-size limit) is undone by cutting the file back
// to `size`, its length before, so no torn row stays behind.
void append_whole(int fd, off_t size, std::string_view text, std::error_code& ec) {
  ssize_t n = 0;
  do {
    n = ::write(fd, text.data(), text.size());
  } while (n < 0 && errno == EINTR);
  if (n == static_cast<ssize_t>(text.size())) return;
  // A short write to a regular file means the disk (or the size limit) is full: write(2) says
  // which only on a second call, which would make two writes of one row.
  ec = {n < 0 ? errno : ENOSPC, std::system_category()};
  while (::ftruncate(fd, size) != 0 && errno == EINTR) {
  }
}

std::string first_line(int fd) {
  std::string line;
  char buffer[4096];
  for (off_t at = 0;;) {
    ssize_t n = ::pread(fd, buffer, sizeof buffer, at);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    std::string_view chunk(buffer, static_cast<std::size_t>(n));
    auto end = chunk.find('\n');
    line.append(chunk.substr(0, end));
    if (end != std::string_view::npos || line.size() > 64 * 1024) break;
    at += n;
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

// "emissions.csv.20260115T101112.123456.bak"; "...123456-2.bak" and on if that name is taken,
// even by another process in the same microsecond: the rename never replaces a file.
std::filesystem::path keep_as_backup(const std::filesystem::path& path, std::error_code& ec) {
  auto now =
      std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  auto seconds = std::chrono::time_point_cast<std::chrono::seconds>(now);
  std::string stamp = fmt::format("{:%Y%m%dT%H%M%S}.{:06}",
                                  fmt::gmtime(std::chrono::system_clock::to_time_t(seconds)),
                                  (now - seconds).count());
  for (int counter = 1;; ++counter) {
    std::filesystem::path kept = path;
    kept +=
        counter == 1 ? fmt::format(".{}.bak", stamp) : fmt::format(".{}-{}.bak", stamp, counter);
    int moved = ::renameat2(AT_FDCWD, path.c_str(), AT_FDCWD, kept.c_str(), RENAME_NOREPLACE);
    if (moved != 0 && errno == EINVAL) {
      // A file system without RENAME_NOREPLACE: a hard link refuses an existing name too.
      moved = ::link(path.c_str(), kept.c_str());
      if (moved == 0) ::unlink(path.c_str());
    }
    if (moved == 0) return kept;
    if (errno != EEXIST) {
      ec = {errno, std::system_category()};
      return {};
    }
  }
}

}  // namespace

const std::vector<std::string_view>& CsvOutput::columns() {
  static const std::vector<std::string_view> names = {
      "timestamp", "project_name", "run_id", "experiment_id", "duration", "emissions",
      "emissions_rate", "cpu_power", "gpu_power", "ram_power", "cpu_energy", "gpu_energy",
      "ram_energy", "energy_consumed", "water_consumed", "country_name", "country_iso_code",
      "region", "cloud_provider", "cloud_region", "os", "python_version", "codecarbon_version",
      "cpu_count", "cpu_model", "gpu_count", "gpu_model", "longitude", "latitude", "ram_total_size",
      "tracking_mode", "cpu_utilization_percent", "gpu_utilization_percent",
      "ram_utilization_percent", "ram_used_gb", "on_cloud", "pue", "wue",
      // greentrain's own, after CodeCarbon's 38 columns: readers by name are not disturbed.
      "process_cpu_share"};
  return names;
}

std::string CsvOutput::header() { return fmt::format("{}", fmt::join(columns(), ",")); }

std::string CsvOutput::row(const RunResult& run, const Emissions& e) {
  const RunInfo& info = run.info;
  const ResolvedLocation& where = info.location;
  auto power = [](const ComponentFigures& c) { return c.present ? fmt::format("{}", c.mean_power.value) : "0"; };
  // As CodeCarbon writes them: each component with PUE, so that they sum to energy_consumed.
  auto energy = [&](const ComponentFigures& c) {
    return fmt::format("{}", c.energy.value * info.pue);
  };
  std::vector<std::string> fields = {
      detail::iso_timestamp(e.ended),
      info.project,
      info.run_id,
      info.experiment_id,
      fmt::format("{}", e.duration.count()),
      fmt::format("{}", e.emissions_kg()),
      fmt::format("{}", e.emissions_rate_kg_per_s()),
      power(e.cpu),
      power(e.gpu),
      power(e.ram),
      energy(e.cpu),
      energy(e.gpu),
      energy(e.ram),
      fmt::format("{}", e.energy.value),
      "",  // water_consumed: no water model, so no figure rather than a made-up zero
      where.country_name,
      where.country_iso3,
      where.zone,
      where.cloud_provider,
      where.cloud_region,
      info.os,
      "",  // python_version: not a Python program
      "greentrain-" + detail::version(),
      fmt::format("{}", info.cpu_count),
      info.cpu_model,
      fmt::format("{}", info.gpu_count),
      info.gpu_model,
      where.longitude ? fmt::format("{}", *where.longitude) : "",
      where.latitude ? fmt::format("{}", *where.latitude) : "",
      fmt::format("{}", info.ram_total_gb),
      info.mode == TrackingMode::machine ? "machine" : "process",
      optional_number(e.usage.cpu_utilization_percent),
      optional_number(e.usage.gpu_utilization_percent),
      optional_number(e.usage.ram_utilization_percent),
      optional_number(e.usage.ram_used_gb),
      where.cloud_provider.empty() ? "N" : "Y",
      fmt::format("{}", info.pue),
      "",  // wue: unknown
      optional_number(e.usage.process_cpu_share),
  };
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) line += ',';
    line += detail::csv_field(detail::redact(fields[i]));  // redacted before quotes could hide one
  }
  return line;
}

CsvOutput::CsvOutput(std::filesystem::path directory, std::string file_name,
                     std::string task_file_name)
    : directory_(std::move(directory)),
      path_(directory_ / file_name),
      task_path_(directory_ / task_file_name) {}

void CsvOutput::write_run(const RunResult& run, std::span<const Emissions> new_tasks,
                          std::error_code& ec) {
  std::filesystem::create_directories(directory_, ec);
  if (ec) return;
  announce(path_, append_csv_row(path_, header(), row(run, run.total) + "\n", ec));
  if (ec || new_tasks.empty()) return;
  std::string task_header = "task_name," + header();
  std::string lines;
  for (const auto& task : new_tasks)
    lines += detail::csv_field(detail::redact(task.task)) + "," + row(run, task) + "\n";
  announce(task_path_, append_csv_row(task_path_, task_header, lines, ec));
}

void CsvOutput::announce(const std::filesystem::path& file, const std::filesystem::path& kept) {
  if (kept.empty() || !on_backup_) return;
  on_backup_(
      fmt::format("{} had other columns (another tool's or an older version's); it is kept "
                  "as {} and a new file is started. Project budgets still count its runs",
                  file.string(), kept.filename().string()));
}

std::filesystem::path append_csv_row(const std::filesystem::path& path, std::string_view header,
                                     std::string_view lines, std::error_code& ec) {
  std::filesystem::path kept;
  for (;;) {
    FileDescriptor file{::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0644)};
    if (file.fd < 0) {
      ec = {errno, std::system_category()};
      return kept;
    }
    // Another process may append at the same moment: decide about the header under a lock.
    while (::flock(file.fd, LOCK_EX) != 0 && errno == EINTR) {
    }
    // A writer that held the lock may have moved the file to a backup while we waited: start over
    // on the file now at `path`, or our row would land in the backup.
    struct stat st {};
    struct stat at_path {};
    if (::fstat(file.fd, &st) != 0) {
      ec = {errno, std::system_category()};
      return kept;
    }
    if (::stat(path.c_str(), &at_path) != 0 || at_path.st_ino != st.st_ino ||
        at_path.st_dev != st.st_dev)
      continue;
    if (st.st_size > 0 && first_line(file.fd) != header) {
      kept = keep_as_backup(path, ec);
      if (ec) return {};
      continue;  // with the new, empty file
    }
    std::string text;
    if (st.st_size == 0) {
      text.append(header).append("\n");
    } else {
      // A file that another tool left without a final newline must not glue our row to its last.
      char last = '\n';
      if (::pread(file.fd, &last, 1, st.st_size - 1) == 1 && last != '\n') text.append("\n");
    }
    text.append(detail::redact(lines));  // rows of other writers too; ours were redacted per field
    append_whole(file.fd, st.st_size, text, ec);
    return kept;
  }
}

std::vector<std::filesystem::path> csv_backups(const std::filesystem::path& path) {
  // Ordered by (time stamp, counter): "...123456.bak" is the first of its microsecond, "-2" next.
  std::vector<std::pair<std::pair<std::string, long>, std::filesystem::path>> found;
  std::string prefix = path.filename().string() + ".";
  std::error_code ec;
  auto folder = path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
  for (const auto& entry : std::filesystem::directory_iterator(folder, ec)) {
    std::string name = entry.path().filename().string();
    if (name.size() <= prefix.size() + 4 || name.rfind(prefix, 0) != 0 || !name.ends_with(".bak"))
      continue;
    std::string stamp = name.substr(prefix.size(), name.size() - prefix.size() - 4);
    long counter = 1;
    if (auto dash = stamp.rfind('-'); dash != std::string::npos) {
      auto [end, err] =
          std::from_chars(stamp.data() + dash + 1, stamp.data() + stamp.size(), counter);
      if (err == std::errc{} && end == stamp.data() + stamp.size())
        stamp.resize(dash);
      else
        counter = 1;
    }
    found.push_back({{stamp, counter}, entry.path()});
  }
  std::sort(found.begin(), found.end());
  std::vector<std::filesystem::path> backups;
  for (auto& [key, file] : found) backups.push_back(std::move(file));
  return backups;
}

}  // namespace greentrain
