#include <fcntl.h>
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "greentrain/error.hpp"
#include "greentrain/outputs/csv.hpp"
#include "outputs/text.hpp"

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

bool write_all(int fd, std::string_view text) {
  while (!text.empty()) {
    ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    text.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

std::string first_line(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace

const std::vector<std::string_view>& CsvOutput::columns() {
  static const std::vector<std::string_view> names = {
      "timestamp", "project_name", "run_id", "experiment_id", "duration", "emissions",
      "emissions_rate", "cpu_power", "gpu_power", "ram_power", "cpu_energy", "gpu_energy",
      "ram_energy", "energy_consumed", "water_consumed", "country_name", "country_iso_code",
      "region", "cloud_provider", "cloud_region", "os", "python_version", "codecarbon_version",
      "cpu_count", "cpu_model", "gpu_count", "gpu_model", "longitude", "latitude",
      "ram_total_size", "tracking_mode", "cpu_utilization_percent", "gpu_utilization_percent",
      "ram_utilization_percent", "ram_used_gb", "on_cloud", "pue", "wue"};
  return names;
}

std::string CsvOutput::header() { return fmt::format("{}", fmt::join(columns(), ",")); }

std::string CsvOutput::row(const RunResult& run, const Emissions& e) {
  const RunInfo& info = run.info;
  const ResolvedLocation& where = info.location;
  auto power = [](const ComponentFigures& c) { return c.present ? fmt::format("{}", c.mean_power.value) : "0"; };
  auto energy = [](const ComponentFigures& c) { return fmt::format("{}", c.energy.value); };
  std::vector<std::string> fields = {
      detail::iso_timestamp(e.ended),
      info.project,
      info.run_id,
      info.experiment_id,
      fmt::format("{}", e.duration.count()),
      fmt::format("{}", e.emissions_kg()),
      fmt::format("{}", e.emissions_rate_kg_per_s()),
      power(e.cpu), power(e.gpu), power(e.ram),
      energy(e.cpu), energy(e.gpu), energy(e.ram),
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
      optional_number(run.usage.cpu_utilization_percent),
      optional_number(run.usage.gpu_utilization_percent),
      optional_number(run.usage.ram_utilization_percent),
      optional_number(run.usage.ram_used_gb),
      where.cloud_provider.empty() ? "N" : "Y",
      fmt::format("{}", info.pue),
      "",  // wue: unknown
  };
  std::string line;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i) line += ',';
    line += detail::csv_field(fields[i]);
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
  append_csv_row(path_, header(), row(run, run.total) + "\n", ec);
  if (ec || new_tasks.empty()) return;
  std::string task_header = "task_name," + header();
  std::string lines;
  for (const auto& task : new_tasks)
    lines += detail::csv_field(task.task) + "," + row(run, task) + "\n";
  append_csv_row(task_path_, task_header, lines, ec);
}

std::filesystem::path append_csv_row(const std::filesystem::path& path, std::string_view header,
                                     std::string_view line, std::error_code& ec) {
  std::filesystem::path kept;
  FileDescriptor file{::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0644)};
  if (file.fd < 0) {
    ec = {errno, std::system_category()};
    return kept;
  }
  // Another process may append at the same moment: decide about the header under a lock.
  while (::flock(file.fd, LOCK_EX) != 0 && errno == EINTR) {
  }
  struct stat st {};
  if (::fstat(file.fd, &st) != 0) {
    ec = {errno, std::system_category()};
    return kept;
  }
  std::string text;
  if (st.st_size > 0 && first_line(path) != header) {
    kept = path;
    kept += fmt::format(".{:%Y%m%dT%H%M%S}.bak", fmt::gmtime(std::time(nullptr)));
    std::filesystem::rename(path, kept, ec);
    if (ec) return {};
    FileDescriptor fresh{::open(path.c_str(), O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC, 0644)};
    if (fresh.fd < 0) {
      ec = {errno, std::system_category()};
      return kept;
    }
    std::swap(file.fd, fresh.fd);
    st.st_size = 0;
  }
  if (st.st_size == 0) {
    text.append(header).append("\n");
  } else {
    // A file that another tool left without a final newline must not glue our row to its last.
    char last = '\n';
    if (::pread(file.fd, &last, 1, st.st_size - 1) == 1 && last != '\n') text.append("\n");
  }
  text.append(line);
  if (!write_all(file.fd, text)) ec = {errno, std::system_category()};
  return kept;
}

}  // namespace greentrain
