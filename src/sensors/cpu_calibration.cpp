#include "sensors/cpu_calibration.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <map>

#include "core/bounded_file.hpp"
#include "core/csv_reader.hpp"
#include "greentrain/error.hpp"

namespace greentrain::sensors::calibration {

namespace {

constexpr double joules_per_kwh = 3.6e6;

double modelled(const CpuCurve& curve, const LoadStep& step) {
  return step.tdp_w * curve.fraction(step.load);
}

double log_loss(const CpuCurve& curve, std::span<const LoadStep> steps) {
  double sum = 0;
  for (const auto& s : steps) {
    double r = std::log(s.watts / modelled(curve, s));
    sum += r * r;
  }
  return sum;
}

double relative_error(double predicted, double measured) {
  return std::abs(predicted - measured) / measured;
}

// [low, high] leaving out the 10 % lowest and the 10 % highest ratios (rounded down), and the
// share of all ratios inside it.
Band trimmed(std::vector<double> ratios) {
  Band band;
  if (ratios.empty()) return band;
  std::sort(ratios.begin(), ratios.end());
  std::size_t dropped = ratios.size() / 10;
  band.low = ratios[dropped];
  band.high = ratios[ratios.size() - 1 - dropped];
  auto inside = std::count_if(ratios.begin(), ratios.end(),
                              [&](double r) { return band.low <= r && r <= band.high; });
  band.coverage = static_cast<double>(inside) / static_cast<double>(ratios.size());
  return band;
}

}  // namespace

std::vector<LoadStep> read_load_profile(const std::filesystem::path& csv) {
  auto rows = detail::parse_csv(
      detail::read_regular_file(csv, 1 << 20, "a CPU load profile (CodeCarbon's format)"));
  if (rows.size() < 2)
    throw error(errc::malformed_data, fmt::format("{} holds no load step", csv.string()));
  std::map<std::string, std::size_t, std::less<>> column;
  for (std::size_t i = 0; i < rows[0].fields.size(); ++i) column[rows[0].fields[i]] = i;
  for (auto name : {"cpu_name", "cpu_load", "cores_used", "rapl_energy", "duration"})
    if (!column.contains(name))
      throw error(
          errc::malformed_data,
          fmt::format("{} has no '{}' column: not a CodeCarbon load profile", csv.string(), name));
  std::vector<LoadStep> steps;
  for (auto row = rows.begin() + 1; row != rows.end(); ++row) {
    auto field = [&](const char* name) -> const std::string& {
      std::size_t i = column.at(name);
      if (i >= row->fields.size())
        throw error(errc::malformed_data,
                    fmt::format("{} line {}: the row is cut short", csv.string(), row->line));
      return row->fields[i];
    };
    auto number = [&](const char* name) {
      auto value = detail::parse_number(field(name));
      if (!value || !std::isfinite(*value) || *value < 0)
        throw error(errc::malformed_data, fmt::format("{} line {}: {} '{}' is not a number",
                                                      csv.string(), row->line, name, field(name)));
      return *value;
    };
    LoadStep step{
        .cpu = field("cpu_name"), .tdp_w = 0, .load = number("cpu_load") / 100.0, .watts = 0};
    double duration = number("duration");
    if (duration <= 0)
      throw error(errc::malformed_data,
                  fmt::format("{} line {}: a step without duration", csv.string(), row->line));
    step.watts = number("rapl_energy") * joules_per_kwh / duration;
    auto tdp = match_cpu(embedded_tdp_table(), step.cpu);
    if (!tdp)
      throw error(errc::invalid_argument,
                  fmt::format("{} line {}: CPU '{}' is not in the TDP table", csv.string(),
                              row->line, step.cpu));
    step.tdp_w = tdp->tdp_w;
    step.threads = static_cast<int>(number("cores_used"));
    if (step.watts > 0) steps.push_back(std::move(step));
  }
  int threads = 0;
  for (const auto& s : steps) threads = std::max(threads, s.threads);
  for (auto& s : steps) s.threads = threads;
  return steps;
}

std::vector<LoadStep> read_load_profiles(const std::filesystem::path& folder) {
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(folder))
    if (entry.path().extension() == ".csv") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  std::vector<LoadStep> steps;
  for (const auto& file : files) {
    auto more = read_load_profile(file);
    steps.insert(steps.end(), more.begin(), more.end());
  }
  return steps;
}

CpuCurve fit_curve(std::span<const LoadStep> steps) {
  CpuCurve best{};
  double best_loss = log_loss(best, steps);
  for (int idle = 5; idle <= 40; ++idle)
    for (int full = idle + 1; full <= 120; ++full)
      for (int saturation = 20; saturation <= 100; saturation += 5) {
        CpuCurve c{idle / 100.0, full / 100.0, saturation / 100.0};
        double loss = log_loss(c, steps);
        if (loss < best_loss) {
          best_loss = loss;
          best = c;
        }
      }
  return best;
}

Band default_tdp_band(std::span<const LoadStep> steps) {
  std::vector<double> ratios;
  for (const auto& s : steps) {
    CpuTdp tdp{.cpu_model = s.cpu, .tdp_w = default_watts_per_thread * s.threads};
    ratios.push_back(s.watts / modelled_cpu_watts(tdp, s.load));
  }
  return trimmed(std::move(ratios));
}

Validation leave_one_cpu_out(std::span<const LoadStep> steps) {
  std::vector<std::string> names;
  for (const auto& s : steps)
    if (std::find(names.begin(), names.end(), s.cpu) == names.end()) names.push_back(s.cpu);
  Validation v;
  std::vector<double> ratios;
  std::vector<std::vector<double>> ratios_of(names.size());
  for (std::size_t c = 0; c < names.size(); ++c) {
    std::vector<LoadStep> others, held_out;
    for (const auto& s : steps) (s.cpu == names[c] ? held_out : others).push_back(s);
    CpuCurve curve = fit_curve(others);
    CpuResult r{.cpu = names[c], .steps = held_out.size()};
    for (const auto& s : held_out) {
      double predicted = modelled(curve, s);
      r.mape += relative_error(predicted, s.watts);
      r.mape_codecarbon += relative_error(s.tdp_w * codecarbon_power_fraction(s.load), s.watts);
      ratios_of[c].push_back(s.watts / predicted);
    }
    v.mape += r.mape;
    v.mape_codecarbon += r.mape_codecarbon;
    r.mape /= static_cast<double>(held_out.size());
    r.mape_codecarbon /= static_cast<double>(held_out.size());
    ratios.insert(ratios.end(), ratios_of[c].begin(), ratios_of[c].end());
    v.cpus.push_back(r);
  }
  if (ratios.empty()) return v;
  v.mape /= static_cast<double>(ratios.size());
  v.mape_codecarbon /= static_cast<double>(ratios.size());
  v.band = trimmed(std::move(ratios));
  for (std::size_t c = 0; c < names.size(); ++c)
    for (double r : ratios_of[c])
      if (v.band.low <= r && r <= v.band.high) ++v.cpus[c].inside_band;
  return v;
}

}  // namespace greentrain::sensors::calibration
