#include "greentrain/trainer/cpu_trainer.hpp"

#include <tbb/task_arena.h>

#include <catch2/catch.hpp>
#include <filesystem>

#include "greentrain/error.hpp"
#include "greentrain/trainer/tbb_arena.hpp"
#include "trainer/synthetic_data.hpp"

using namespace greentrain::trainer;

namespace {

TrainerConfig small_config(Schedule schedule, OptimizerKind optimizer = OptimizerKind::sgd_momentum) {
  TrainerConfig c;
  c.model = {12, {{32, Activation::relu, 0.1f}, {16, Activation::gelu, 0.0f}}, 4};
  c.optimizer.kind = optimizer;
  c.optimizer.learning_rate = optimizer == OptimizerKind::adamw ? 3e-3 : 0.05;
  c.optimizer.weight_decay = 1e-4;
  c.schedule = {ScheduleKind::cosine, 5, 0, 0.1, 0.0};
  c.batch_size = 32;
  c.epochs = 4;
  c.threads = 2;
  c.seed = 5;
  c.thread_schedule = schedule;
  return c;
}

std::filesystem::path scratch(const std::string& name) {
  auto dir = std::filesystem::temp_directory_path() / "greentrain-trainer-test";
  std::filesystem::create_directories(dir);
  return dir / name;
}

class Recorder : public TrainingObserver {
 public:
  void on_epoch_begin(std::size_t epoch) override { begun.push_back(epoch); }
  void on_batch_end(const BatchProgress& p) override { last_batch = p; }
  void on_epoch_end(const EpochSummary& s) override { ended.push_back(s); }
  std::optional<greentrain::Joules> energy_so_far() const override {
    return greentrain::Joules{12.5};
  }
  std::vector<std::size_t> begun;
  std::vector<EpochSummary> ended;
  BatchProgress last_batch;
};

}  // namespace

TEST_CASE("training on separable clusters reaches high test accuracy", "[trainer]") {
  auto schedule = GENERATE(Schedule::onednn_threads, Schedule::tbb_shards);
  auto optimizer = GENERATE(OptimizerKind::sgd_momentum, OptimizerKind::adamw);
  auto train = testing::clusters(640, 12, 4, 1);
  auto test = testing::clusters(320, 12, 4, 1);
  CpuTrainer trainer(small_config(schedule, optimizer));
  auto before = trainer.evaluate(test);
  trainer.fit(train, {});
  auto after = trainer.evaluate(test);
  CHECK(before.accuracy < 0.6);
  CHECK(after.accuracy > 0.95);
  CHECK(after.loss < before.loss);
  CHECK(trainer.epoch() == 4);
  CHECK(trainer.step() == 4 * 20);
}

TEST_CASE("the observer sees each epoch's begin and end with energy and validation", "[trainer]") {
  auto train = testing::clusters(640, 12, 4, 1);
  auto validation = testing::clusters(100, 12, 4, 1);
  CpuTrainer trainer(small_config(Schedule::onednn_threads));
  Recorder recorder;
  trainer.fit(train, validation, &recorder);
  CHECK(recorder.begun == std::vector<std::size_t>{0, 1, 2, 3});
  REQUIRE(recorder.ended.size() == 4);
  CHECK(recorder.ended[3].samples == 640);
  CHECK(recorder.ended[3].validation_accuracy.value() > 0.9);
  CHECK(recorder.ended[3].energy.value().value == 12.5);
  CHECK(recorder.last_batch.batch == 20);
  CHECK(recorder.last_batch.batches == 20);
}

TEST_CASE("the same seed and threads give bit-identical weights", "[trainer]") {
  auto schedule = GENERATE(Schedule::onednn_threads, Schedule::tbb_shards);
  auto train = testing::clusters(320, 12, 4, 2);
  CpuTrainer a(small_config(schedule)), b(small_config(schedule));
  a.fit(train, {});
  b.fit(train, {});
  auto pa = a.parameters(), pb = b.parameters();
  CHECK(std::equal(pa.begin(), pa.end(), pb.begin(), pb.end()));
}

TEST_CASE("resuming from a checkpoint gives the weights of an uninterrupted run", "[trainer][checkpoint]") {
  auto schedule = GENERATE(Schedule::onednn_threads, Schedule::tbb_shards);
  auto optimizer = GENERATE(OptimizerKind::sgd_momentum, OptimizerKind::adamw);
  auto train = testing::clusters(320, 12, 4, 3);
  CpuTrainer uninterrupted(small_config(schedule, optimizer));
  uninterrupted.fit(train, {});

  auto file = scratch("resume.gtckpt");
  {
    CpuTrainer first_half(small_config(schedule, optimizer));
    first_half.train_epoch(train);
    first_half.train_epoch(train);
    first_half.save_checkpoint(file);
  }
  CpuTrainer resumed(small_config(schedule, optimizer));
  resumed.load_checkpoint(file);
  CHECK(resumed.epoch() == 2);
  resumed.fit(train, {});
  auto a = uninterrupted.parameters(), b = resumed.parameters();
  CHECK(std::equal(a.begin(), a.end(), b.begin(), b.end()));
}

TEST_CASE("a checkpoint for another model is refused with both shapes named", "[trainer][checkpoint]") {
  auto file = scratch("other-model.gtckpt");
  CpuTrainer(small_config(Schedule::onednn_threads)).save_checkpoint(file);
  auto config = small_config(Schedule::onednn_threads);
  config.model.hidden[0].width = 33;
  CpuTrainer other(config);
  CHECK_THROWS_WITH(other.load_checkpoint(file),
                    Catch::Matchers::Contains("model 12-32-16-4") &&
                        Catch::Matchers::Contains("this trainer has 12-33-16-4"));
}

TEST_CASE("the trainer runs in the caller's TBB arena", "[trainer][threads]") {
  auto train = testing::clusters(320, 12, 4, 4);
  tbb::task_arena arena(2);
  auto config = small_config(Schedule::tbb_shards);
  use_arena(config, arena);
  CpuTrainer in_callers_arena(config);
  CpuTrainer in_own_arena(small_config(Schedule::tbb_shards));
  CHECK(in_callers_arena.threads() == 2);
  in_callers_arena.fit(train, {});
  in_own_arena.fit(train, {});
  auto a = in_callers_arena.parameters(), b = in_own_arena.parameters();
  CHECK(std::equal(a.begin(), a.end(), b.begin(), b.end()));
}

TEST_CASE("bad configurations are refused before training", "[trainer]") {
  auto config = small_config(Schedule::tbb_shards);
  config.batch_size = 1;  // fewer samples than shards
  CHECK_THROWS_AS(CpuTrainer(config), greentrain::error);
  config = small_config(Schedule::onednn_threads);
  config.model.inputs = 0;
  CHECK_THROWS_AS(CpuTrainer(config), greentrain::error);
  CpuTrainer trainer(small_config(Schedule::onednn_threads));
  auto wrong_width = testing::clusters(64, 11, 4, 1);
  CHECK_THROWS_WITH(trainer.train_epoch(wrong_width), Catch::Matchers::Contains("11 features"));
}
