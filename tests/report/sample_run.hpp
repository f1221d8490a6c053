#pragma once
// A finished run as the tracker would return it: measured CPU, modelled RAM, two epochs, samples.
#include "greentrain/emissions.hpp"

namespace greentrain::test {

inline RunResult sample_run() {
  using namespace std::chrono_literals;
  SystemTime start = SystemTime{} + std::chrono::hours(24 * 365 * 56);
  RunResult run;
  run.info = {.project = "fashion-mnist",
              .run_id = "run-1",
              .experiment_id = "",
              .mode = TrackingMode::machine,
              .location = {.zone = "FR",
                           .zone_name = "France",
                           .country_iso3 = "FRA",
                           .country_name = "France",
                           .cloud_provider = "gcp",
                           .cloud_region = "europe-west9"},
              .pue = 1.1,
              .os = "Linux-6.1-x86_64",
              .cpu_model = "Test CPU <fast>",
              .cpu_count = 8,
              .gpu_model = "",
              .gpu_count = 0,
              .ram_total_gb = 32};
  Emissions& t = run.total;
  t.started = start;
  t.ended = start + 600s;
  t.duration = 600s;
  t.cpu = {.energy = KilowattHours{0.01},
           .mean_power = Watts{60},
           .provenance = {.basis = Basis::measured, .source = "powercap:intel-rapl:0 package-0"},
           .present = true};
  t.ram = {.energy = KilowattHours{0.001},
           .mean_power = Watts{6},
           .provenance = {.basis = Basis::modelled,
                          .source = "0.3725 W/GB x 32 GB",
                          .band_low = 0.5,
                          .band_high = 1.5},
           .present = true};
  t.energy = KilowattHours{0.0121};
  t.emissions = GramsCo2e{0.0121 * 40};
  t.mean_intensity = GramsPerKwh{40};
  t.intensity_provenance = {.basis = Basis::default_table,
                            .source = "Electricity Maps 2025 yearly average, zone FR"};
  for (int epoch = 0; epoch < 2; ++epoch) {
    Emissions e = t;
    e.task = "epoch-" + std::to_string(epoch);
    e.duration = 300s;
    e.started = start + epoch * 300s;
    e.ended = e.started + 300s;
    e.energy = KilowattHours{epoch ? 0.007 : 0.0051};
    e.emissions = e.energy * GramsPerKwh{40};
    run.tasks.push_back(e);
  }
  for (int i = 1; i <= 10; ++i)
    run.samples.push_back({.time = start + i * 60s,
                           .duration = 60s,
                           .cpu = Watts{50.0 + i},
                           .gpu = Watts{0},
                           .ram = Watts{6},
                           .intensity = GramsPerKwh{40},
                           .cumulative = t.emissions * (i / 10.0)});
  return run;
}

}  // namespace greentrain::test
