#pragma once
// Thread-seconds spent inside the training step's GEMM primitives, for the throughput benchmark's
// "GEMM part at N % of the FMA peak" figure. Off unless switched on; then each GEMM costs two clock
// reads and one atomic add.
#include <atomic>
#include <chrono>
#include <cstdint>

namespace greentrain::trainer::detail {

class GemmClock {
 public:
  static void enable(bool on) { enabled_.store(on, std::memory_order_relaxed); }
  static void reset() { nanoseconds_.store(0, std::memory_order_relaxed); }
  // Summed over the threads that ran GEMMs: a GEMM run by a team of t threads for s seconds adds
  // t * s, so total / threads is the wall time the whole machine spent in GEMMs.
  static double thread_seconds() {
    return static_cast<double>(nanoseconds_.load(std::memory_order_relaxed)) * 1e-9;
  }

  // Runs gemm(), timing it when the clock is on; team: the OpenMP threads the GEMM runs on.
  template <class Gemm>
  static void time(int team, Gemm&& gemm) {
    if (!enabled_.load(std::memory_order_relaxed)) return gemm();
    auto start = std::chrono::steady_clock::now();
    gemm();
    auto elapsed = std::chrono::steady_clock::now() - start;
    nanoseconds_.fetch_add(
        team * std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed).count(),
        std::memory_order_relaxed);
  }

 private:
  static inline std::atomic<bool> enabled_{false};
  static inline std::atomic<std::int64_t> nanoseconds_{0};
};

}  // namespace greentrain::trainer::detail
