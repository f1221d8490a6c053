// Run under `mpirun -np 2`: two ranks with half the batch each follow the single-process loss
// curve. Rank 0 also trains alone with the whole batch and compares. Both ranks track the same
// (fake) host: rank 0's energy total counts that host once. Exit status 0 on success.
#include <mpi.h>

#include <cmath>
#include <cstdio>

#include "greentrain/tracker.hpp"
#include "greentrain/trainer/cpu_trainer.hpp"
#include "greentrain/trainer/host_energy.hpp"
#include "greentrain/trainer/mpi_data_parallel.hpp"
#include "support/fake_sensor.hpp"
#include "trainer/synthetic_data.hpp"

using namespace greentrain::trainer;

namespace {

class LossCurve : public TrainingObserver {
 public:
  void on_epoch_end(const EpochSummary& s) override { losses.push_back(s.train_loss); }
  std::vector<double> losses;
};

TrainerConfig config() {
  TrainerConfig c;
  c.model = {12, {{32, Activation::relu, 0.2f}, {16, Activation::gelu, 0.0f}}, 4};
  c.optimizer.learning_rate = 0.05;
  c.batch_size = 32;
  c.epochs = 4;
  c.threads = 1;  // two ranks on a two-core machine: one thread each
  c.seed = 21;
  return c;
}

// A host whose package counter the test advances: both ranks read the same machine.
greentrain::TrackerOptions fake_host(std::shared_ptr<greentrain::test::FakeSensor::Control> counter) {
  using namespace greentrain;
  return {.project = "mpi-test",
          .interval = std::chrono::hours(1),
          .intensity = GramsPerKwh{100},
          .write_csv = false,
          .write_json = false,
          .on_error = [](std::error_code, const std::string&) {},
          .discover = [counter] {
            sensors::Discovery d;
            d.selected.push_back(std::make_unique<test::FakeSensor>(
                "powercap:intel-rapl:0 package-0", sensors::Domain::cpu_package,
                sensors::SignalKind::energy_counter, test::measured("package-0"), counter));
            return d;
          }};
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int failures = 0;
  {
    auto counter = std::make_shared<greentrain::test::FakeSensor::Control>();
    greentrain::EmissionsTracker tracker(fake_host(counter));
    auto data = testing::clusters(640, 12, 4, 1);
    auto parallel = config();
    parallel.data_parallel = mpi_data_parallel();
    const auto& dp = *parallel.data_parallel;
    CpuTrainer trainer(parallel);
    LossCurve curve;
    trainer.fit(data, {}, &curve);

    if (dp.writes_outputs()) {
      CpuTrainer alone(config());
      LossCurve reference;
      alone.fit(data, {}, &reference);
      for (std::size_t e = 0; e < curve.losses.size(); ++e) {
        double rel = std::abs(curve.losses[e] - reference.losses[e]) / reference.losses[e];
        std::printf("epoch %zu: %d ranks loss %.6f, one process %.6f, relative difference %.2e\n",
                    e + 1, dp.size(), curve.losses[e], reference.losses[e], rel);
        if (!(rel < 1e-4)) ++failures;
      }
      auto a = trainer.parameters(), b = alone.parameters();
      double worst = 0.0;
      for (std::size_t i = 0; i < a.size(); ++i)
        worst = std::max(worst, double{std::abs(a[i] - b[i])} / (1.0 + std::abs(b[i])));
      std::printf("largest weight difference %.2e\n", worst);
      if (!(worst < 1e-3)) ++failures;
      if (dp.size() != 2) ++failures;
    }
    {
      std::lock_guard lock(counter->mutex);
      counter->value = 3.6e6;  // the host used 1 kWh while both ranks trained
    }
    HostEnergy host = sum_host_energy(*parallel.data_parallel, tracker.stop().total);
    if (dp.writes_outputs()) {
      std::printf("hosts counted: %d; energy %.3f kWh, %.1f g CO2e (one host: 1 kWh, 100 g)\n",
                  host.hosts, host.energy.value, host.emissions.value);
      if (host.hosts != 1 || host.hosts_measured != 1) ++failures;
      if (std::abs(host.energy.value - 1.0) > 1e-9 || std::abs(host.cpu.value - 1.0) > 1e-9) ++failures;
      if (std::abs(host.emissions.value - 100.0) > 1e-6) ++failures;
      std::printf("mpi data-parallel: %s\n", failures ? "FAIL" : "PASS");
    }
    MPI_Bcast(&failures, 1, MPI_INT, 0, MPI_COMM_WORLD);
  }
  MPI_Finalize();
  return failures ? 1 : 0;
}
