// `greentrain train`: Fashion-MNIST (or any IDX/CSV data) on an MLP with the CpuTrainer.
#include <fmt/format.h>
#include <fmt/std.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "../args.hpp"
#include "../command.hpp"
#include "../config_flags.hpp"
#include "../location_options.hpp"
#include "greentrain/error.hpp"
#include "greentrain/outputs/json.hpp"
#include "greentrain/report.hpp"
#include "greentrain/summary.hpp"
#include "greentrain/tracker.hpp"
#include "greentrain/trainer/cpu_trainer.hpp"
#include "greentrain/trainer/csv_reader.hpp"
#include "greentrain/trainer/idx_reader.hpp"
#include "greentrain/trainer/run_forecast.hpp"
#include "greentrain/trainer/tracked_training.hpp"

namespace greentrain::cli {
namespace {

using namespace greentrain::trainer;

constexpr std::string_view default_data_dir = "/usr/share/datasets/fashion-mnist";

// One line, redrawn at most a few times a second, on a terminal only; the epoch log shows each
// epoch's energy and emissions from the tracker's task for it.
class ProgressBar : public TrainingObserver {
 public:
  ProgressBar(std::size_t epochs, bool enabled, EmissionsTracker& tracker)
      : epochs_(epochs), enabled_(enabled), tracker_(tracker), tracked_(tracker, this) {}

  // What the trainer observes: the tracker first, then this bar.
  TrainingObserver* observer() { return &tracked_; }

  std::optional<Joules> energy_so_far() const override { return tracked_.energy_so_far(); }

  void on_batch_end(const BatchProgress& p) override {
    auto now = std::chrono::steady_clock::now();
    if (!enabled_ || (p.batch != p.batches && now - last_draw_ < std::chrono::milliseconds(250))) return;
    last_draw_ = now;
    constexpr std::size_t width = 30;
    std::size_t filled = p.batch * width / p.batches;
    std::string bar(filled, '#');
    bar.resize(width, '.');
    std::string energy;
    if (auto e = energy_so_far()) energy = fmt::format("  {:.1f} J", e->value);
    fmt::print(stderr, "\repoch {}/{} [{}] batch {}/{}  loss {:.4f}  {:.0f} samples/s{}", p.epoch + 1,
               epochs_, bar, p.batch, p.batches, p.mean_loss, p.samples_per_s, energy);
  }

  void on_epoch_end(const EpochSummary& s) override {
    if (enabled_) fmt::print(stderr, "\n");
    std::string validation;
    if (s.validation_accuracy)
      validation = fmt::format("  validation loss {:.4f} accuracy {:.4f}", *s.validation_loss,
                               *s.validation_accuracy);
    std::string emitted;
    if (!tracked_.epochs().empty()) {
      const Emissions& e = tracked_.epochs().back();
      emitted = fmt::format("  {:.0f} J  {:.3g} g CO2e ({})", to_joules(e.energy).value,
                            e.emissions.value, to_string(e.cpu.provenance.basis));
    }
    fmt::print(stderr, "epoch {}: train loss {:.4f} accuracy {:.4f}{}  {:.0f} samples/s  {:.1f} s{}\n",
               s.epoch + 1, s.train_loss, s.train_accuracy, validation, s.samples_per_s,
               s.duration.count(), emitted);
    epochs_log_.push_back(s);
    if (epochs_log_.size() == 1 && epochs_ > 1) {
      first_forecast_ = forecast_run(epochs_log_, epochs_);
      std::string energy;
      if (first_forecast_->energy) {
        GramsPerKwh intensity = tracker_.snapshot().total.mean_intensity;
        energy = fmt::format(", {:.0f} J, {:.3g} g CO2e", first_forecast_->energy->value,
                             (to_kwh(*first_forecast_->energy) * intensity).value);
      }
      fmt::print(stderr, "forecast for {} epochs: {:.1f} s{}\n", epochs_,
                 first_forecast_->duration.count(), energy);
    }
  }

  // The forecast made after the first epoch beside what happened.
  void print_forecast_against_actual() const {
    if (!first_forecast_) return;
    double actual = 0;
    for (const auto& e : epochs_log_) actual += e.duration.count();
    std::string energy;
    if (first_forecast_->energy && !epochs_log_.empty() && epochs_log_.back().energy)
      energy = fmt::format("; energy forecast {:.0f} J, actual {:.0f} J",
                           first_forecast_->energy->value, epochs_log_.back().energy->value);
    fmt::print(stderr, "forecast after epoch 1: {:.1f} s; actual: {:.1f} s{}\n",
               first_forecast_->duration.count(), actual, energy);
  }

  const std::optional<RunForecast>& forecast() const { return first_forecast_; }

  const std::vector<EpochSummary>& epochs() const { return epochs_log_; }

 private:
  std::size_t epochs_;
  bool enabled_;
  std::chrono::steady_clock::time_point last_draw_{};
  std::vector<EpochSummary> epochs_log_;
  std::optional<RunForecast> first_forecast_;
  EmissionsTracker& tracker_;
  TrackedTraining tracked_;
};

struct LoadedData {
  Dataset train, validation, test;
};

LoadedData load(const Args& args) {
  std::filesystem::path dir = args.get_or("data", std::string(default_data_dir));
  LoadedData d;
  if (auto csv = args.get("train-csv")) {
    d.train = read_csv(*csv, {.header = args.flag("csv-header")});
    auto test = args.get("test-csv");
    if (!test) throw error(errc::invalid_argument, "--train-csv needs --test-csv too");
    d.test = read_csv(*test, {.class_count = d.train.class_count, .header = args.flag("csv-header")});
  } else {
    d.train = load_mnist_format(dir, MnistPart::train);
    d.test = load_mnist_format(dir, MnistPart::test);
  }
  double validation = args.number("validation", 0.0);
  auto seed = static_cast<std::uint64_t>(args.number("seed", 1));
  if (validation > 0.0) {
    auto parts = split(d.train, validation, seed);
    d.train = std::move(parts.train);
    d.validation = std::move(parts.validation);
  }
  // Pixel data (0..255) is scaled to 0..1 first; the statistics come from the training set only.
  bool pixels = !args.get("train-csv");
  auto n = fit_normalisation(d.train, pixels ? 1.0f / 255.0f : 1.0f);
  for (Dataset* set : {&d.train, &d.validation, &d.test})
    if (set->size()) normalise(*set, n);
  return d;
}

TrainerConfig configure(const Args& args, const Dataset& train) {
  TrainerConfig c;
  Activation activation = args.get_or("activation", "relu") == "gelu" ? Activation::gelu : Activation::relu;
  c.model.inputs = train.feature_count;
  c.model.classes = train.class_count;
  c.model.hidden = parse_hidden_layers(args.get_or("layers", "1024,1024"), activation,
                                       static_cast<float>(args.number("dropout", 0.0)));
  c.epochs = static_cast<std::size_t>(args.number("epochs", 10));
  c.batch_size = static_cast<std::size_t>(args.number("batch", 256));
  c.precision = parse_precision(args.get_or("precision", "fp32"));
  c.threads = static_cast<int>(args.number("threads", 0));
  c.seed = static_cast<std::uint64_t>(args.number("seed", 1));
  auto schedule = args.get_or("thread-schedule", "tbb");
  if (schedule != "onednn" && schedule != "tbb")
    throw error(errc::invalid_argument, "--thread-schedule: expected onednn or tbb");
  c.thread_schedule = schedule == "tbb" ? Schedule::tbb_shards : Schedule::onednn_threads;
  auto optimizer = args.get_or("optimizer", "sgd");
  if (optimizer != "sgd" && optimizer != "adamw")
    throw error(errc::invalid_argument, "--optimizer: expected sgd or adamw");
  c.optimizer.kind = optimizer == "adamw" ? OptimizerKind::adamw : OptimizerKind::sgd_momentum;
  c.optimizer.learning_rate = args.number("lr", optimizer == "adamw" ? 1e-3 : 0.05);
  c.optimizer.weight_decay = args.number("weight-decay", optimizer == "adamw" ? 0.01 : 5e-4);
  auto lr_schedule = args.get_or("lr-schedule", "cosine");
  if (lr_schedule == "cosine") c.schedule.kind = ScheduleKind::cosine;
  else if (lr_schedule == "step") c.schedule = {ScheduleKind::step, 0, 0, 0.1, 0.0};
  else if (lr_schedule == "constant") c.schedule.kind = ScheduleKind::constant;
  else throw error(errc::invalid_argument, "--lr-schedule: expected cosine, step or constant");
  std::size_t batches_per_epoch = c.batch_size ? train.size() / c.batch_size : 0;
  c.schedule.warmup_steps = static_cast<std::size_t>(args.number("warmup-epochs", 0.0) *
                                                     static_cast<double>(batches_per_epoch));
  if (c.schedule.kind == ScheduleKind::step)
    c.schedule.step_every = std::max<std::size_t>(1, batches_per_epoch * c.epochs / 3);
  return c;
}

std::string forecast_json(const ProgressBar& log) {
  const auto& f = log.forecast();
  if (!f) return "null";
  return fmt::format("{{\"seconds\": {:.3f}, \"energy_j\": {}}}", f->duration.count(),
                     f->energy ? fmt::format("{:.3f}", f->energy->value) : "null");
}

std::string summary_json(const TrainerConfig& c, const Evaluation& test, const ProgressBar& log,
                         const RunResult& tracked, int threads) {
  double samples = 0, seconds = 0;
  std::string epochs;
  for (const auto& e : log.epochs()) {
    samples += static_cast<double>(e.samples);
    seconds += e.duration.count();
    epochs += fmt::format("{}{{\"epoch\": {}, \"train_loss\": {:.6f}, \"train_accuracy\": {:.6f}, "
                          "\"samples_per_s\": {:.1f}, \"seconds\": {:.3f}}}",
                          epochs.empty() ? "" : ", ", e.epoch + 1, e.train_loss, e.train_accuracy,
                          e.samples_per_s, e.duration.count());
  }
  return fmt::format(
      "{{\"model\": \"{}\", \"precision\": \"{}\", \"batch\": {}, \"threads\": {}, \"seed\": {}, "
      "\"test_accuracy\": {:.6f}, \"test_loss\": {:.6f}, "
      "\"samples_per_s\": {:.1f}, \"train_seconds\": {:.3f}, "
      "\"energy_per_1000_samples_j\": {:.3f}, \"forecast_after_epoch_1\": {}, \"epochs\": [{}], "
      "\"stopped_by_budget\": {}, \"emissions\": {}}}",
      c.model.describe(), to_string(c.precision), c.batch_size, threads, c.seed, test.accuracy,
      test.loss, seconds > 0 ? samples / seconds : 0.0, seconds,
      samples > 0 ? to_joules(tracked.total.energy).value * 1000 / samples : 0.0,
      forecast_json(log), epochs, !log.epochs().empty() && log.epochs().back().stopped,
      JsonOutput::to_json(tracked));
}

// --budget / --project-budget in kg CO2e; alerts at half, 80 % and all of each, on stderr.
std::optional<CarbonBudget> budget_options(const Args& args) {
  if (!args.get("budget") && !args.get("project-budget")) {
    if (args.flag("stop-at-budget"))
      throw error(errc::invalid_argument, "--stop-at-budget needs --budget or --project-budget");
    return std::nullopt;
  }
  CarbonBudget budget;
  if (args.get("budget")) budget.run = GramsCo2e{args.number("budget", 0) * 1000.0};
  if (args.get("project-budget"))
    budget.project = GramsCo2e{args.number("project-budget", 0) * 1000.0};
  budget.request_stop = args.flag("stop-at-budget");
  budget.on_alert = [](const BudgetAlert& alert) { fmt::print(stderr, "\n{}\n", describe(alert)); };
  return budget;
}

ReportExtras report_extras(const ProgressBar& log, const RunResult& tracked,
                           const BudgetStatus& budget) {
  ReportExtras extras;
  if (const auto& f = log.forecast()) {
    extras.prediction = Prediction{
        .made = fmt::format("by the trainer after epoch {} of {}", f->epochs_measured, f->epochs_total),
        .duration = f->duration};
    if (f->energy) extras.prediction->energy = to_kwh(*f->energy);
  }
  if (budget.run) extras.budget = budget.run->budget;
  if (budget.project) {
    extras.project_budget = budget.project->budget;
    extras.project_earlier = budget.project->used - tracked.total.emissions;
  }
  return extras;
}

void write_reports(const std::filesystem::path& dir, const RunResult& tracked,
                   const ReportExtras& extras) {
  for (auto [name, text] : {std::pair{"report.md", markdown_report(tracked, extras)},
                            std::pair{"report.html", html_report(tracked, extras)}}) {
    std::error_code ec;
    write_file_atomically(dir / name, text, ec);
    if (ec)
      fmt::print(stderr, "greentrain train: cannot write {} in {}: {}\n", name, dir, ec.message());
  }
}

int run_train(std::span<const std::string_view> raw) {
  Args args(raw,
            with_location_options(
                {"epochs", "batch", "layers", "precision", "threads", "data", "output-dir",
                 "seed", "optimizer", "lr", "weight-decay", "lr-schedule", "warmup-epochs",
                 "dropout", "activation", "validation", "thread-schedule", "train-csv",
                 "test-csv", "resume", "project", "pue", "intensity", "budget",
                 "project-budget", "interval", "serve"}),
            {"json", "csv-header", "no-progress", "stop-at-budget"});
  auto data = load(args);
  auto config = configure(args, data.train);
  CpuTrainer trainer(config);
  if (auto resume = args.get("resume")) trainer.load_checkpoint(*resume);
  fmt::print(stderr, "training {} ({}, batch {}, {} threads) on {} samples for {} epochs\n",
             config.model.describe(), to_string(config.precision), config.batch_size,
             trainer.threads(), data.train.size(), config.epochs);
  Config settings = load_config_with_flags([&](std::string_view f) { return args.get(f); });
  TrackerOptions tracking = tracker_options_from_config(settings);
  if (!settings.text("project")) tracking.project = "fashion-mnist";
  if (args.get("intensity")) tracking.intensity = GramsPerKwh{args.number("intensity", 0)};
  tracking.budget = budget_options(args);
  if (auto serve = args.get("serve")) add_server(tracking, *serve);
  EmissionsTracker tracker(tracking);

  ProgressBar progress(config.epochs, !args.flag("no-progress") && isatty(fileno(stderr)), tracker);
  trainer.fit(data.train, data.validation, progress.observer());
  progress.print_forecast_against_actual();
  bool stopped = !progress.epochs().empty() && progress.epochs().back().stopped;
  if (stopped)
    fmt::print(stderr, "training stopped after {} steps: the carbon budget is spent{}\n",
               trainer.step(),
               settings.text("output_dir")
                   ? "; --resume the checkpoint in the output folder to go on"
                   : "");
  auto test = trainer.evaluate(data.test);
  const RunResult& tracked = tracker.stop();
  fmt::print(stderr, "test accuracy {:.4f}  loss {:.4f} on {} samples\n", test.accuracy, test.loss,
             test.samples);
  fmt::print(stderr, "{}\n", summary(tracked));
  auto json = summary_json(config, test, progress, tracked, trainer.threads());
  if (auto out = settings.text("output_dir")) {
    trainer.save_checkpoint(std::filesystem::path(*out) / "model.gtckpt");
    std::error_code ec;
    write_file_atomically(std::filesystem::path(*out) / "train-summary.json", json + "\n", ec);
    if (ec)
      fmt::print(stderr, "greentrain train: cannot write train-summary.json in {}: {}\n", *out,
                 ec.message());
    write_reports(*out, tracked, report_extras(progress, tracked, tracker.budget_status()));
  }
  if (args.flag("json")) fmt::print("{}\n", json);
  return 0;
}

const Registration registration{{
    "train",
    "train an MLP on Fashion-MNIST (or IDX/CSV data) on the CPU",
    "greentrain train [--epochs N] [--batch B] [--layers 1024,1024] [--precision fp32|bf16]\n"
    "                 [--threads T] [--data DIR] [--output-dir D] [--seed S] [--json]\n"
    "                 [--zone Z | --country C | --cloud PROVIDER:REGION] [--pue X]\n"
    "                 [--intensity G_PER_KWH] [--project NAME]\n"
    "                 [--optimizer sgd|adamw] [--lr R] [--weight-decay W]\n"
    "                 [--lr-schedule cosine|step|constant] [--warmup-epochs E]\n"
    "                 [--activation relu|gelu] [--dropout P] [--validation FRACTION]\n"
    "                 [--thread-schedule tbb|onednn] [--train-csv F --test-csv F [--csv-header]]\n"
    "                 [--resume CHECKPOINT] [--no-progress]\n"
    "                 [--budget KG] [--project-budget KG] [--stop-at-budget] [--interval 1s]\n"
    "                 [--serve [ADDR:]PORT]\n"
    "  --budget, --project-budget  carbon budgets in kg CO2e (the project's counts its earlier\n"
    "      runs in the output folder's emissions.csv); alerts at 50, 80 and 100 %\n"
    "  --stop-at-budget  stop after the batch once a budget is spent (the tracker samples every\n"
    "      --interval), checkpoint and report\n"
    "  --serve  live metrics and dashboard at http://ADDR:PORT/ while training\n"
    "  With --output-dir: emissions.csv, the JSON result, train-summary.json, model.gtckpt,\n"
    "  report.md and report.html.",
    run_train,
}};

}  // namespace
}  // namespace greentrain::cli
