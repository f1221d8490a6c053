#include "report/report_tables.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "core/text.hpp"

namespace greentrain::detail {

namespace {

std::string kg_text(GramsCo2e g) { return fmt::format("{:.4g} kg CO2e", to_kg(g)); }
std::string kwh_text(KilowattHours e) { return fmt::format("{:.4g} kWh", e.value); }

std::string duration_text(Seconds d) {
  auto s = d.count();
  if (s < 120) return fmt::format("{:.1f} s", s);
  if (s < 7200) return fmt::format("{:.1f} min ({:.0f} s)", s / 60, s);
  return fmt::format("{:.2f} h ({:.0f} s)", s / 3600, s);
}

std::string or_unknown(const std::string& text) { return text.empty() ? "unknown" : text; }

// The components' bands, weighted by their energy: the band of the total IT energy.
Provenance energy_provenance(const Emissions& e) {
  double total = 0, low = 0, high = 0;
  bool modelled = false, degraded = false, any = false;
  for (const ComponentFigures* c : {&e.cpu, &e.gpu, &e.ram}) {
    if (!c->present) continue;
    if (c->provenance.basis == Basis::reported) return c->provenance;  // another tool's sum
    any = true;
    total += c->energy.value;
    low += c->energy.value * c->provenance.band_low;
    high += c->energy.value * c->provenance.band_high;
    modelled |= c->provenance.basis != Basis::measured;
    degraded |= c->provenance.degraded;
  }
  if (!any)
    return {.basis = Basis::default_table,
            .source = "no component has a figure: nothing was measured",
            .degraded = true};
  Provenance p{.basis = modelled ? Basis::modelled : Basis::measured,
               .source = "sum of the components, x PUE",
               .degraded = degraded};
  if (total > 0) {
    p.band_low = low / total;
    p.band_high = high / total;
  }
  return p;
}

Provenance emissions_provenance(const Emissions& e) {
  Provenance energy = energy_provenance(e);
  const Provenance& intensity = e.intensity_provenance;
  if (energy.basis == Basis::reported) return energy;
  if (intensity.basis == Basis::reported) return intensity;
  return {.basis = energy.basis == Basis::measured ? intensity.basis : energy.basis,
          .source = "energy x intensity of each interval",
          .band_low = energy.band_low * intensity.band_low,
          .band_high = energy.band_high * intensity.band_high,
          .degraded = energy.degraded || intensity.degraded};
}

std::vector<std::string> component_row(std::string_view name, const ComponentFigures& c) {
  if (!c.present) return {std::string(name), "not present", "-", "no sensor or model"};
  return {std::string(name), fmt::format("{:.4g} W", c.mean_power.value), kwh_text(c.energy),
          describe(c.provenance)};
}

ReportTable figures(const RunResult& run) {
  const Emissions& t = run.total;
  ReportTable table{.title = "Emissions", .header = {"Figure", "Value", "Provenance"}, .rows = {}};
  bool reported = t.intensity_provenance.basis == Basis::reported;
  table.rows = {
      {"Duration", duration_text(t.duration),
       reported ? describe(t.intensity_provenance) : "measured (steady clock)"},
      {"Emissions", kg_text(t.emissions), describe(emissions_provenance(t))},
      {"Emission rate", fmt::format("{:.4g} kg CO2e/h", t.emissions_rate_kg_per_s() * 3600),
       "emissions / duration"},
      {"Total energy", kwh_text(t.energy), describe(energy_provenance(t))},
      {"PUE", fmt::format("{:.3g}", run.info.pue),
       reported ? "as the row gives it"
       : run.info.location.cloud_provider.empty()
           ? "1.0 on premises unless set by the user"
           : "the cloud provider's published PUE unless set"},
      {"Grid intensity used", fmt::format("{:.4g} g CO2e/kWh", t.mean_intensity.value),
       describe(t.intensity_provenance)},
  };
  if (t.degraded)
    table.note =
        "A fault interrupted the measurement (see the provenance marked degraded): the "
        "figures are incomplete.";
  return table;
}

ReportTable components(const RunResult& run) {
  const Emissions& t = run.total;
  return {.title = "Power and energy per component",
          .header = {"Component", "Mean power", "Energy (IT, before PUE)", "Provenance"},
          .rows = {component_row("CPU", t.cpu), component_row("GPU", t.gpu),
                   component_row("RAM", t.ram)},
          .note = {}};
}

ReportTable setting(const RunResult& run) {
  const RunInfo& i = run.info;
  const ResolvedLocation& w = i.location;
  std::string cloud =
      w.cloud_provider.empty() ? "none (on premises)" : w.cloud_provider + " " + w.cloud_region;
  return {.title = "Where and on what",
          .header = {"Item", "Value"},
          .rows = {{"Project", i.project},
                   {"Run", i.run_id},
                   {"Country",
                    fmt::format("{} ({})", or_unknown(w.country_name), or_unknown(w.country_iso3))},
                   {"Region (grid zone)",
                    w.zone.empty() ? "unknown" : fmt::format("{} ({})", w.zone_name, w.zone)},
                   {"Cloud provider and region", cloud},
                   {"Operating system", or_unknown(i.os)},
                   {"Compiler and libraries", build_versions()},
                   {"CPU", fmt::format("{} x {}", or_unknown(i.cpu_model), i.cpu_count)},
                   {"GPU", i.gpu_count ? fmt::format("{} x {}", i.gpu_model, i.gpu_count) : "none"},
                   {"RAM", fmt::format("{:.3g} GB", i.ram_total_gb)},
                   {"Tracking mode", i.mode == TrackingMode::machine ? "machine" : "process"}},
          .note = {}};
}

ReportTable tasks(const RunResult& run) {
  ReportTable table{
      .title = "Tasks",
      .header = {"Task", "Duration", "Energy", "Emissions", "Intensity", "Provenance"},
      .rows = {}};
  for (const auto& t : run.tasks)
    table.rows.push_back({t.task, duration_text(t.duration), kwh_text(t.energy),
                          kg_text(t.emissions), fmt::format("{:.4g} g/kWh", t.mean_intensity.value),
                          describe(emissions_provenance(t))});
  return table;
}

ReportTable equivalents_table(const RunResult& run) {
  ReportTable table{.title = "Equivalents",
                    .header = {"The same emissions as", "Amount", "Constant", "Source"},
                    .rows = {},
                    .note =
                        "Equivalents are illustrations; they carry the band of the "
                        "emissions above."};
  for (const auto& e : equivalents(run.total.emissions))
    table.rows.push_back({e.what, fmt::format("{:.3g}", e.amount), e.constant, e.source});
  return table;
}

std::string versus(double predicted, double actual) {
  return actual > 0 ? fmt::format("{:+.1f} %", (predicted - actual) / actual * 100) : "-";
}

ReportTable prediction(const RunResult& run, const Prediction& p) {
  const Emissions& t = run.total;
  ReportTable table{.title = "Predicted versus actual",
                    .header = {"Figure", "Predicted", "Actual", "Prediction error"},
                    .rows = {{"Duration", duration_text(p.duration), duration_text(t.duration),
                              versus(p.duration.count(), t.duration.count())}},
                    .note = "Predicted " + p.made + "."};
  if (p.energy) {
    KilowattHours it_energy = t.cpu.energy + t.gpu.energy + t.ram.energy;
    table.rows.push_back({"IT energy", kwh_text(*p.energy), kwh_text(it_energy),
                          versus(p.energy->value, it_energy.value)});
  }
  if (p.emissions)
    table.rows.push_back({"Emissions", kg_text(*p.emissions), kg_text(t.emissions),
                          versus(p.emissions->value, t.emissions.value)});
  return table;
}

std::vector<std::string> budget_row(std::string scope, const BudgetUse& use) {
  return {std::move(scope), kg_text(use.budget), kg_text(use.used),
          fmt::format("{:.3g} %", use.fraction() * 100)};
}

ReportTable budget(const RunResult& run, const ReportExtras& extras) {
  ReportTable table{.title = "Carbon budget", .header = {"Budget", "Size", "Used", "Share"}};
  std::vector<std::string> over;
  if (extras.budget) {
    BudgetUse use{*extras.budget, run.total.emissions};
    table.rows.push_back(budget_row("This run", use));
    if (use.fraction() > 1) over.push_back("the run");
  }
  if (extras.project_budget) {
    BudgetUse use{*extras.project_budget, extras.project_earlier + run.total.emissions};
    table.rows.push_back(budget_row("Project " + run.info.project + ", all runs", use));
    if (use.fraction() > 1) over.push_back("the project");
  }
  if (!over.empty())
    table.note = fmt::format("Over budget: {}.", fmt::join(over, " and "));
  return table;
}

}  // namespace

std::string build_versions() {
#if defined(__clang__)
  std::string compiler =
      fmt::format("clang {}.{}.{}", __clang_major__, __clang_minor__, __clang_patchlevel__);
#elif defined(__GNUC__)
  std::string compiler = fmt::format("gcc {}.{}.{}", __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__);
#else
  std::string compiler = "unknown compiler";
#endif
  return fmt::format("{}, C++ {}, greentrain {}, fmt {}.{}.{}", compiler, __cplusplus, version(),
                     FMT_VERSION / 10000, FMT_VERSION / 100 % 100, FMT_VERSION % 100);
}

std::string report_title(const RunResult& run) {
  return fmt::format("Emissions report: {}, run {}", run.info.project, run.info.run_id);
}

std::string measured_by(const RunResult& run) {
  const std::string& tool = run.info.measured_by;
  if (tool.empty() || tool.starts_with("greentrain")) return "Measured with greentrain";
  return fmt::format("Measured by {}, not by greentrain: its figures, read from its emissions.csv,",
                     tool);
}

std::vector<ReportTable> report_tables(const RunResult& run, const ReportExtras& extras) {
  std::vector<ReportTable> tables{figures(run), components(run), setting(run)};
  if (!run.tasks.empty()) tables.push_back(tasks(run));
  tables.push_back(equivalents_table(run));
  if (extras.prediction) tables.push_back(prediction(run, *extras.prediction));
  if (extras.budget || extras.project_budget) tables.push_back(budget(run, extras));
  return tables;
}

}  // namespace greentrain::detail
