// Training throughput of the CpuTrainer on a 784-1024-1024-10 MLP with synthetic data, the time its
// GEMM primitives take, and the machine's fp32 FMA peak measured in the same process: the C++ half of
// trainer_vs_pytorch.
// The timed epochs run under an EmissionsTracker in process mode (the machine's energy times this
// process's share of the busy CPU time), one task per epoch: energy per 1000 samples and its basis.
//   trainer_throughput [--batch B] [--threads T] [--precision fp32|bf16] [--schedule onednn|tbb]
//                      [--steps N] [--repeats R]     one JSON object per timed epoch
//   trainer_throughput --peak [--threads T]         the FMA loop alone, one JSON object
//   trainer_throughput --table [--steps N] [--repeats R] [--threads T]
//       batch 256 and 64, fp32 and bf16, both schedules, R interleaved rounds: a table of medians
//       and min-max, so a neighbour's load hits every variant alike.
#include <fmt/format.h>
#include <immintrin.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "greentrain/tracker.hpp"
#include "greentrain/trainer/cpu_trainer.hpp"
#include "trainer/gemm_clock.hpp"

using namespace greentrain::trainer;
using greentrain::trainer::detail::GemmClock;

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
double fma_peak_gflops(int threads, long iterations = 20'000'000) {
  std::atomic<double> sink{0};
  auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&] { sink = sink + fma_loop(iterations); });
  for (auto& t : pool) t.join();
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return 2.0 * 16 * 24 * static_cast<double>(iterations) * threads / seconds / 1e9;
}

// Neighbours' load only ever lowers the loop's rate: the best of a few short runs.
double best_peak(int threads, int runs) {
  double best = 0;
  for (int r = 0; r < runs; ++r) best = std::max(best, fma_peak_gflops(threads, 5'000'000));
  return best;
}

std::string option(std::vector<std::string_view>& args, std::string_view name, std::string fallback) {
  auto it = std::find(args.begin(), args.end(), name);
  if (it == args.end() || it + 1 == args.end()) return fallback;
  return std::string(*(it + 1));
}

bool flag(std::vector<std::string_view>& args, std::string_view name) {
  return std::find(args.begin(), args.end(), name) != args.end();
}

const ModelSpec model{784, {{1024, Activation::relu, 0.0f}, {1024, Activation::relu, 0.0f}}, 10};

// GEMM flops per sample: forward and weight gradient for every layer, input gradient for all but
// the first.
double gemm_flops_per_sample() {
  double flops = 0, in = static_cast<double>(model.inputs);
  bool first = true;
  for (double out : {1024.0, 1024.0, static_cast<double>(model.classes)}) {
    flops += 2.0 * in * out * (first ? 2 : 3);
    first = false;
    in = out;
  }
  return flops;
}

Dataset synthetic(std::size_t samples) {
  Dataset data;
  data.feature_count = model.inputs;
  data.class_count = model.classes;
  data.features.resize(samples * model.inputs);
  for (std::size_t i = 0; i < data.features.size(); ++i)
    data.features[i] = static_cast<float>((i * 2654435761u) % 1000) / 1000.0f - 0.5f;
  for (std::size_t i = 0; i < samples; ++i) data.labels.push_back(static_cast<std::int32_t>(i % 10));
  return data;
}

struct Variant {
  std::size_t batch;
  Precision precision;
  Schedule schedule;
  std::unique_ptr<CpuTrainer> trainer;
  Dataset data;

  Variant(std::size_t b, Precision p, Schedule s, int threads, std::size_t steps)
      : batch(b), precision(p), schedule(s), data(synthetic(steps * b)) {
    TrainerConfig config;
    config.model = model;
    config.optimizer = {OptimizerKind::sgd_momentum, 0.01, 0.9, 0.9, 0.999, 1e-8, 0.0};
    config.batch_size = b;
    config.threads = threads;
    config.precision = p;
    config.thread_schedule = s;
    config.epochs = 1000;
    trainer = std::make_unique<CpuTrainer>(config);
    trainer->train_epoch(data);  // warm-up: first touch of buffers, oneDNN's kernel generation
  }
  std::string_view schedule_name() const { return schedule == Schedule::tbb_shards ? "tbb" : "onednn"; }
};

struct Sample {
  double samples_per_s = 0;
  double step_gflops = 0;  // GEMM flops over the whole step's time
  double gemm_gflops = 0;  // GEMM flops over the time inside the GEMM primitives
  double gemm_share = 0;   // of the step's wall time
  double joules_per_1000 = 0;
  std::string basis;
  bool degraded = false;
};

Sample timed_epoch(Variant& v, greentrain::EmissionsTracker& tracker, int threads) {
  auto task = tracker.task("epoch");
  GemmClock::reset();
  GemmClock::enable(true);
  auto s = v.trainer->train_epoch(v.data);
  GemmClock::enable(false);
  const greentrain::Emissions& e = task.stop();
  const double flops = gemm_flops_per_sample() * static_cast<double>(s.samples);
  const double gemm_wall = GemmClock::thread_seconds() / threads;
  Sample out;
  out.samples_per_s = s.samples_per_s;
  out.step_gflops = flops / s.duration.count() / 1e9;
  out.gemm_gflops = flops / gemm_wall / 1e9;
  out.gemm_share = gemm_wall / s.duration.count();
  out.joules_per_1000 = 1000.0 * greentrain::to_joules(e.energy).value / static_cast<double>(s.samples);
  out.basis = to_string(e.cpu.provenance.basis);
  out.degraded = e.degraded;
  return out;
}

greentrain::EmissionsTracker make_tracker() {
  return greentrain::EmissionsTracker({.project = "trainer_throughput",
                                       .interval = std::chrono::milliseconds(100),
                                       .mode = greentrain::TrackingMode::process,
                                       .write_csv = false,
                                       .write_json = false,
                                       .on_error = [](std::error_code, const std::string&) {}});
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

template <class Field>
std::vector<double> column(const std::vector<Sample>& samples, Field field) {
  std::vector<double> out;
  for (const auto& s : samples) out.push_back(field(s));
  return out;
}

std::string spread(const std::vector<double>& v, const char* format) {
  auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  return fmt::format(fmt::runtime(format), median(v), *lo, *hi);
}

int table(int threads, std::size_t steps, int rounds) {
  std::vector<Variant> variants;
  for (std::size_t b : {256, 64})
    for (Precision p : {Precision::fp32, Precision::bf16}) {
      if (p == Precision::bf16 && !cpu_supports_bf16()) continue;
      for (Schedule s : {Schedule::onednn_threads, Schedule::tbb_shards})
        variants.emplace_back(b, p, s, threads, steps);
    }
  auto tracker = make_tracker();
  std::vector<std::vector<Sample>> samples(variants.size());
  std::vector<double> peaks;
  for (int r = 0; r < rounds; ++r) {
    peaks.push_back(best_peak(threads, 3));
    for (std::size_t i = 0; i < variants.size(); ++i)
      samples[i].push_back(timed_epoch(variants[i], tracker, threads));
  }
  const double peak = *std::max_element(peaks.begin(), peaks.end());
  fmt::print("MLP 784-1024-1024-10, SGD momentum, {} threads, {} interleaved rounds of {} steps\n",
             threads, rounds, steps);
  fmt::print("fp32 FMA peak (AVX-512 FMA loop, this process): {:.0f} GFLOP/s (best run; median {:.0f})\n",
             peak, median(peaks));
  fmt::print("% peak: against the fp32 peak for fp32, twice it for bf16 (two products per lane)\n\n");
  const auto header = fmt::format("{:>5} {:<5} {:<7} {:>21} {:>21} {:>6} {:>21} {:>6} {:>9} {:>7}",
                                  "batch", "prec", "sched", "samples/s (min-max)",
                                  "step GFLOP/s", "%peak", "GEMM-part GFLOP/s", "%peak",
                                  "GEMM time", "J/1000");
  fmt::print("{}\n{}\n", header, std::string(header.size(), '-'));
  for (std::size_t i = 0; i < variants.size(); ++i) {
    const Variant& v = variants[i];
    const auto& s = samples[i];
    const double scale = v.precision == Precision::bf16 ? 2 * peak : peak;
    auto step = column(s, [](const Sample& x) { return x.step_gflops; });
    auto gemm = column(s, [](const Sample& x) { return x.gemm_gflops; });
    fmt::print("{:>5} {:<5} {:<7} {:>21} {:>21} {:>5.0f}% {:>21} {:>5.0f}% {:>8.0f}% {:>7.2f}\n",
               v.batch, to_string(v.precision), v.schedule_name(),
               spread(column(s, [](const Sample& x) { return x.samples_per_s; }), "{:.0f} ({:.0f}-{:.0f})"),
               spread(step, "{:.0f} ({:.0f}-{:.0f})"), 100 * median(step) / scale,
               spread(gemm, "{:.0f} ({:.0f}-{:.0f})"), 100 * median(gemm) / scale,
               100 * median(column(s, [](const Sample& x) { return x.gemm_share; })),
               median(column(s, [](const Sample& x) { return x.joules_per_1000; })));
  }
  fmt::print("\nstep GFLOP/s: GEMM flops / step time; GEMM-part: GEMM flops / time inside the GEMM "
             "primitives;\nGEMM time: that time's share of the step; J/1000: energy per 1000 samples "
             "({})\n", samples.front().front().basis);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string_view> args(argv + 1, argv + argc);
  int threads = std::stoi(option(args, "--threads", "2"));
  std::size_t steps = std::stoul(option(args, "--steps", "100"));
  int repeats = std::stoi(option(args, "--repeats", "3"));
  if (flag(args, "--peak")) {
    std::vector<double> runs;
    for (int r = 0; r < 5; ++r) runs.push_back(fma_peak_gflops(threads));
    std::sort(runs.begin(), runs.end());
    fmt::print("{{\"fma_peak_gflops\": {:.1f}, \"min\": {:.1f}, \"max\": {:.1f}, \"threads\": {}}}\n",
               runs[2], runs.front(), runs.back(), threads);
    return 0;
  }
  if (flag(args, "--table")) return table(threads, steps, repeats);
  Variant v(std::stoul(option(args, "--batch", "256")), parse_precision(option(args, "--precision", "fp32")),
            option(args, "--schedule", "onednn") == "tbb" ? Schedule::tbb_shards : Schedule::onednn_threads,
            threads, steps);
  const double peak = best_peak(threads, 3);
  auto tracker = make_tracker();
  for (int r = 0; r < repeats; ++r) {
    Sample s = timed_epoch(v, tracker, threads);
    fmt::print("{{\"samples_per_s\": {:.1f}, \"gemm_gflops\": {:.1f}, \"gemm_part_gflops\": {:.1f}, "
               "\"gemm_time_share\": {:.3f}, \"fma_peak_gflops\": {:.1f}, \"batch\": {}, \"threads\": {}, "
               "\"precision\": \"{}\", \"schedule\": \"{}\", \"energy_j_per_1000\": {:.3f}, "
               "\"energy_basis\": \"{}\", \"energy_degraded\": {}}}\n",
               s.samples_per_s, s.step_gflops, s.gemm_gflops, s.gemm_share, peak, v.batch,
               v.trainer->threads(), to_string(v.precision), v.schedule_name(), s.joules_per_1000,
               s.basis, s.degraded);
  }
  return 0;
}
