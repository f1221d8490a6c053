// greentrain estimate: the energy and CO2 of a job that has not run, from its hardware, load and
// duration, with the tracker's own power models and their bands.
#include <fmt/format.h>

#include <memory>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "greentrain/scheduling/job_estimate.hpp"
#include "greentrain/sensors/discovery.hpp"
#include "json_text.hpp"
#include "redacted_output.hpp"
#include "tracking_options.hpp"

namespace greentrain::cli {

namespace {

using Json = nlohmann::ordered_json;
using scheduling::JobDescription;
using scheduling::JobEstimate;
using scheduling::ModelledPower;

struct EstimateFlags {
  std::optional<std::string> cpu_model;
  unsigned threads = 0, sockets = 0, gpus = 0;
  double cpu_load = 1.0, gpu_load = 1.0;
  std::optional<double> ram_gb;
  std::optional<std::string> gpu_model;
  std::chrono::milliseconds duration{std::chrono::hours(1)};
  LocationFlags location;
  std::optional<double> pue;
  bool json = false;
};

// The flags, with this machine's CPU, threads, sockets and RAM where --cpu-model is not given.
JobDescription describe(const EstimateFlags& f) {
  JobDescription job;
  if (!f.cpu_model) {
    auto machine = sensors::discover().machine;
    job.cpu_model = machine.cpu_model;
    job.cpu_microarchitecture = machine.cpu_microarchitecture;
    job.threads = machine.cpu_count;
    job.sockets = machine.cpu_sockets;
    job.ram_gb = machine.ram_total_gb;
  } else {
    job.cpu_model = *f.cpu_model;
  }
  if (f.threads) job.threads = static_cast<int>(f.threads);
  if (f.sockets) job.sockets = static_cast<int>(f.sockets);
  if (f.ram_gb) job.ram_gb = *f.ram_gb;
  job.threads = std::max(job.threads, 1);
  job.sockets = std::max(job.sockets, 1);
  job.cpu_load = f.cpu_load;
  job.gpu_model = f.gpu_model.value_or("");
  job.gpus = f.gpu_model ? std::max(1, static_cast<int>(f.gpus)) : static_cast<int>(f.gpus);
  job.gpu_load = f.gpu_load;
  job.duration = std::chrono::duration_cast<Seconds>(f.duration);
  job.location = f.location.location();
  job.pue = f.pue;
  return job;
}

Json power_json(const ModelledPower& p) {
  return {{"power_w", json_figure<Json>(p.power.value, 4)},
          {"band",
           {{"low_w", json_figure<Json>(p.low.value, 4)},
            {"high_w", json_figure<Json>(p.high.value, 4)},
            {"coverage", p.coverage > 0 ? json_figure<Json>(p.coverage, 3) : Json(nullptr)}}},
          {"provenance", p.provenance.source}};
}

std::string coverage_text(const ModelledPower& p) {
  return p.coverage > 0 ? fmt::format("held for {:.0f} % of measured points", 100 * p.coverage)
                        : std::string("coverage not measured");
}

std::string power_text(std::string_view name, const ModelledPower& p) {
  return fmt::format("{} {:.3g} W ({:.3g} to {:.3g} W, {}): {}", name, p.power.value, p.low.value,
                     p.high.value, coverage_text(p), p.provenance.source);
}

void print_estimate(const JobDescription& job, const JobEstimate& e, bool json) {
  if (json) {
    Json cpu = power_json(e.cpu);
    cpu["tdp_w"] = json_figure<Json>(e.cpu_tdp_w, 4);
    Json document = {{"cpu", std::move(cpu)},
                     {"ram", power_json(e.ram)},
                     {"gpu", e.gpu ? power_json(*e.gpu) : Json(nullptr)},
                     {"duration_s", json_figure<Json>(job.duration.count())},
                     {"it_energy_kwh", json_figure<Json>(e.it_energy.value, 6)},
                     {"pue", json_figure<Json>(e.pue)},
                     {"energy_kwh", json_figure<Json>(e.energy.value, 6)},
                     {"intensity_g_per_kwh", json_figure<Json>(e.intensity.value, 4)},
                     {"intensity_provenance", e.intensity_provenance.source},
                     {"emissions_g", json_figure<Json>(e.emissions.value, 6)},
                     {"basis", "modelled"}};
    cli::print("{}\n", json_text(document));
    return;
  }
  cli::print(
      "A job of {:.3g} h would use {:.3g} kWh (x PUE {:.3g}) and emit {:.3g} g CO2e at {:.4g} "
      "g/kWh ({}). Every figure is modelled, not measured:\n  {}\n  {}\n",
      job.duration.count() / 3600, e.energy.value, e.pue, e.emissions.value, e.intensity.value,
      e.intensity_provenance.source, power_text("CPU", e.cpu), power_text("RAM", e.ram));
  if (e.gpu) cli::print("  {}\n", power_text("GPU", *e.gpu));
}

Action define(Options& options) {
  auto flags = std::make_shared<EstimateFlags>();
  options.text("--cpu-model", flags->cpu_model, "NAME",
               "the CPU as /proc/cpuinfo names it (\"Intel(R) Xeon(R) CPU E5-2620 v3 @ 2.40GHz\"), "
               "matched in the TDP table",
               "this machine's CPU, threads, sockets and RAM");
  options.count("--threads", flags->threads, 1, 1 << 20, "N",
                "logical CPUs of the job's machine (default: this machine's)");
  options.count("--sockets", flags->sockets, 1, 64, "N", "CPU sockets (default: this machine's)");
  options.number("--cpu-load", flags->cpu_load, {.min = 0, .max = 1}, "X",
                 "busy share of all the CPU's threads, 0 to 1 (default: 1)");
  options.number("--ram-gb", flags->ram_gb, {.min = 0, .max = 1 << 20}, "GB", "installed memory",
                 "this machine's with no --cpu-model, else 0");
  options.text("--gpu-model", flags->gpu_model, "NAME",
               "the GPU (\"NVIDIA A100\"): T4, V100, A100 or A10G, whose idle and full power "
               "Cloud Carbon Footprint publishes",
               "none");
  options.count("--gpus", flags->gpus, 0, 4096, "N", "GPUs (default: 1 with --gpu-model)");
  options.number("--gpu-load", flags->gpu_load, {.min = 0, .max = 1}, "X",
                 "the GPUs' utilisation, 0 to 1 (default: 1)");
  options.duration("--duration", flags->duration, std::chrono::milliseconds{1},
                   "how long the job runs");
  add_location_options(options, flags->location);
  options.number("--pue", flags->pue, {.min = 1}, "X",
                 "power usage effectiveness of the data centre, at least 1",
                 "the cloud provider's published PUE with --cloud, else 1.0");
  options.flag("--json", flags->json, "print the estimate as JSON on stdout");
  options.footer(
      "Uses the tracker's own models (a CPU at a load is modelled as a tracked run at that load "
      "would be), each with its band. " +
      modelled_power_note());
  return [flags] {
    JobDescription job = describe(*flags);
    print_estimate(job, scheduling::estimate_job(job), flags->json);
    return 0;
  };
}

const Registration registration{{
    .name = "estimate",
    .summary = "the energy and CO2 of a job before it runs, from its hardware, load and duration",
    .define = define,
}};

}  // namespace

}  // namespace greentrain::cli
