// Run under `mpirun -np 2`: two ranks with half the batch each follow the single-process loss
// curve. Rank 0 also trains alone with the whole batch and compares. Exit status 0 on success.
#include <mpi.h>

#include <cmath>
#include <cstdio>

#include "greentrain/trainer/cpu_trainer.hpp"
#include "greentrain/trainer/mpi_data_parallel.hpp"
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

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  int failures = 0;
  {
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
    int host_readers = dp.reads_host_energy() ? 1 : 0;
    double readers = parallel.data_parallel->sum_to_root(host_readers);
    if (dp.writes_outputs()) {
      std::printf("ranks reading host energy: %.0f (one host)\n", readers);
      if (readers != 1.0) ++failures;
      std::printf("mpi data-parallel: %s\n", failures ? "FAIL" : "PASS");
    }
    MPI_Bcast(&failures, 1, MPI_INT, 0, MPI_COMM_WORLD);
  }
  MPI_Finalize();
  return failures ? 1 : 0;
}
