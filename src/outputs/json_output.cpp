#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "core/json_figures.hpp"
#include "greentrain/outputs/json.hpp"
#include "greentrain/sensors/sensor.hpp"
#include "core/text.hpp"

namespace greentrain {

namespace {

using Json = nlohmann::ordered_json;
using detail::json_figure;

Json figure(double value) { return json_figure<Json>(value); }
Json figure(const std::optional<double>& value) { return json_figure<Json>(value); }

Json provenance_json(const Provenance& p) {
  return {{"basis", to_string(p.basis)},
          {"source", p.source},
          {"band_low", figure(p.band_low)},
          {"band_high", figure(p.band_high)},
          {"band_coverage", figure(p.band_coverage)},
          {"degraded", p.degraded}};
}

Json component_json(const ComponentFigures& c) {
  if (!c.present) return nullptr;
  return {{"it_energy_kwh", figure(c.energy.value)},
          {"mean_power_w", figure(c.mean_power.value)},
          {"provenance", provenance_json(c.provenance)}};
}

Json usage_json(const Usage& u) {
  return {{"cpu_utilization_percent", figure(u.cpu_utilization_percent)},
          {"gpu_utilization_percent", figure(u.gpu_utilization_percent)},
          {"ram_utilization_percent", figure(u.ram_utilization_percent)},
          {"ram_used_gb", figure(u.ram_used_gb)},
          {"process_cpu_share", figure(u.process_cpu_share)}};
}

// energy_kwh is the facility's (IT energy x PUE), as CodeCarbon's energy_consumed; the
// components give their IT energy.
Json emissions_json(const Emissions& e, double pue) {
  return {{"task", e.task},
          {"started", detail::iso_timestamp(e.started)},
          {"ended", detail::iso_timestamp(e.ended)},
          {"duration_s", figure(e.duration.count())},
          {"emissions_kg", figure(e.emissions_kg())},
          {"emissions_rate_kg_per_s", figure(e.emissions_rate_kg_per_s())},
          {"energy_kwh", figure(e.energy.value)},
          {"it_energy_kwh", figure(e.cpu.energy.value + e.gpu.energy.value + e.ram.energy.value)},
          {"pue", figure(pue)},
          {"mean_intensity_g_per_kwh", figure(e.mean_intensity.value)},
          {"intensity_provenance", provenance_json(e.intensity_provenance)},
          {"degraded", e.degraded},
          {"cpu", component_json(e.cpu)},
          {"gpu", component_json(e.gpu)},
          {"ram", component_json(e.ram)},
          {"usage", usage_json(e.usage)}};
}

Json attribution_json(const std::optional<ProcessAttribution>& a) {
  if (!a) return nullptr;
  return {{"pid", a->pid},
          {"mean_cpu_share", figure(a->mean_cpu_share)},
          {"cpu_energy_kwh", figure(a->cpu_energy.value)},
          {"emissions_kg", figure(to_kg(a->emissions))}};
}

Json samples_array(const std::vector<Sample>& samples) {
  Json array = Json::array();
  for (const auto& s : samples)
    array.push_back({{"time", detail::iso_timestamp(s.time)},
                     {"duration_s", figure(s.duration.count())},
                     {"cpu_w", figure(s.cpu.value)},
                     {"gpu_w", figure(s.gpu.value)},
                     {"ram_w", figure(s.ram.value)},
                     {"intensity_g_per_kwh", figure(s.intensity.value)},
                     {"cumulative_kg", figure(to_kg(s.cumulative))}});
  return array;
}

}  // namespace

JsonOutput::JsonOutput(std::filesystem::path directory, std::string file_name)
    : directory_(std::move(directory)), file_name_(std::move(file_name)) {}

std::string JsonOutput::to_json(const RunResult& run) {
  const RunInfo& info = run.info;
  const ResolvedLocation& where = info.location;
  Json tasks = Json::array();
  for (const auto& t : run.tasks) tasks.push_back(emissions_json(t, info.pue));
  Json document = {{"greentrain_version", detail::version()},
                   {"project", info.project},
                   {"run_id", info.run_id},
                   {"experiment_id", info.experiment_id},
                   {"tracking_mode", info.mode == TrackingMode::machine ? "machine" : "process"},
                   {"pue", figure(info.pue)},
                   {"location",
                    {{"zone", where.zone},
                     {"zone_name", where.zone_name},
                     {"country_iso3", where.country_iso3},
                     {"country_name", where.country_name},
                     {"cloud_provider", where.cloud_provider},
                     {"cloud_region", where.cloud_region},
                     {"latitude", figure(where.latitude)},
                     {"longitude", figure(where.longitude)}}},
                   {"machine",
                    {{"os", info.os},
                     {"cpu_model", info.cpu_model},
                     {"cpu_count", info.cpu_count},
                     {"gpu_model", info.gpu_model},
                     {"gpu_count", info.gpu_count},
                     {"ram_total_gb", figure(info.ram_total_gb)}}},
                   {"usage", usage_json(run.total.usage)},
                   {"total", emissions_json(run.total, info.pue)},
                   {"tasks", std::move(tasks)},
                   {"attribution", attribution_json(run.attribution)},
                   {"samples", samples_array(run.samples)}};
  return detail::json_text(document) + "\n";
}

void JsonOutput::write_run(const RunResult& run, std::span<const Emissions>,
                           std::error_code& ec) {
  std::filesystem::create_directories(directory_, ec);
  if (ec) return;
  auto name = file_name_.empty() ? "greentrain-" + run.info.run_id + ".json" : file_name_;
  write_file_atomically(directory_ / name, to_json(run), ec);
}

namespace detail {

std::string samples_document(const std::vector<Sample>& samples) {
  return json_text(Json{{"samples", samples_array(samples)}}) + "\n";
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
