#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include "greentrain/outputs/json.hpp"
#include "greentrain/sensors/sensor.hpp"
#include "outputs/text.hpp"

namespace greentrain {

namespace {

using detail::json_string;

std::string provenance_json(const Provenance& p) {
  return fmt::format(R"({{"basis":{},"source":{},"band_low":{},"band_high":{},"degraded":{}}})",
                     json_string(to_string(p.basis)), json_string(p.source), p.band_low,
                     p.band_high, p.degraded);
}

std::string component_json(const ComponentFigures& c) {
  if (!c.present) return "null";
  return fmt::format(R"({{"energy_kwh":{},"mean_power_w":{},"provenance":{}}})", c.energy.value,
                     c.mean_power.value, provenance_json(c.provenance));
}

std::string emissions_json(const Emissions& e) {
  return fmt::format(
      R"({{"task":{},"started":{},"ended":{},"duration_s":{},"emissions_kg":{},)"
      R"("emissions_rate_kg_per_s":{},"energy_kwh":{},"mean_intensity_g_per_kwh":{},)"
      R"("intensity_provenance":{},"degraded":{},"cpu":{},"gpu":{},"ram":{}}})",
      json_string(e.task), json_string(detail::iso_timestamp(e.started)),
      json_string(detail::iso_timestamp(e.ended)), e.duration.count(), e.emissions_kg(),
      e.emissions_rate_kg_per_s(), e.energy.value, e.mean_intensity.value,
      provenance_json(e.intensity_provenance), e.degraded, component_json(e.cpu),
      component_json(e.gpu), component_json(e.ram));
}

std::string optional_json(const std::optional<double>& v) {
  return v ? fmt::format("{}", *v) : "null";
}

std::string attribution_json(const std::optional<ProcessAttribution>& a) {
  if (!a) return "null";
  return fmt::format(R"({{"pid":{},"mean_cpu_share":{},"cpu_energy_kwh":{},"emissions_kg":{}}})",
                     a->pid, a->mean_cpu_share, a->cpu_energy.value, to_kg(a->emissions));
}

}  // namespace

JsonOutput::JsonOutput(std::filesystem::path directory, std::string file_name)
    : directory_(std::move(directory)), file_name_(std::move(file_name)) {}

std::string JsonOutput::to_json(const RunResult& run) {
  const RunInfo& info = run.info;
  const ResolvedLocation& where = info.location;
  std::string tasks;
  for (const auto& t : run.tasks) {
    if (!tasks.empty()) tasks += ',';
    tasks += emissions_json(t);
  }
  return fmt::format(
      R"({{"greentrain_version":{},"project":{},"run_id":{},"experiment_id":{},)"
      R"("tracking_mode":{},"pue":{},"location":{{"zone":{},"zone_name":{},"country_iso3":{},)"
      R"("country_name":{},"cloud_provider":{},"cloud_region":{},"latitude":{},"longitude":{}}},)"
      R"("machine":{{"os":{},"cpu_model":{},"cpu_count":{},"gpu_model":{},"gpu_count":{},)"
      R"("ram_total_gb":{}}},"usage":{{"cpu_utilization_percent":{},"gpu_utilization_percent":{},)"
      R"("ram_utilization_percent":{},"ram_used_gb":{}}},"total":{},"tasks":[{}],)"
      R"("attribution":{},"samples":[{}]}})"
      "\n",
      json_string(detail::version()), json_string(info.project), json_string(info.run_id),
      json_string(info.experiment_id),
      json_string(info.mode == TrackingMode::machine ? "machine" : "process"), info.pue,
      json_string(where.zone), json_string(where.zone_name), json_string(where.country_iso3),
      json_string(where.country_name), json_string(where.cloud_provider),
      json_string(where.cloud_region), optional_json(where.latitude),
      optional_json(where.longitude), json_string(info.os), json_string(info.cpu_model),
      info.cpu_count, json_string(info.gpu_model), info.gpu_count, info.ram_total_gb,
      optional_json(run.usage.cpu_utilization_percent),
      optional_json(run.usage.gpu_utilization_percent),
      optional_json(run.usage.ram_utilization_percent), optional_json(run.usage.ram_used_gb),
      emissions_json(run.total), tasks, attribution_json(run.attribution),
      detail::samples_json(run.samples));
}

void JsonOutput::write_run(const RunResult& run, std::span<const Emissions>,
                           std::error_code& ec) {
  std::filesystem::create_directories(directory_, ec);
  if (ec) return;
  auto name = file_name_.empty() ? "greentrain-" + run.info.run_id + ".json" : file_name_;
  write_file_atomically(directory_ / name, to_json(run), ec);
}

namespace detail {

std::string samples_json(const std::vector<Sample>& samples) {
  std::string text;
  for (const auto& s : samples)
    text += fmt::format(
        R"({}{{"time":{},"duration_s":{},"cpu_w":{},"gpu_w":{},"ram_w":{},)"
        R"("intensity_g_per_kwh":{},"cumulative_kg":{}}})",
        text.empty() ? "" : ",", json_string(detail::iso_timestamp(s.time)), s.duration.count(),
        s.cpu.value, s.gpu.value, s.ram.value, s.intensity.value, to_kg(s.cumulative));
  return text;
}

}  // namespace detail

void write_file_atomically(const std::filesystem::path& path, std::string_view text,
                           std::error_code& ec) {
  auto temporary = path;
  temporary += fmt::format(".tmp{}", ::getpid());
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    ec = {errno, std::system_category()};
    return;
  }
  bool ok = true;
  while (ok && !text.empty()) {
    ssize_t n = ::write(fd, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    ok = n >= 0;
    if (ok) text.remove_prefix(static_cast<std::size_t>(n));
  }
  ok = ok && ::fsync(fd) == 0;
  int saved = errno;
  ::close(fd);
  if (!ok) {
    ec = {saved, std::system_category()};
    std::filesystem::remove(temporary);
    return;
  }
  std::filesystem::rename(temporary, path, ec);
}

}  // namespace greentrain
