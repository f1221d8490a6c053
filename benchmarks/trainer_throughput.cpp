// Training throughput of the CpuTrainer on a 784-1024-1024-10 MLP with synthetic data, and the
// machine's fp32 FMA peak: the C++ half of trainer_vs_pytorch. Prints one JSON object per line.
// The timed epochs run under an EmissionsTracker in process mode (the machine's energy times this
// process's share of the busy CPU time), one task per epoch: energy per 1000 samples and its basis.
//   trainer_throughput [--batch B] [--threads T] [--precision fp32|bf16] [--schedule onednn|tbb]
//                      [--steps N] [--repeats R] [--peak]
#include <fmt/format.h>
#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "greentrain/tracker.hpp"
#include "greentrain/trainer/cpu_trainer.hpp"

using namespace greentrain::trainer;

namespace {

// 24 independent accumulator chains hide the FMA latency; 2 FMAs/element/iteration of 16 floats.
__attribute__((target("avx512f"))) double fma_loop(long iterations) {
  __m512 acc[24];
  for (int i = 0; i < 24; ++i) acc[i] = _mm512_set1_ps(static_cast<float>(i) * 1e-3f);
  const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
  for (long n = 0; n < iterations; ++n) {
#pragma GCC unroll 24
    for (int i = 0; i < 24; ++i) acc[i] = _mm512_fmadd_ps(acc[i], a, b);
  }
  alignas(64) float lanes[16];
  __m512 total = acc[0];
#pragma GCC unroll 24
  for (int i = 1; i < 24; ++i) total = _mm512_add_ps(total, acc[i]);
  _mm512_store_ps(lanes, total);
  return static_cast<double>(lanes[0]);
}

// GFLOP/s of `threads` threads running the FMA loop at once.
double fma_peak_gflops(int threads) {
  const long iterations = 20'000'000;
  std::atomic<double> sink{0};
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&] { sink = sink + fma_loop(iterations); });
  for (auto& t : pool) t.join();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return 2.0 * 16 * 24 * static_cast<double>(iterations) * threads / seconds / 1e9;
}

std::string option(std::vector<std::string_view>& args, std::string_view name, std::string fallback) {
  auto it = std::find(args.begin(), args.end(), name);
  if (it == args.end() || it + 1 == args.end()) return fallback;
  return std::string(*(it + 1));
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  int threads = std::stoi(option(args, "--threads", "2"));
  if (std::find(args.begin(), args.end(), "--peak") != args.end()) {
    std::vector<double> runs;
    for (int r = 0; r < 5; ++r) runs.push_back(fma_peak_gflops(threads));
    std::sort(runs.begin(), runs.end());
    fmt::print("{{\"fma_peak_gflops\": {:.1f}, \"min\": {:.1f}, \"max\": {:.1f}, \"threads\": {}}}\n",
               runs[2], runs.front(), runs.back(), threads);
    return 0;
  }
  TrainerConfig config;
  config.model = {784, {{1024, Activation::relu, 0.0f}, {1024, Activation::relu, 0.0f}}, 10};
  config.optimizer = {OptimizerKind::sgd_momentum, 0.01, 0.9, 0.9, 0.999, 1e-8, 0.0};
  config.batch_size = std::stoul(option(args, "--batch", "256"));
  config.threads = threads;
  config.precision = parse_precision(option(args, "--precision", "fp32"));
  config.thread_schedule =
      option(args, "--schedule", "onednn") == "tbb" ? Schedule::tbb_shards : Schedule::onednn_threads;
  config.epochs = 1000;
  std::size_t steps = std::stoul(option(args, "--steps", "100"));
  int repeats = std::stoi(option(args, "--repeats", "3"));

  Dataset data;
  data.feature_count = 784;
  data.class_count = 10;
  std::size_t samples = steps * config.batch_size;
  data.features.resize(samples * 784);
  for (std::size_t i = 0; i < data.features.size(); ++i)
    data.features[i] = static_cast<float>((i * 2654435761u) % 1000) / 1000.0f - 0.5f;
  for (std::size_t i = 0; i < samples; ++i) data.labels.push_back(static_cast<std::int32_t>(i % 10));

  CpuTrainer trainer(config);
  trainer.train_epoch(data);  // warm-up: first touch of buffers, oneDNN's kernel generation
  // GEMM flops per sample: forward 2*K*N per layer; backward weight grads for every layer, input
  // grads for all but the first; bias-gradient GEMVs are counted too.
  double flops_per_sample = 0;
  double in = 784;
  for (double out : {1024.0, 1024.0, 10.0}) {
    flops_per_sample += 2.0 * in * out * (in == 784 ? 2 : 3) + 2.0 * out;
    in = out;
  }
  greentrain::EmissionsTracker tracker({.project = "trainer_throughput",
                                        .interval = std::chrono::milliseconds(100),
                                        .mode = greentrain::TrackingMode::process,
                                        .write_csv = false,
                                        .write_json = false,
                                        .on_error = [](std::error_code, const std::string&) {}});
  for (int r = 0; r < repeats; ++r) {
    auto task = tracker.task(fmt::format("epoch-{}", r));
    auto s = trainer.train_epoch(data);
    const greentrain::Emissions& e = task.stop();
    double joules = greentrain::to_joules(e.energy).value;
    fmt::print("{{\"samples_per_s\": {:.1f}, \"gemm_gflops\": {:.1f}, \"batch\": {}, \"threads\": {}, "
               "\"precision\": \"{}\", \"schedule\": \"{}\", \"energy_j_per_1000\": {:.3f}, "
               "\"energy_basis\": \"{}\", \"energy_degraded\": {}}}\n",
               s.samples_per_s, s.samples_per_s * flops_per_sample / 1e9, config.batch_size,
               trainer.threads(), to_string(config.precision),
               config.thread_schedule == Schedule::tbb_shards ? "tbb" : "onednn",
               1000.0 * joules / static_cast<double>(s.samples), to_string(e.cpu.provenance.basis),
               e.degraded);
  }
  return 0;
}
