#include "trainer/executor.hpp"

#include <omp.h>
#include <tbb/blocked_range.h>
#include <tbb/parallel_for.h>
#include <tbb/task_arena.h>
#include <tbb/task_scheduler_observer.h>

#include <optional>

namespace greentrain::trainer::detail {
namespace {

// Debian's oneDNN runs on OpenMP: a TBB thread that called it with the default team would start
// a second pool of threads beside TBB's. Each thread entering the arena asks OpenMP for one.
class PinOpenMpToOneThread : public tbb::task_scheduler_observer {
 public:
  explicit PinOpenMpToOneThread(tbb::task_arena& arena) : tbb::task_scheduler_observer(arena) {
    observe(true);
  }
  ~PinOpenMpToOneThread() override { observe(false); }
  void on_scheduler_entry(bool) override {
    saved_ = omp_get_max_threads();
    omp_set_num_threads(1);
  }
  void on_scheduler_exit(bool) override { omp_set_num_threads(saved_); }

 private:
  static thread_local int saved_;
};
thread_local int PinOpenMpToOneThread::saved_ = 1;

// Sets this thread's OpenMP team size for a scope.
class OpenMpThreads {
 public:
  explicit OpenMpThreads(int n) : saved_(omp_get_max_threads()) { omp_set_num_threads(n); }
  ~OpenMpThreads() { omp_set_num_threads(saved_); }
  OpenMpThreads(const OpenMpThreads&) = delete;
  OpenMpThreads& operator=(const OpenMpThreads&) = delete;

 private:
  int saved_;
};

}  // namespace

struct Executor::Impl {
  Schedule schedule;
  std::optional<tbb::task_arena> own_arena;
  tbb::task_arena* arena = nullptr;
  std::optional<PinOpenMpToOneThread> pin;
  int threads = 1;
};

Executor::Executor(int threads, Schedule schedule, void* external_arena)
    : impl_(std::make_unique<Impl>()) {
  impl_->schedule = schedule;
  int available = tbb::this_task_arena::max_concurrency();
  if (external_arena) {
    impl_->arena = static_cast<tbb::task_arena*>(external_arena);
    impl_->arena->initialize();
    impl_->threads = impl_->arena->max_concurrency();
  } else {
    impl_->threads = threads > 0 ? threads : available;
    // With oneDNN's OpenMP team doing the work the arena needs no workers of its own.
    impl_->own_arena.emplace(schedule == Schedule::tbb_shards ? impl_->threads : 1);
    impl_->arena = &*impl_->own_arena;
  }
  if (schedule == Schedule::tbb_shards) impl_->pin.emplace(*impl_->arena);
}

Executor::~Executor() = default;

int Executor::threads() const { return impl_->threads; }

std::size_t Executor::shards() const {
  return impl_->schedule == Schedule::tbb_shards ? static_cast<std::size_t>(impl_->threads) : 1;
}

void Executor::run(const std::function<void()>& work) {
  impl_->arena->execute([&] {
    OpenMpThreads team(impl_->schedule == Schedule::tbb_shards ? 1 : impl_->threads);
    work();
  });
}

void Executor::for_each_shard(const std::function<void(std::size_t)>& body) {
  std::size_t n = shards();
  if (n == 1) return body(0);
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1),
                    [&](const tbb::blocked_range<std::size_t>& r) {
                      for (std::size_t s = r.begin(); s != r.end(); ++s) body(s);
                    },
                    tbb::static_partitioner{});
}

void Executor::for_each_slice(const std::function<void(std::size_t, std::size_t)>& body) {
  auto n = static_cast<std::size_t>(impl_->threads);
  if (n == 1) return body(0, 1);
  if (impl_->schedule == Schedule::tbb_shards) {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, n, 1),
                      [&](const tbb::blocked_range<std::size_t>& r) {
                        for (std::size_t s = r.begin(); s != r.end(); ++s) body(s, n);
                      },
                      tbb::static_partitioner{});
    return;
  }
#pragma omp parallel for num_threads(impl_->threads) schedule(static, 1)
  for (std::size_t s = 0; s < n; ++s) body(s, n);
}

}  // namespace greentrain::trainer::detail
