#include "greentrain/trainer/cpu_trainer.hpp"

#include <fmt/format.h>

#include <array>
#include <chrono>
#include <cstring>
#include <map>

#include "greentrain/error.hpp"
#include "greentrain/trainer/carbon_policy.hpp"
#include "trainer/blocked_weights.hpp"
#include "trainer/checkpoint.hpp"
#include "trainer/executor.hpp"
#include "trainer/optimizer_step.hpp"
#include "trainer/parameter_layout.hpp"
#include "trainer/rng.hpp"
#include "trainer/shard_net.hpp"
#include "trainer/weight_gradients.hpp"

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
  std::vector<float> gradients;  // of the whole batch; summed across ranks with data_parallel
  std::vector<float> row_major_parameters;  // what parameters() last returned
  ShardSlice rank_share{0, 0};   // this rank's part of each batch
  Precision precision;
  // Per precision, built when first used (a carbon policy may switch to bf16 mid-run): the shards
  // keep their activations in one batch-wide set, from which the weight gradients are taken.
  std::array<std::vector<std::unique_ptr<ShardNet>>, 2> train_nets;
  std::array<std::unique_ptr<BatchActivations>, 2> activations;
  std::array<std::unique_ptr<WeightGradients>, 2> weight_gradients;
  std::vector<std::map<std::pair<Precision, std::size_t>, std::unique_ptr<ShardNet>>> inference_nets;
  std::vector<UpdateRange> update_ranges;
  std::size_t epoch = 0;
  std::size_t step = 0;

  explicit Impl(TrainerConfig c)
      : config((check_config(c), std::move(c))), layout(config.model),
        executor(config.threads, config.thread_schedule, config.tbb_arena),
        parameters(layout.size), first_moment(layout.size), precision(config.precision) {
    if (config.optimizer.kind == OptimizerKind::adamw) second_moment.resize(layout.size);
    // Blocked weights spare the GEMMs a repacking of the weights on every call, in fp32 and bf16.
    choose_blocked_weights(layout, cpu_supports_bf16());
    initialise(layout, parameters, config.seed);
    to_blocked(layout, parameters);
    if (cpu_supports_bf16()) parameters_bf16.resize(layout.size);
    refresh_bf16();
    for (const auto& layer : layout.layers) {
      update_ranges.push_back({layer.weight_offset, layer.bias_offset, true});
      update_ranges.push_back({layer.bias_offset, layer.bias_offset + layer.outputs, false});
    }
    std::size_t shards = executor.shards();
    std::size_t ranks = config.data_parallel ? static_cast<std::size_t>(config.data_parallel->size()) : 1;
    std::size_t rank = config.data_parallel ? static_cast<std::size_t>(config.data_parallel->rank()) : 0;
    if (config.batch_size < shards * ranks)
      throw error(errc::invalid_argument,
                  fmt::format("batch {} is smaller than the {} threads x {} ranks: use a batch of at "
                              "least {}",
                              config.batch_size, shards, ranks, shards * ranks));
    rank_share = shard_slice(config.batch_size, ranks, rank);
    gradients.assign(layout.size, 0.0f);
    inference_nets.resize(shards);
    executor.run([&] { build_train_nets(); });
  }

  bool bf16() const { return precision == Precision::bf16; }
  std::size_t precision_index() const { return static_cast<std::size_t>(precision); }
  auto& current_train_nets() { return train_nets[precision_index()]; }

  void refresh_bf16() {
    if (!parameters_bf16.empty()) to_bf16_copy(layout, parameters, parameters_bf16);
  }

  // A parameter-shaped array (parameters or a moment) as checkpoints and callers see it.
  std::vector<float> row_major_copy(const std::vector<float>& values) const {
    std::vector<float> copy = values;
    to_row_major(layout, copy);
    return copy;
  }

  // The layer whose blocked weights hold `range`, or null.
  const DenseShape* blocked_layer(UpdateRange range) const {
    for (const auto& s : layout.layers)
      if (s.blocked() && range.begin >= s.weight_offset && range.end <= s.bias_offset) return &s;
    return nullptr;
  }

  // One piece of the update, `gradient` pointing at the range's first value (row-major).
  void update_range(double rate, const OptimizerState& state, UpdateRange range,
                    const float* gradient) {
    if (const DenseShape* s = blocked_layer(range)) {
      update_blocked(config.optimizer, rate, step, state, gradient, *s,
                     (range.begin - s->weight_offset) / s->outputs,
                     (range.end - range.begin) / s->outputs);
      return;
    }
    update(config.optimizer, rate, step, state, gradient, range);
  }

  ShardBuffers buffers(float* grads) const {
    return {parameters.data(), bf16() ? parameters_bf16.data() : nullptr, grads};
  }

  // For the current precision. Inside executor.run, where OpenMP is already set to the schedule's
  // team size, since oneDNN sizes its kernels for the team at creation.
  void build_train_nets() {
    auto& nets = current_train_nets();
    if (!nets.empty()) return;
    const std::size_t shards = executor.shards();
    auto& batch = activations[precision_index()];
    batch = std::make_unique<BatchActivations>(layout, rank_share.size, precision);
    nets.resize(shards);
    executor.for_each_shard([&](std::size_t s) {
      auto slice = shard_slice(rank_share.size, shards, s);
      ShardBuffers shard = buffers(nullptr);
      shard.batch = batch.get();
      shard.first_row = slice.first;
      nets[s] = std::make_unique<ShardNet>(layout, slice.size, precision, shard);
    });
    weight_gradients[precision_index()] = std::make_unique<WeightGradients>(
        layout, *batch, precision, update_in_parts() ? nullptr : gradients.data(), shards);
  }

  // Inside executor.run.
  void switch_precision(Precision next) {
    if (next == precision) return;
    precision = next;
    if (bf16()) refresh_bf16();  // the master weights moved on while in fp32
    build_train_nets();
  }

  ShardNet& inference_net(std::size_t s, std::size_t batch) {
    auto& slot = inference_nets[s][{precision, batch}];
    if (!slot) slot = std::make_unique<ShardNet>(layout, batch, precision, buffers(nullptr));
    return *slot;
  }

  static void gather(ShardNet& net, const Dataset& data, const std::size_t* rows) {
    const std::size_t width = data.feature_count;
    for (std::size_t r = 0; r < net.batch(); ++r) {
      std::memcpy(net.input() + r * width, data.row(rows[r]), width * sizeof(float));
      net.labels()[r] = data.labels[rows[r]];
    }
  }

  // With several shards and one rank, each thread takes a part of the weight gradients and updates
  // its pieces as they come, while they are in cache; across ranks the whole gradient is summed
  // first.
  bool update_in_parts() const { return executor.shards() > 1 && !config.data_parallel; }

  void apply_update(std::size_t total_steps) {
    double rate = config.schedule.rate_at(config.optimizer.learning_rate, step, total_steps);
    ++step;
    OptimizerState state{parameters, first_moment, second_moment,
                         bf16() ? std::span<std::uint16_t>(parameters_bf16) : std::span<std::uint16_t>()};
    std::array<float*, 1> shard_gradients{gradients.data()};
    WeightGradients& weights = *weight_gradients[precision_index()];
    if (update_in_parts()) {
      executor.for_each_shard([&](std::size_t part) {
        weights.compute(part, [&](UpdateRange range, const float* gradient) {
          update_range(rate, state, range, gradient);
        });
      });
      return;
    }
    executor.for_each_shard([&](std::size_t part) { weights.compute(part); });
    if (config.data_parallel) config.data_parallel->sum(gradients);
    executor.for_each_slice([&](std::size_t slice, std::size_t slices) {
      for (const auto& range : update_ranges) {
        // A blocked layer by pairs of rows: a row's runs and the bf16 copy's pairs stay whole.
        if (const DenseShape* s = blocked_layer(range)) {
          std::size_t per = (s->inputs + 2 * slices - 1) / (2 * slices) * 2;
          std::size_t first = std::min(slice * per, s->inputs);
          std::size_t rows = std::min(per, s->inputs - first);
          if (rows > 0)
            update_blocked(config.optimizer, rate, step, state,
                           gradients.data() + range.begin + first * s->outputs, *s, first, rows);
          continue;
        }
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

  // Every rank must stop after the same batch, or the others wait for it forever.
  bool stop_requested(const TrainingObserver* observer) {
    double requested = observer && observer->stop_requested() ? 1.0 : 0.0;
    if (config.data_parallel) config.data_parallel->sum(std::span<double>(&requested, 1));
    return requested > 0.0;
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
    const std::size_t shards = executor.shards();
    // Resuming from a checkpoint taken mid-epoch (a policy pause): skip the batches already done.
    const std::size_t first_batch = step > epoch * batches ? std::min(step - epoch * batches, batches) : 0;
    std::vector<ShardResult> results(shards);
    double loss_sum = 0.0;
    std::size_t correct = 0;
    std::size_t done_batches = first_batch;
    bool stop = false;
    auto start = Clock::now();
    executor.run([&] {
      for (std::size_t batch = first_batch; batch < batches; ++batch) {
        if (config.carbon_policy) {
          auto next = config.carbon_policy->before_batch(config.precision, [&] {
            bool writer = !config.data_parallel || config.data_parallel->writes_outputs();
            if (writer && !config.pause_checkpoint.empty()) save(config.pause_checkpoint);
          });
          switch_precision(next);
        }
        executor.for_each_shard([&](std::size_t s) {
          auto slice = shard_slice(rank_share.size, shards, s);
          std::size_t first = batch * b + rank_share.first + slice.first;
          ShardNet& net = *current_train_nets()[s];
          gather(net, data, order.data() + first);
          results[s] = net.forward(true, {config.seed, step, first});
          net.backward(1.0f / static_cast<float>(b));
        });
        apply_update(total_steps);
        done_batches = batch + 1;
        std::array<double, 2> batch_totals{};
        for (const auto& r : results) {
          batch_totals[0] += r.loss_sum;
          batch_totals[1] += static_cast<double>(r.correct);
        }
        if (config.data_parallel) config.data_parallel->sum(batch_totals);
        loss_sum += batch_totals[0];
        correct += static_cast<std::size_t>(batch_totals[1]);
        if (observer) {
          double seconds = std::chrono::duration<double>(Clock::now() - start).count();
          double done = static_cast<double>((batch + 1 - first_batch) * b);
          observer->on_batch_end({epoch, batch + 1, batches, loss_sum / done,
                                  seconds > 0 ? done / seconds : 0.0});
        }
        if (stop_requested(observer)) {
          stop = true;
          break;
        }
      }
    });
    Seconds duration = Clock::now() - start;
    EpochSummary summary;
    summary.stopped = stop;
    summary.epoch = epoch;
    if (done_batches == batches) ++epoch;
    summary.samples = (done_batches - first_batch) * b;
    summary.train_loss = loss_sum / static_cast<double>(summary.samples);
    summary.train_accuracy = static_cast<double>(correct) / static_cast<double>(summary.samples);
    summary.duration = duration;
    summary.samples_per_s = static_cast<double>(summary.samples) / duration.count();
    return summary;
  }

  void save(const std::filesystem::path& file) const {
    write_checkpoint(file, {config.model, config.optimizer.kind, epoch, step, config.seed,
                            config.batch_size, row_major_copy(parameters),
                            row_major_copy(first_moment), row_major_copy(second_moment)});
  }

  Evaluation evaluate(const Dataset& data) {
    check_dataset(data, config.model);
    const std::size_t chunk = std::max<std::size_t>(config.batch_size, 256);
    const std::size_t chunks = (data.size() + chunk - 1) / chunk;
    std::vector<ShardResult> results(chunks);
    std::vector<std::size_t> rows(data.size());
    for (std::size_t i = 0; i < rows.size(); ++i) rows[i] = i;
    const std::size_t shards = executor.shards();
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
    if (validation.size() > 0 && !summary.stopped) {
      auto e = impl_->evaluate(validation);
      summary.validation_loss = e.loss;
      summary.validation_accuracy = e.accuracy;
    }
    if (observer) {
      summary.energy = observer->energy_so_far();
      observer->on_epoch_end(summary);
    }
    if (summary.stopped) return;
  }
}

Evaluation CpuTrainer::evaluate(const Dataset& data) { return impl_->evaluate(data); }
std::size_t CpuTrainer::epoch() const { return impl_->epoch; }
std::size_t CpuTrainer::step() const { return impl_->step; }
const TrainerConfig& CpuTrainer::config() const { return impl_->config; }
Precision CpuTrainer::precision() const { return impl_->precision; }
int CpuTrainer::threads() const { return impl_->executor.threads(); }
std::span<const float> CpuTrainer::parameters() const {
  impl_->row_major_parameters = impl_->row_major_copy(impl_->parameters);
  return impl_->row_major_parameters;
}

void CpuTrainer::save_checkpoint(const std::filesystem::path& file) const { impl_->save(file); }

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
  for (auto* values : {&t.parameters, &t.first_moment, &t.second_moment})
    to_blocked(t.layout, *values);
  t.epoch = data.epoch;
  t.step = data.step;
  t.config.seed = data.seed;
  t.refresh_bf16();
}

}  // namespace greentrain::trainer
