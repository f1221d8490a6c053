#include "greentrain/trainer/cpu_trainer.hpp"

#include <fmt/format.h>

#include <chrono>
#include <cstring>
#include <map>

#include "greentrain/error.hpp"
#include "trainer/bf16.hpp"
#include "trainer/checkpoint.hpp"
#include "trainer/executor.hpp"
#include "trainer/optimizer_step.hpp"
#include "trainer/parameter_layout.hpp"
#include "trainer/rng.hpp"
#include "trainer/shard_net.hpp"

namespace greentrain::trainer {

using namespace detail;

namespace {

void check_config(const TrainerConfig& c) {
  if (c.batch_size == 0) throw error(errc::invalid_argument, "the batch size must be at least 1");
  if (c.optimizer.learning_rate <= 0.0)
    throw error(errc::invalid_argument, "the learning rate must be positive");
  if (c.precision == Precision::bf16 && !cpu_supports_bf16())
    throw error(errc::unsupported,
                "bf16 needs a CPU with AVX512_BF16 or AMX-BF16, and this one has neither: use "
                "--precision fp32");
}

void check_dataset(const Dataset& data, const ModelSpec& model) {
  if (data.feature_count != model.inputs || data.class_count > model.classes)
    throw error(errc::invalid_argument,
                fmt::format("the dataset has {} features and {} classes but the model {} expects {} "
                            "and at most {}",
                            data.feature_count, data.class_count, model.describe(), model.inputs,
                            model.classes));
}

// Shard s of a batch of b samples split n ways: [first, first + size).
struct ShardSlice {
  std::size_t first;
  std::size_t size;
};
ShardSlice shard_slice(std::size_t b, std::size_t n, std::size_t s) {
  std::size_t base = b / n, extra = b % n;
  return {s * base + std::min(s, extra), base + (s < extra ? 1 : 0)};
}

using Clock = std::chrono::steady_clock;

}  // namespace

struct CpuTrainer::Impl {
  TrainerConfig config;
  ParameterLayout layout;
  Executor executor;
  std::vector<float> parameters;
  std::vector<std::uint16_t> parameters_bf16;
  std::vector<float> first_moment, second_moment;
  std::vector<std::vector<float>> gradients;  // one buffer per shard
  std::vector<std::unique_ptr<ShardNet>> train_nets;
  std::vector<std::map<std::size_t, std::unique_ptr<ShardNet>>> inference_nets;
  std::vector<UpdateRange> update_ranges;
  std::size_t epoch = 0;
  std::size_t step = 0;

  explicit Impl(TrainerConfig c)
      : config((check_config(c), std::move(c))), layout(config.model),
        executor(config.threads, config.thread_schedule, config.tbb_arena),
        parameters(layout.size), first_moment(layout.size) {
    if (config.optimizer.kind == OptimizerKind::adamw) second_moment.resize(layout.size);
    initialise(layout, parameters, config.seed);
    if (bf16()) parameters_bf16.resize(layout.size);
    refresh_bf16();
    for (const auto& layer : layout.layers) {
      update_ranges.push_back({layer.weight_offset, layer.bias_offset, true});
      update_ranges.push_back({layer.bias_offset, layer.bias_offset + layer.outputs, false});
    }
    std::size_t shards = executor.shards();
    if (config.batch_size < shards)
      throw error(errc::invalid_argument,
                  fmt::format("batch {} is smaller than the {} threads: use a batch of at least {}",
                              config.batch_size, shards, shards));
    gradients.resize(shards);
    train_nets.resize(shards);
    inference_nets.resize(shards);
    executor.run([&] {
      executor.for_each_shard([&](std::size_t s) { build_train_net(s); });
    });
  }

  bool bf16() const { return config.precision == Precision::bf16; }

  void refresh_bf16() {
    for (std::size_t i = 0; i < parameters_bf16.size(); ++i) parameters_bf16[i] = to_bf16(parameters[i]);
  }

  ShardBuffers buffers(float* grads) const {
    return {parameters.data(), bf16() ? parameters_bf16.data() : nullptr, grads};
  }

  // Called on the thread that will run the shard, so oneDNN sizes its kernels for that thread.
  void build_train_net(std::size_t s) {
    gradients[s].assign(layout.size, 0.0f);
    auto slice = shard_slice(config.batch_size, gradients.size(), s);
    train_nets[s] = std::make_unique<ShardNet>(layout, slice.size, config.precision,
                                               buffers(gradients[s].data()));
  }

  ShardNet& inference_net(std::size_t s, std::size_t batch) {
    auto& slot = inference_nets[s][batch];
    if (!slot) slot = std::make_unique<ShardNet>(layout, batch, config.precision, buffers(nullptr));
    return *slot;
  }

  static void gather(ShardNet& net, const Dataset& data, const std::size_t* rows) {
    const std::size_t width = data.feature_count;
    for (std::size_t r = 0; r < net.batch(); ++r) {
      std::memcpy(net.input() + r * width, data.row(rows[r]), width * sizeof(float));
      net.labels()[r] = data.labels[rows[r]];
    }
  }

  void apply_update(std::size_t total_steps) {
    double rate = config.schedule.rate_at(config.optimizer.learning_rate, step, total_steps);
    ++step;
    OptimizerState state{parameters, first_moment, second_moment, parameters_bf16};
    std::vector<const float*> shard_gradients;
    for (const auto& g : gradients) shard_gradients.push_back(g.data());
    executor.for_each_slice([&](std::size_t slice, std::size_t slices) {
      for (const auto& range : update_ranges) {
        std::size_t n = range.end - range.begin;
        // Slices aligned to 16 floats: no two threads write one cache line.
        std::size_t per = (n / slices + 15) / 16 * 16;
        std::size_t begin = std::min(range.begin + slice * per, range.end);
        std::size_t end = std::min(begin + per, range.end);
        if (slice + 1 == slices) end = range.end;
        if (begin < end) update(config.optimizer, rate, step, state, shard_gradients, {begin, end, range.decay});
      }
    });
  }

  EpochSummary train_epoch(const Dataset& data, TrainingObserver* observer) {
    check_dataset(data, config.model);
    const std::size_t b = config.batch_size;
    const std::size_t batches = data.size() / b;
    if (batches == 0)
      throw error(errc::invalid_argument,
                  fmt::format("{} samples make no full batch of {}: use a smaller batch",
                              data.size(), b));
    const std::size_t total_steps = batches * std::max(config.epochs, epoch + 1);
    auto order = permutation(data.size(), config.seed ^ mix(epoch), shuffle_stream);
    const std::size_t shards = gradients.size();
    std::vector<ShardResult> results(shards);
    double loss_sum = 0.0;
    std::size_t correct = 0;
    auto start = Clock::now();
    executor.run([&] {
      for (std::size_t batch = 0; batch < batches; ++batch) {
        executor.for_each_shard([&](std::size_t s) {
          auto slice = shard_slice(b, shards, s);
          std::size_t first = batch * b + slice.first;
          ShardNet& net = *train_nets[s];
          gather(net, data, order.data() + first);
          results[s] = net.forward(true, {config.seed, step, first});
          net.backward(1.0f / static_cast<float>(b));
        });
        apply_update(total_steps);
        for (const auto& r : results) {
          loss_sum += r.loss_sum;
          correct += r.correct;
        }
        if (observer) {
          double seconds = std::chrono::duration<double>(Clock::now() - start).count();
          double done = static_cast<double>((batch + 1) * b);
          observer->on_batch_end({epoch, batch + 1, batches, loss_sum / done,
                                  seconds > 0 ? done / seconds : 0.0});
        }
      }
    });
    Seconds duration = Clock::now() - start;
    ++epoch;
    EpochSummary summary;
    summary.epoch = epoch - 1;
    summary.samples = batches * b;
    summary.train_loss = loss_sum / static_cast<double>(summary.samples);
    summary.train_accuracy = static_cast<double>(correct) / static_cast<double>(summary.samples);
    summary.duration = duration;
    summary.samples_per_s = static_cast<double>(summary.samples) / duration.count();
    return summary;
  }

  Evaluation evaluate(const Dataset& data) {
    check_dataset(data, config.model);
    const std::size_t chunk = std::max<std::size_t>(config.batch_size, 256);
    const std::size_t chunks = (data.size() + chunk - 1) / chunk;
    std::vector<ShardResult> results(chunks);
    std::vector<std::size_t> rows(data.size());
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = i;
    const std::size_t shards = gradients.size();
    executor.run([&] {
      executor.for_each_shard([&](std::size_t s) {
        for (std::size_t c = s; c < chunks; c += shards) {
          std::size_t first = c * chunk;
          ShardNet& net = inference_net(s, std::min(chunk, data.size() - first));
          gather(net, data, rows.data() + first);
          results[c] = net.forward(false);
        }
      });
    });
    Evaluation e;
    e.samples = data.size();
    std::size_t correct = 0;
    for (const auto& r : results) {
      e.loss += r.loss_sum;
      correct += r.correct;
    }
    if (e.samples) {
      e.loss /= static_cast<double>(e.samples);
      e.accuracy = static_cast<double>(correct) / static_cast<double>(e.samples);
    }
    return e;
  }
};

CpuTrainer::CpuTrainer(TrainerConfig config) : impl_(std::make_unique<Impl>(std::move(config))) {}
CpuTrainer::~CpuTrainer() = default;
CpuTrainer::CpuTrainer(CpuTrainer&&) noexcept = default;
CpuTrainer& CpuTrainer::operator=(CpuTrainer&&) noexcept = default;

EpochSummary CpuTrainer::train_epoch(const Dataset& data, TrainingObserver* observer) {
  if (observer) observer->on_epoch_begin(impl_->epoch);
  auto summary = impl_->train_epoch(data, observer);
  if (observer) {
    summary.energy = observer->energy_so_far();
    observer->on_epoch_end(summary);
  }
  return summary;
}

void CpuTrainer::fit(const Dataset& train, const Dataset& validation, TrainingObserver* observer) {
  while (impl_->epoch < impl_->config.epochs) {
    if (observer) observer->on_epoch_begin(impl_->epoch);
    auto summary = impl_->train_epoch(train, observer);
    if (validation.size() > 0) {
      auto e = impl_->evaluate(validation);
      summary.validation_loss = e.loss;
      summary.validation_accuracy = e.accuracy;
    }
    if (observer) {
      summary.energy = observer->energy_so_far();
      observer->on_epoch_end(summary);
    }
  }
}

Evaluation CpuTrainer::evaluate(const Dataset& data) { return impl_->evaluate(data); }
std::size_t CpuTrainer::epoch() const { return impl_->epoch; }
std::size_t CpuTrainer::step() const { return impl_->step; }
const TrainerConfig& CpuTrainer::config() const { return impl_->config; }
int CpuTrainer::threads() const { return impl_->executor.threads(); }
std::span<const float> CpuTrainer::parameters() const { return impl_->parameters; }

void CpuTrainer::save_checkpoint(const std::filesystem::path& file) const {
  const Impl& t = *impl_;
  write_checkpoint(file, {t.config.model, t.config.optimizer.kind, t.epoch, t.step, t.config.seed,
                          t.config.batch_size, t.parameters, t.first_moment, t.second_moment});
}

void CpuTrainer::load_checkpoint(const std::filesystem::path& file) {
  Impl& t = *impl_;
  auto data = read_checkpoint(file);
  auto refuse = [&](const std::string& why) {
    return error(errc::corrupt_checkpoint, fmt::format("{}: {}", file.string(), why));
  };
  if (!(data.model == t.config.model))
    throw refuse(fmt::format("it holds model {} but this trainer has {}", data.model.describe(),
                             t.config.model.describe()));
  if (data.optimizer != t.config.optimizer.kind)
    throw refuse("it was written with another optimiser");
  if (data.parameters.size() != t.layout.size || data.first_moment.size() != t.first_moment.size() ||
      data.second_moment.size() != t.second_moment.size())
    throw refuse("its arrays do not match the model's parameter count");
  // Copied in place: the shard nets point into these arrays.
  std::copy(data.parameters.begin(), data.parameters.end(), t.parameters.begin());
  std::copy(data.first_moment.begin(), data.first_moment.end(), t.first_moment.begin());
  std::copy(data.second_moment.begin(), data.second_moment.end(), t.second_moment.begin());
  t.epoch = data.epoch;
  t.step = data.step;
  t.config.seed = data.seed;
  t.refresh_bf16();
}

}  // namespace greentrain::trainer
