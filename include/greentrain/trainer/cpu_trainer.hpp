#pragma once
// Trains a multi-layer perceptron on the CPU: oneDNN kernels on oneTBB threads (see src/trainer).
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>

#include "greentrain/trainer/data_parallel.hpp"
#include "greentrain/trainer/dataset.hpp"
#include "greentrain/trainer/model_spec.hpp"
#include "greentrain/trainer/observer.hpp"
#include "greentrain/trainer/optimizer.hpp"
#include "greentrain/trainer/precision.hpp"

namespace greentrain::trainer {

class CarbonPolicy;

// How the threads share a batch.
//  tbb_shards: one shard per TBB worker, each running oneDNN on one thread, forward and backward
//    for its rows of the batch; then each worker takes its rows of every weight gradient over the
//    whole batch and updates them. Two joins per step, so it holds up on a machine shared with
//    other work (the default).
//  onednn_threads: one shard per batch, oneDNN's own OpenMP threads split each kernel; TBB idle.
//    A barrier per kernel: a little faster on an idle machine, much slower on a busy one
//    (benchmarks/trainer_vs_pytorch measures both).
enum class Schedule { onednn_threads, tbb_shards };

struct TrainerConfig {
  ModelSpec model;
  OptimizerSpec optimizer;
  LrSchedule schedule;
  Precision precision = Precision::fp32;
  std::size_t batch_size = 256;
  std::size_t epochs = 10;  // for the learning-rate schedule's length
  std::uint64_t seed = 1;
  int threads = 0;  // 0: all the CPUs this process may use
  Schedule thread_schedule = Schedule::tbb_shards;
  // A tbb::task_arena* owned by the caller (see trainer/tbb_arena.hpp); null: the trainer's own.
  void* tbb_arena = nullptr;
  // Consulted before each batch: may pause training or switch it to bf16 (carbon_policy.hpp).
  std::shared_ptr<CarbonPolicy> carbon_policy;
  // Written as each pause begins, so a run stopped while waiting resumes from there.
  std::filesystem::path pause_checkpoint;
  // Train across processes: this rank takes its slice of each batch of batch_size samples.
  std::shared_ptr<DataParallel> data_parallel;
};

struct Evaluation {
  double loss = 0.0;
  double accuracy = 0.0;
  std::size_t samples = 0;
};

class CpuTrainer {
 public:
  // Throws greentrain::error(invalid_argument) for an empty model or batch, and
  // error(unsupported) for bf16 on a CPU without bf16 instructions.
  explicit CpuTrainer(TrainerConfig config);
  ~CpuTrainer();
  CpuTrainer(CpuTrainer&&) noexcept;
  CpuTrainer& operator=(CpuTrainer&&) noexcept;

  // One pass over `data` in shuffled mini-batches (the incomplete last batch is skipped). After
  // a checkpoint written mid-epoch, the epoch continues from the batch where it stopped.
  EpochSummary train_epoch(const Dataset& data, TrainingObserver* observer = nullptr);
  // Epochs from the current one up to config.epochs, evaluating on `validation` if non-empty.
  // Returns early, after a batch, when the observer asks to stop (EpochSummary::stopped).
  void fit(const Dataset& train, const Dataset& validation, TrainingObserver* observer = nullptr);
  Evaluation evaluate(const Dataset& data);

  std::size_t epoch() const;  // epochs completed
  std::size_t step() const;   // optimiser steps taken
  const TrainerConfig& config() const;
  Precision precision() const;  // of the last batch: the configured one, or the policy's
  int threads() const;
  // All weights and biases, layer by layer: W (inputs x outputs, row-major) then b. A copy (the
  // trainer keeps wide layers' weights in oneDNN's blocked layout), valid until the next call.
  std::span<const float> parameters() const;

  // Model, optimiser state, epoch, step and seed, written atomically (temporary file, fsync,
  // rename). load_checkpoint throws error(corrupt_checkpoint) with the reason when the file is
  // damaged, from another format version, or for a different model or optimiser.
  void save_checkpoint(const std::filesystem::path& file) const;
  void load_checkpoint(const std::filesystem::path& file);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace greentrain::trainer
