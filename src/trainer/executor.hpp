#pragma once
// One pool of busy threads for the trainer. With Schedule::onednn_threads the work runs on the
// calling thread and oneDNN's OpenMP team (TBB stays idle); with Schedule::tbb_shards it runs in a
// oneTBB arena whose threads each pin OpenMP to one thread on entry, one shard per thread.
#include <cstddef>
#include <functional>
#include <memory>

#include "greentrain/trainer/cpu_trainer.hpp"

namespace greentrain::trainer::detail {

class Executor {
 public:
  // threads <= 0: what the process may use. external_arena: a tbb::task_arena* or null.
  Executor(int threads, Schedule schedule, void* external_arena);
  ~Executor();
  Executor(const Executor&) = delete;
  Executor& operator=(const Executor&) = delete;

  int threads() const;
  std::size_t shards() const;  // 1 for onednn_threads, threads() for tbb_shards

  // Runs `work` with the schedule's threads set up; the calls below are made inside it.
  void run(const std::function<void()>& work);
  void for_each_shard(const std::function<void(std::size_t shard)>& body);
  // Splits [0, threads()) slices among the threads: body(slice, slices).
  void for_each_slice(const std::function<void(std::size_t slice, std::size_t slices)>& body);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace greentrain::trainer::detail
