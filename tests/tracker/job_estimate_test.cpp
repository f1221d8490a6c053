// `greentrain estimate` models a job with the tracker's own models: at the same load, on the
// same machine, it gives the power a tracked run is modelled to draw.
#include "greentrain/scheduling/job_estimate.hpp"

#include <catch2/catch.hpp>

#include "greentrain/error.hpp"
#include "greentrain/sensors/cpu_model.hpp"
#include "greentrain/tracker.hpp"
#include "sensors/recorded_tree.hpp"
#include "support/fake_clock.hpp"
#include "support/fake_machine.hpp"
#include "support/temp_dir.hpp"

using namespace greentrain;
using namespace std::chrono_literals;
using scheduling::estimate_job;
using scheduling::JobDescription;

TEST_CASE("an estimate at a tracked run's load gives the run's modelled power",
          "[estimate][tracker][clock]") {
  test::TempDir dir;
  test::TreeCopy tree("vm-no-powercap");
  test::Faults faults;
  auto clock = std::make_shared<test::FakeClock>();
  TrackerOptions o;
  o.output_dir = dir.path();
  o.zone = "FR";
  o.interval = 1h;
  o.write_csv = o.write_json = false;
  o.on_error = faults.handler();
  o.clock = clock;
  o.sensor_roots = {.sys = tree.sys(), .proc = tree.proc(), .nvml_library = "/nonexistent/nvml.so"};
  EmissionsTracker tracker(o);
  tree.write("proc/stat", test::stat_after(600, 400));  // load 0.6 over 1000 ticks
  clock->advance(10s);
  RunResult run = tracker.stop();
  REQUIRE(run.samples.size() >= 1);
  const Sample& tracked = run.samples.back();

  JobDescription job{.cpu_model = run.info.cpu_model,
                     .threads = run.info.cpu_count,
                     .cpu_load = 0.6,
                     .ram_gb = run.info.ram_total_gb,
                     .duration = Seconds{10},
                     .location = Location::zone("FR")};
  auto estimate = estimate_job(job);
  CHECK(estimate.cpu.power.value == Approx(tracked.cpu.value));
  CHECK(estimate.ram.power.value == Approx(tracked.ram.value));
  CHECK(estimate.cpu.provenance.band_low == run.total.cpu.provenance.band_low);
  CHECK(estimate.cpu.coverage == Approx(sensors::cpu_model_band().coverage));
  CHECK(to_joules(estimate.it_energy).value ==
        Approx((tracked.cpu.value + tracked.ram.value) * 10.0));
  CHECK(estimate.emissions.value == Approx(estimate.energy.value * run.total.mean_intensity.value));
  CHECK(faults.messages.empty());
}

TEST_CASE("an estimate adds the GPUs' published power and its bands are in watts", "[estimate]") {
  JobDescription job{.cpu_model = "Intel(R) Xeon(R) CPU E5-2620 v3 @ 2.40GHz",
                     .threads = 24,
                     .sockets = 2,
                     .cpu_load = 0.5,
                     .ram_gb = 64,
                     .gpu_model = "NVIDIA A100-SXM4-40GB",
                     .gpus = 2,
                     .gpu_load = 0.8,
                     .duration = Seconds{4 * 3600.0},
                     .location = Location::cloud("gcp", "europe-west9"),
                     .pue = std::nullopt};
  auto e = estimate_job(job);
  CHECK(e.cpu_tdp_w == 170.0);  // 85 W per socket, two sockets
  REQUIRE(e.gpu);
  CHECK(e.gpu->power.value == Approx(2 * (46 + (407 - 46) * 0.8)));
  CHECK(e.gpu->low.value == Approx(2 * 46.0));
  CHECK(e.gpu->high.value == Approx(2 * 407.0));
  CHECK(e.cpu.low.value < e.cpu.power.value);
  CHECK(e.cpu.high.value > e.cpu.power.value);
  CHECK(e.pue == Approx(1.1));  // Google Cloud's published PUE
  CHECK(e.energy.value == Approx(e.it_energy.value * 1.1));
  CHECK(e.intensity_provenance.source.find("FR") != std::string::npos);
}

TEST_CASE("an estimate refuses what it cannot model, and says what it knows", "[estimate]") {
  JobDescription job{.cpu_model = "AMD EPYC 7742", .threads = 128};
  job.gpu_model = "RTX 4090";
  job.gpus = 1;
  CHECK_THROWS_WITH(estimate_job(job),
                    Catch::Contains("names none of the GPUs") && Catch::Contains("A100"));
  job.gpu_model.clear();
  job.gpus = 0;
  job.cpu_load = 1.5;
  CHECK_THROWS_WITH(estimate_job(job), Catch::Contains("CPU load must be from 0 to 1"));
  job.cpu_load = 0.5;
  job.location = Location::zone("XX");
  CHECK_THROWS_AS(estimate_job(job), error);
}
