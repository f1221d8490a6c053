#include "greentrain/scheduling/job_estimate.hpp"

#include <fmt/format.h>

#include <cmath>

#include "greentrain/error.hpp"
#include "greentrain/intensity/embedded.hpp"
#include "greentrain/sensors/cpu_model.hpp"
#include "greentrain/sensors/gpu_model.hpp"
#include "greentrain/sensors/ram_model.hpp"

namespace greentrain::scheduling {

namespace {

void check(bool ok, std::string what) {
  if (!ok) throw error(errc::invalid_argument, std::move(what));
}

ModelledPower banded(double watts, double low, double high, double coverage, Provenance p) {
  p.basis = Basis::modelled;
  p.band_low = low;
  p.band_high = high;
  p.band_coverage = coverage;
  return {.power = Watts{watts},
          .low = Watts{watts * low},
          .high = Watts{watts * high},
          .coverage = coverage,
          .provenance = std::move(p)};
}

ModelledPower gpu_power(const JobDescription& job) {
  auto board = sensors::lookup_gpu(job.gpu_model);
  if (!board) {
    std::string known;
    for (const auto& b : sensors::known_gpus()) known += (known.empty() ? "" : ", ") + b.model;
    throw error(errc::invalid_argument,
                fmt::format("--gpu-model '{}' names none of the GPUs with published power ({}); "
                            "give the one closest to it, or measure it",
                            job.gpu_model, known));
  }
  double each = board->watts(job.gpu_load);
  // Between the board's idle and full power, whatever its real load: the coverage of that band
  // against measurements is not known.
  return banded(each * job.gpus, board->idle_w / each, board->full_w / each, 0.0,
                {.source = fmt::format("gpu-model (Cloud Carbon Footprint) {} {:g}-{:g} W x load "
                                       "{:.2f}, x {} GPU{}",
                                       board->model, board->idle_w, board->full_w, job.gpu_load,
                                       job.gpus, job.gpus == 1 ? "" : "s")});
}

}  // namespace

JobEstimate estimate_job(const JobDescription& job) {
  check(job.cpu_load >= 0 && job.cpu_load <= 1,
        fmt::format("the CPU load must be from 0 to 1, not {}", job.cpu_load));
  check(job.gpu_load >= 0 && job.gpu_load <= 1,
        fmt::format("the GPU load must be from 0 to 1, not {}", job.gpu_load));
  check(job.threads >= 1 && job.sockets >= 1, "threads and sockets must be at least 1");
  check(std::isfinite(job.ram_gb) && job.ram_gb >= 0, "the RAM must be 0 GB or more");
  check(job.duration.count() > 0 && std::isfinite(job.duration.count()),
        "the duration must be more than 0");
  check(!job.pue || *job.pue >= 1, "the PUE must be at least 1");
  check(job.gpus >= 0 && (job.gpus == 0 || !job.gpu_model.empty()),
        "GPUs need their model (--gpu-model)");

  JobEstimate e;
  EmbeddedProvider embedded;
  Location location = job.location.value_or(Location::country("World"));
  if (job.location) e.where = embedded.resolve(location);  // throws, naming the nearest keys
  e.pue = job.pue.value_or(e.where.default_pue);

  auto tdp = sensors::lookup_cpu_tdp(job.cpu_model, job.threads, job.sockets);
  if (!tdp.matched) tdp.identified_as = job.cpu_microarchitecture;
  auto cpu_band = sensors::cpu_model_band(tdp);
  e.cpu = banded(sensors::modelled_cpu_watts(tdp, job.cpu_load), cpu_band.low, cpu_band.high,
                 cpu_band.coverage,
                 {.source = fmt::format("tdp-curve (fitted to measured CPUs) {} x load {:.2f}",
                                        tdp.describe(), job.cpu_load)});
  e.cpu_tdp_w = tdp.tdp_w;
  e.ram = banded(
      sensors::modelled_ram_watts(job.ram_gb), sensors::ram_band_low, sensors::ram_band_high, 0.0,
      {.source = fmt::format("ram-model (Green Algorithms) {} W/GB x {:.1f} GB installed",
                             sensors::ram_watts_per_gb, job.ram_gb)});
  if (job.gpus > 0) e.gpu = gpu_power(job);

  Watts it = e.cpu.power + e.ram.power + (e.gpu ? e.gpu->power : Watts{});
  e.it_energy = to_kwh(it * job.duration);
  e.energy = e.it_energy * e.pue;
  auto reading = embedded.intensity_at(location, std::chrono::system_clock::now());
  e.intensity = reading.intensity;
  e.intensity_provenance = reading.provenance;
  e.emissions = e.energy * e.intensity;
  return e;
}

}  // namespace greentrain::scheduling
