#include <fmt/format.h>
#include <simdjson.h>

#include <cmath>
#include <map>

#include "core/bounded_file.hpp"
#include "core/csv_reader.hpp"
#include "greentrain/error.hpp"
#include "greentrain/intensity/time_text.hpp"
#include "greentrain/report.hpp"

namespace greentrain {

namespace {

namespace fs = std::filesystem;

// One CSV row by column name, with where it came from for the errors.
class CsvRecord {
 public:
  CsvRecord(const std::map<std::string, std::size_t, std::less<>>& columns,
            const detail::CsvRow& row, const fs::path& file)
      : columns_(columns), row_(row), file_(file) {}

  std::string text(std::string_view name) const {
    auto it = columns_.find(name);
    return it != columns_.end() && it->second < row_.fields.size() ? row_.fields[it->second] : "";
  }
  // An empty or absent field is 0 (CodeCarbon leaves some empty); anything else must be a number.
  double number(std::string_view name) const {
    std::string field = text(name);
    if (field.empty()) return 0.0;
    return parsed(name, field);
  }
  // A whole number of things (CPUs, GPUs) from 0 to `max`; empty or absent is 0.
  int count(std::string_view name, int max) const {
    double value = number(name);
    if (!(value >= 0 && value <= max && value == std::floor(value)))
      refuse(name, fmt::format("is not a count from 0 to {}", max));
    return static_cast<int>(value);
  }
  // The field's value is refused: the file, line, column, value and why.
  [[noreturn]] void refuse(std::string_view name, std::string_view why) const {
    throw error(errc::malformed_data,
                fmt::format("{} line {}: {} '{}' {}; repair or remove that line", file_.string(),
                            row_.line, name, text(name), why));
  }
  // A figure the report shows as the run's: its absence is an error, never a zero.
  double figure(std::string_view name) const {
    std::string field = text(name);
    if (field.empty())
      throw error(errc::malformed_data,
                  fmt::format("{} line {}: no '{}' figure; the row cannot be reported",
                              file_.string(), row_.line, name));
    return parsed(name, field);
  }

 private:
  double parsed(std::string_view name, const std::string& field) const {
    auto value = detail::parse_number(field);
    if (!value) refuse(name, "is not a number");
    return *value;
  }

  const std::map<std::string, std::size_t, std::less<>>& columns_;
  const detail::CsvRow& row_;
  const fs::path& file_;
};

struct CsvTable {
  fs::path file;
  std::map<std::string, std::size_t, std::less<>> columns;
  std::vector<detail::CsvRow> rows;  // without the header

  CsvRecord record(const detail::CsvRow& row) const { return {columns, row, file}; }
};

// Every row must have the header's fields: a row cut short (a full disk, a crash of another
// writer) is refused with its line rather than read as zeros.
CsvTable read_csv(const fs::path& path) {
  auto rows = detail::parse_csv(detail::read_regular_file(path, detail::max_emissions_csv_bytes,
                                                          "an emissions.csv a tracker wrote"));
  if (rows.empty())
    throw error(errc::malformed_data, fmt::format("{} is empty; it holds no run", path.string()));
  CsvTable table{.file = path};
  for (std::size_t i = 0; i < rows[0].fields.size(); ++i) table.columns[rows[0].fields[i]] = i;
  detail::require_whole_rows(rows, path.string());
  table.rows.assign(rows.begin() + 1, rows.end());
  return table;
}

constexpr double max_run_seconds = 100 * 365.25 * 86400;

// The codecarbon_version column names the writer: "greentrain-0.5.0", else CodeCarbon's version.
std::string writer_of(const CsvRecord& r) {
  std::string version = r.text("codecarbon_version");
  if (version.starts_with("greentrain-")) return "greentrain " + version.substr(11);
  return version.empty() ? "an unnamed tool" : "CodeCarbon " + version;
}

// What a figure read from the CSV files says of itself: greentrain's own rows keep no provenance
// there (the run's JSON has it); another tool's figure is that tool's, never greentrain's.
Provenance read_provenance(const std::string& writer) {
  if (writer.starts_with("greentrain "))
    return {.basis = Basis::default_table,
            .source = "read from emissions.csv, which does not record it"};
  return {.basis = Basis::reported,
          .source = fmt::format("{}'s figure, read from its emissions.csv", writer)};
}

ComponentFigures component(const CsvRecord& r, std::string_view name, double pue,
                           const Provenance& provenance) {
  double energy = r.number(fmt::format("{}_energy", name));
  double power = r.number(fmt::format("{}_power", name));
  return {.energy = KilowattHours{energy / pue},
          .mean_power = Watts{power},
          .provenance = provenance,
          .present = energy > 0 || power > 0};
}

// CodeCarbon (and greentrain since it writes CodeCarbon's semantics) applies PUE to each
// component, so that they sum to energy_consumed; older greentrain rows hold IT energy, which sums
// to energy_consumed / PUE. The sum tells them apart, and components are kept as IT energy.
double pue_in_components(const CsvRecord& r, double pue) {
  double sum = r.number("cpu_energy") + r.number("gpu_energy") + r.number("ram_energy");
  double consumed = r.number("energy_consumed");
  return std::abs(sum - consumed) <= std::abs(sum - consumed / pue) ? pue : 1.0;
}

Emissions emissions_of(const CsvRecord& r, std::string task, double pue) {
  Provenance provenance = read_provenance(writer_of(r));
  double component_pue = pue_in_components(r, pue);
  Emissions e;
  e.task = std::move(task);
  e.duration = Seconds(r.figure("duration"));
  // Beyond a century the start would not fit the nanosecond clock; no run lasts that long.
  if (!(e.duration.count() >= 0 && e.duration.count() <= max_run_seconds))
    r.refuse("duration", "is not the length of a run (0 to 100 years, in seconds)");
  e.ended = parse_utc_time(r.text("timestamp")).value_or(SystemTime{});
  auto span = std::chrono::duration_cast<SystemTime::duration>(e.duration);
  if (e.ended < SystemTime::min() + span)
    r.refuse("duration", "reaches back before the clock's first time");
  e.started = e.ended - span;
  e.cpu = component(r, "cpu", component_pue, provenance);
  e.gpu = component(r, "gpu", component_pue, provenance);
  e.ram = component(r, "ram", component_pue, provenance);
  e.energy = KilowattHours{r.figure("energy_consumed")};
  e.emissions = GramsCo2e{r.figure("emissions") * 1000.0};
  e.mean_intensity = GramsPerKwh{e.energy.value > 0 ? e.emissions.value / e.energy.value : 0.0};
  e.intensity_provenance = provenance;
  auto percent = [&](std::string_view name) -> std::optional<double> {
    if (r.text(name).empty()) return std::nullopt;
    return r.number(name);
  };
  e.usage = {.cpu_utilization_percent = percent("cpu_utilization_percent"),
             .gpu_utilization_percent = percent("gpu_utilization_percent"),
             .ram_utilization_percent = percent("ram_utilization_percent"),
             .ram_used_gb = percent("ram_used_gb"),
             .process_cpu_share = percent("process_cpu_share")};
  return e;
}

RunInfo info_of(const CsvRecord& r) {
  RunInfo i;
  i.measured_by = writer_of(r);
  i.project = r.text("project_name");
  i.run_id = r.text("run_id");
  i.experiment_id = r.text("experiment_id");
  i.mode = r.text("tracking_mode") == "process" ? TrackingMode::process : TrackingMode::machine;
  i.location.country_name = r.text("country_name");
  i.location.country_iso3 = r.text("country_iso_code");
  i.location.zone = r.text("region");
  i.location.zone_name = i.location.zone;
  i.location.cloud_provider = r.text("cloud_provider");
  i.location.cloud_region = r.text("cloud_region");
  i.pue = r.number("pue") > 0 ? r.number("pue") : 1.0;
  i.os = r.text("os");
  i.cpu_model = r.text("cpu_model");
  i.cpu_count = r.count("cpu_count", 1 << 20);
  i.gpu_model = r.text("gpu_model");
  i.gpu_count = r.count("gpu_count", 1 << 20);
  i.ram_total_gb = r.number("ram_total_size");
  return i;
}

Provenance provenance_of(simdjson::dom::element p) {
  Provenance out;
  std::string_view basis = p["basis"].get_string().value();
  out.basis = basis == "measured"   ? Basis::measured
              : basis == "modelled" ? Basis::modelled
              : basis == "user"     ? Basis::user
              : basis == "reported" ? Basis::reported
                                    : Basis::default_table;
  out.source = std::string(p["source"].get_string().value());
  out.band_low = p["band_low"].get_double().value();
  out.band_high = p["band_high"].get_double().value();
  double coverage = 0;  // absent from files written before coverage was measured
  if (!p["band_coverage"].get(coverage)) out.band_coverage = coverage;
  out.degraded = p["degraded"].get_bool().value();
  return out;
}

void add_provenance(Emissions& e, simdjson::dom::element json) {
  e.intensity_provenance = provenance_of(json["intensity_provenance"]);
  for (auto [c, name] : {std::pair{&e.cpu, "cpu"}, {&e.gpu, "gpu"}, {&e.ram, "ram"}}) {
    simdjson::dom::element figures = json[name].value();
    if (!figures.is_null()) c->provenance = provenance_of(figures["provenance"]);
  }
}

// The JSON result adds what the CSV files cannot hold; a malformed one is an error, not a guess.
void add_json(RunResult& run, const fs::path& path) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  simdjson::padded_string text(
      detail::read_regular_file(path, detail::max_run_json_bytes, "the run's greentrain JSON"));
  if (parser.parse(text).get(root))
    throw error(errc::malformed_data,
                fmt::format("{} is not valid JSON; remove it to report from the CSV files alone",
                            path.string()));
  try {
    add_provenance(run.total, root["total"]);
    simdjson::dom::array tasks = root["tasks"].get_array();
    if (tasks.size() == run.tasks.size()) {
      std::size_t i = 0;
      for (auto task : tasks) add_provenance(run.tasks[i++], task);
    }
    simdjson::dom::array samples;
    if (!root["samples"].get(samples))
      for (auto s : samples)
        run.samples.push_back(
            {.time = parse_utc_time(s["time"].get_string().value()).value_or(SystemTime{}),
             .duration = Seconds(s["duration_s"].get_double().value()),
             .cpu = Watts{s["cpu_w"].get_double().value()},
             .gpu = Watts{s["gpu_w"].get_double().value()},
             .ram = Watts{s["ram_w"].get_double().value()},
             .intensity = GramsPerKwh{s["intensity_g_per_kwh"].get_double().value()},
             .cumulative = GramsCo2e{s["cumulative_kg"].get_double().value() * 1000.0}});
  } catch (const simdjson::simdjson_error& e) {
    throw error(errc::malformed_data,
                fmt::format("{} lacks a field greentrain writes ({}); remove it "
                            "to report from the CSV files alone",
                            path.string(), e.what()));
  }
}

}  // namespace

RunResult read_run(const fs::path& emissions_csv, std::string_view run_id) {
  CsvTable runs = read_csv(emissions_csv);
  const detail::CsvRow* chosen = nullptr;
  for (const auto& row : runs.rows)
    if (run_id.empty() || runs.record(row).text("run_id") == run_id)
      chosen = &row;  // the last row of a run is its latest flush
  if (!chosen)
    throw error(errc::invalid_argument,
                run_id.empty() ? fmt::format("{} holds no run", emissions_csv.string())
                               : fmt::format("{} holds no run '{}'; see its run_id column",
                                             emissions_csv.string(), run_id));
  CsvRecord record = runs.record(*chosen);
  RunInfo info = info_of(record);
  RunResult run{.info = info, .total = emissions_of(record, "", info.pue)};

  fs::path directory = emissions_csv.parent_path();
  fs::path tasks_csv = directory / (emissions_csv.stem().string() + "_tasks.csv");
  if (fs::exists(tasks_csv)) {
    CsvTable tasks = read_csv(tasks_csv);
    for (const auto& row : tasks.rows) {
      CsvRecord task = tasks.record(row);
      if (task.text("run_id") == run.info.run_id)
        run.tasks.push_back(emissions_of(task, task.text("task_name"), run.info.pue));
    }
  }
  fs::path json = directory / ("greentrain-" + run.info.run_id + ".json");
  if (fs::exists(json)) add_json(run, json);
  return run;
}

std::optional<Prediction> read_prediction(const fs::path& train_summary) {
  simdjson::dom::parser parser;
  simdjson::dom::element forecast;
  simdjson::padded_string text(
      detail::read_regular_file(train_summary, detail::max_run_json_bytes,
                                "the train-summary.json `greentrain train` wrote"));
  if (parser.parse(text).get(forecast) || forecast["forecast_after_epoch_1"].get(forecast))
    throw error(errc::malformed_data,
                fmt::format("{} is not a train-summary.json with forecast_after_epoch_1; give the "
                            "file `greentrain train` wrote",
                            train_summary.string()));
  if (forecast.is_null()) return std::nullopt;
  double seconds = 0, joules = 0;
  if (forecast["seconds"].get(seconds))
    throw error(errc::malformed_data,
                fmt::format("{}: forecast_after_epoch_1 has no seconds", train_summary.string()));
  Prediction p{.made = "by the trainer after epoch 1", .duration = Seconds(seconds)};
  if (!forecast["energy_j"].get(joules)) p.energy = to_kwh(Joules{joules});
  return p;
}

}  // namespace greentrain
