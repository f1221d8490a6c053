// `greentrain train`: Fashion-MNIST (or any IDX/CSV data) on an MLP with the CpuTrainer.
#include <fmt/format.h>
#include <fmt/std.h>
#include <unistd.h>

#include <charconv>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <memory>

#include "../command.hpp"
#include "../json_text.hpp"
#include "../redacted_output.hpp"
#include "../tracking_options.hpp"
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
#include "interruption.hpp"

namespace greentrain::cli {
namespace {

using namespace greentrain::trainer;
using Json = nlohmann::ordered_json;

constexpr std::string_view default_data_dir = "/usr/share/datasets/fashion-mnist";
constexpr std::string_view default_layers = "1024,1024";

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
    cli::print(stderr, "\repoch {}/{} [{}] batch {}/{}  loss {:.4f}  {:.0f} samples/s{}", p.epoch + 1,
               epochs_, bar, p.batch, p.batches, p.mean_loss, p.samples_per_s, energy);
  }

  void on_epoch_end(const EpochSummary& s) override {
    if (enabled_) cli::print(stderr, "\n");
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
    cli::print(stderr, "epoch {}: train loss {:.4f} accuracy {:.4f}{}  {:.0f} samples/s  {:.1f} s{}\n",
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
      cli::print(stderr, "forecast for {} epochs: {:.1f} s{}\n", epochs_,
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
    cli::print(stderr, "forecast after epoch 1: {:.1f} s; actual: {:.1f} s{}\n",
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

struct TrainFlags {
  TrackingFlags tracking;
  std::size_t epochs = 10, batch = 256;
  std::optional<std::string> layers;  // default_layers
  Precision precision = Precision::fp32;
  int threads = 0;
  std::string data{default_data_dir};
  std::uint64_t seed = 1;
  OptimizerKind optimizer = OptimizerKind::sgd_momentum;
  std::optional<double> lr, weight_decay;
  ScheduleKind lr_schedule = ScheduleKind::cosine;
  double warmup_epochs = 0, dropout = 0, validation = 0;
  Activation activation = Activation::relu;
  Schedule thread_schedule = Schedule::tbb_shards;
  std::optional<std::string> train_csv, test_csv, resume, serve;
  std::optional<double> budget_kg, project_budget_kg;
  bool json = false, csv_header = false, no_progress = false, stop_at_budget = false;
};

struct LoadedData {
  Dataset train, validation, test;
};

LoadedData load(const TrainFlags& flags) {
  std::filesystem::path dir = flags.data;
  LoadedData d;
  if (flags.train_csv) {
    d.train = read_csv(*flags.train_csv, {.header = flags.csv_header});
    d.test =
        read_csv(*flags.test_csv, {.class_count = d.train.class_count, .header = flags.csv_header});
  } else {
    d.train = load_mnist_format(dir, MnistPart::train);
    d.test = load_mnist_format(dir, MnistPart::test);
  }
  if (flags.validation > 0.0) {
    auto parts = split(d.train, flags.validation, flags.seed);
    d.train = std::move(parts.train);
    d.validation = std::move(parts.validation);
  }
  // Pixel data (0..255) is scaled to 0..1 first; the statistics come from the training set only.
  bool pixels = !flags.train_csv;
  auto n = fit_normalisation(d.train, pixels ? 1.0f / 255.0f : 1.0f);
  for (Dataset* set : {&d.train, &d.validation, &d.test})
    if (set->size()) normalise(*set, n);
  return d;
}

TrainerConfig configure(const TrainFlags& flags, const Dataset& train) {
  TrainerConfig c;
  c.model.inputs = train.feature_count;
  c.model.classes = train.class_count;
  c.model.hidden = parse_hidden_layers(flags.layers.value_or(std::string(default_layers)),
                                       flags.activation, static_cast<float>(flags.dropout));
  c.epochs = flags.epochs;
  c.batch_size = flags.batch;
  c.precision = flags.precision;
  c.threads = flags.threads;
  c.seed = flags.seed;
  c.thread_schedule = flags.thread_schedule;
  bool adamw = flags.optimizer == OptimizerKind::adamw;
  c.optimizer.kind = flags.optimizer;
  c.optimizer.learning_rate = flags.lr.value_or(adamw ? 1e-3 : 0.05);
  c.optimizer.weight_decay = flags.weight_decay.value_or(adamw ? 0.01 : 5e-4);
  if (flags.lr_schedule == ScheduleKind::step)
    c.schedule = {ScheduleKind::step, 0, 0, 0.1, 0.0};
  else
    c.schedule.kind = flags.lr_schedule;
  std::size_t batches_per_epoch = c.batch_size ? train.size() / c.batch_size : 0;
  c.schedule.warmup_steps =
      static_cast<std::size_t>(flags.warmup_epochs * static_cast<double>(batches_per_epoch));
  if (c.schedule.kind == ScheduleKind::step)
    c.schedule.step_every = std::max<std::size_t>(1, batches_per_epoch * c.epochs / 3);
  return c;
}

Json forecast_json(const ProgressBar& log) {
  const auto& f = log.forecast();
  if (!f) return nullptr;
  return {{"seconds", json_figure<Json>(f->duration.count(), 3)},
          {"energy_j", f->energy ? json_figure<Json>(f->energy->value, 3) : Json(nullptr)}};
}

// `test` is empty when a signal ended the run: it was not evaluated, to write the rest sooner.
std::string summary_json(const TrainerConfig& c, const std::optional<Evaluation>& test,
                         const ProgressBar& log, const RunResult& tracked, int threads,
                         std::string_view interrupted_by) {
  double samples = 0, seconds = 0;
  Json epochs = Json::array();
  for (const auto& e : log.epochs()) {
    samples += static_cast<double>(e.samples);
    seconds += e.duration.count();
    epochs.push_back({{"epoch", e.epoch + 1},
                      {"train_loss", json_figure<Json>(e.train_loss, 6)},
                      {"train_accuracy", json_figure<Json>(e.train_accuracy, 6)},
                      {"samples_per_s", json_figure<Json>(e.samples_per_s, 1)},
                      {"seconds", json_figure<Json>(e.duration.count(), 3)}});
  }
  Json summary = {
      {"model", c.model.describe()},
      {"precision", to_string(c.precision)},
      {"batch", c.batch_size},
      {"threads", threads},
      {"seed", c.seed},
      {"test_accuracy", test ? json_figure<Json>(test->accuracy, 6) : Json(nullptr)},
      {"test_loss", test ? json_figure<Json>(test->loss, 6) : Json(nullptr)},
      {"samples_per_s", json_figure<Json>(seconds > 0 ? samples / seconds : 0.0, 1)},
      {"train_seconds", json_figure<Json>(seconds, 3)},
      {"energy_per_1000_samples_j",
       json_figure<Json>(samples > 0 ? to_joules(tracked.total.energy).value * 1000 / samples : 0.0,
                         3)},
      {"forecast_after_epoch_1", forecast_json(log)},
      {"epochs", std::move(epochs)},
      {"stopped_by_budget",
       interrupted_by.empty() && !log.epochs().empty() && log.epochs().back().stopped},
      {"interrupted_by", interrupted_by.empty() ? Json(nullptr) : Json(std::string(interrupted_by))},
      {"emissions", Json::parse(JsonOutput::to_json(tracked))}};
  return json_text(summary);
}

// --budget / --project-budget in kg CO2e; alerts at half, 80 % and all of each, on stderr.
std::optional<CarbonBudget> budget_options(const TrainFlags& flags) {
  if (!flags.budget_kg && !flags.project_budget_kg) {
    if (flags.stop_at_budget)
      throw error(errc::invalid_argument, "--stop-at-budget needs --budget or --project-budget");
    return std::nullopt;
  }
  CarbonBudget budget;
  if (flags.budget_kg) budget.run = GramsCo2e{*flags.budget_kg * 1000.0};
  if (flags.project_budget_kg) budget.project = GramsCo2e{*flags.project_budget_kg * 1000.0};
  budget.request_stop = flags.stop_at_budget;
  budget.on_alert = [](const BudgetAlert& alert) { cli::print(stderr, "\n{}\n", describe(alert)); };
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
    Interruption::Writing writing;
    std::error_code ec;
    write_file_atomically(dir / name, text, ec);
    if (ec)
      cli::print(stderr, "greentrain train: cannot write {} in {}: {}\n", name, dir, ec.message());
    else
      print_written(dir / name);
  }
}

int run_train(const TrainFlags& flags) {
  // Before the data loads: a signal from here on is a request to wrap up, not the end.
  Interruption interruption;
  auto data = load(flags);
  auto config = configure(flags, data.train);
  CpuTrainer trainer(config);
  if (flags.resume) trainer.load_checkpoint(*flags.resume);
  cli::print(stderr, "training {} ({}, batch {}, {} threads) on {} samples for {} epochs\n",
             config.model.describe(), to_string(config.precision), config.batch_size,
             trainer.threads(), data.train.size(), config.epochs);
  TrackerOptions tracking;
  Config settings = flags.tracking.apply_to(tracking);
  auto output_dir = settings.text("output_dir");
  tracking.budget = budget_options(flags);
  if (flags.serve) add_server(tracking, *flags.serve);
  EmissionsTracker tracker(tracking);
  interruption.attach(tracker);

  ProgressBar progress(config.epochs, !flags.no_progress && isatty(fileno(stderr)), tracker);
  if (!interruption.signal()) trainer.fit(data.train, data.validation, progress.observer());
  const bool interrupted = interruption.signal() != 0;
  std::optional<std::filesystem::path> out;
  if (output_dir) out = std::filesystem::path(*output_dir);
  // The checkpoint first: after a signal it is what the next run needs most.
  if (out) {
    Interruption::Writing writing;
    std::filesystem::create_directories(*out);
    trainer.save_checkpoint(*out / "model.gtckpt");
  }
  progress.print_forecast_against_actual();
  bool stopped = !progress.epochs().empty() && progress.epochs().back().stopped;
  if (interrupted)
    cli::print(stderr, "training interrupted by {} after {} steps{}\n", interruption.signal_name(),
               trainer.step(), out ? "" : "; without --output-dir no checkpoint is kept");
  else if (stopped)
    cli::print(stderr, "training stopped after {} steps: the carbon budget is spent{}\n",
               trainer.step(), out ? "; --resume the checkpoint in the output folder to go on" : "");
  std::optional<Evaluation> test;
  if (!interrupted) test = trainer.evaluate(data.test);
  const RunResult& tracked = [&]() -> const RunResult& {
    Interruption::Writing writing;  // emissions.csv, emissions_tasks.csv and the run's JSON
    return tracker.stop();
  }();
  interruption.detach();
  if (test)
    cli::print(stderr, "test accuracy {:.4f}  loss {:.4f} on {} samples\n", test->accuracy,
               test->loss, test->samples);
  cli::print(stderr, "{}\n", summary(tracked));
  print_written_files(tracking, tracked);
  auto json = summary_json(config, test, progress, tracked, trainer.threads(),
                           interrupted ? interruption.signal_name() : "");
  if (out) {
    print_written(*out / "model.gtckpt");
    std::error_code ec;
    {
      Interruption::Writing writing;
      write_file_atomically(*out / "train-summary.json", json + "\n", ec);
    }
    if (ec)
      cli::print(stderr, "greentrain train: cannot write train-summary.json in {}: {}\n",
                 out->string(), ec.message());
    else
      print_written(*out / "train-summary.json");
    write_reports(*out, tracked, report_extras(progress, tracked, tracker.budget_status()));
  }
  if (interrupted && out)
    cli::print(stderr, "to go on: the same command with --resume {}\n",
               (*out / "model.gtckpt").string());
  if (flags.json) cli::print("{}\n", json);
  return interrupted ? interruption.exit_status() : 0;
}

// "1024,1024": widths from 1 to 65536, each a layer.
std::string layers_check(const std::string& text) {
  std::size_t layers = 0;
  for (std::string_view rest = text;; ++layers) {
    auto field = rest.substr(0, rest.find(','));
    std::size_t width = 0;
    auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), width);
    if (ec != std::errc{} || end != field.data() + field.size() || width < 1 || width > 65536)
      return fmt::format(
          "got '{}'; expected layer widths from 1 to 65536 "
          "separated by commas, "
          "like 1024,1024",
          text);
    if (field.size() == rest.size()) break;
    rest.remove_prefix(field.size() + 1);
  }
  return layers < 64 ? "" : fmt::format("got '{}'; expected at most 64 layers", text);
}

Action define(Options& options) {
  auto flags = std::make_shared<TrainFlags>();
  flags->tracking.project = "fashion-mnist";
  options.count("--epochs", flags->epochs, 1, 1'000'000, "N", "passes over the training data");
  options.count("--batch", flags->batch, 1, 1 << 20, "N", "samples per step");
  options.checked_text("--layers", flags->layers, "W,W,...",
                       "the hidden layers' widths, one per layer", layers_check,
                       std::string(default_layers));
  options.choice("--precision", flags->precision,
                 {{"fp32", Precision::fp32}, {"bf16", Precision::bf16}},
                 "arithmetic of the matrix products (bf16 needs AVX512_BF16 or AMX)");
  options.count("--threads", flags->threads, 0, 4096, "N", "worker threads; 0: one per core");
  options.choice("--thread-schedule", flags->thread_schedule,
                 {{"tbb", Schedule::tbb_shards}, {"onednn", Schedule::onednn_threads}},
                 "how the threads share a step: TBB shards or oneDNN's own threads");
  options.text("--data", flags->data, "DIR", "the Fashion-MNIST folder (IDX files, gzip or not)");
  options.text("--train-csv", flags->train_csv, "FILE",
               "train on this CSV instead (label first, then the features)");
  options.text("--test-csv", flags->test_csv, "FILE", "the test set of --train-csv");
  options.needs("--train-csv", "--test-csv");
  options.needs("--test-csv", "--train-csv");
  options.flag("--csv-header", flags->csv_header, "the CSV files start with a header line");
  options.number("--validation", flags->validation, {.min = 0, .max = 0.9}, "FRACTION",
                 "the share of the training data held out for validation");
  options.count("--seed", flags->seed, 0, std::numeric_limits<std::uint64_t>::max(), "N",
                "the seed of the weights, the shuffles and the validation split");
  options.choice("--optimizer", flags->optimizer,
                 {{"sgd", OptimizerKind::sgd_momentum}, {"adamw", OptimizerKind::adamw}},
                 "the optimizer: SGD with momentum or AdamW");
  options.number("--lr", flags->lr, {.min = 0, .max = 100, .above = true}, "RATE",
                 "the peak learning rate", "0.05 with sgd, 0.001 with adamw");
  options.number("--weight-decay", flags->weight_decay, {.min = 0, .max = 10}, "W",
                 "the weight decay", "0.0005 with sgd, 0.01 with adamw");
  options.choice("--lr-schedule", flags->lr_schedule,
                 {{"cosine", ScheduleKind::cosine},
                  {"step", ScheduleKind::step},
                  {"constant", ScheduleKind::constant}},
                 "how the learning rate changes over the run");
  options.number("--warmup-epochs", flags->warmup_epochs, {.min = 0, .max = 1'000'000}, "E",
                 "epochs of linear learning-rate warm-up, fractions allowed");
  options.choice("--activation", flags->activation,
                 {{"relu", Activation::relu}, {"gelu", Activation::gelu}},
                 "the hidden layers' activation");
  options.number("--dropout", flags->dropout, {.min = 0, .max = 0.95}, "P",
                 "the probability of zeroing a hidden unit while training");
  options.text("--resume", flags->resume, "CHECKPOINT", "go on from this model.gtckpt");
  add_tracking_options(options, flags->tracking);
  add_serve_option(options, flags->serve);
  options.number("--budget", flags->budget_kg, {.min = 0, .above = true}, "KG",
                 "the run's carbon budget in kg CO2e; alerts at 50, 80 and 100 %", "none");
  options.number("--project-budget", flags->project_budget_kg, {.min = 0, .above = true}, "KG",
                 "the project's budget in kg CO2e, counting its earlier runs "
                 "in the output "
                 "folder's emissions.csv",
                 "none");
  options.flag("--stop-at-budget", flags->stop_at_budget,
               "stop after the batch once a budget is spent (the tracker samples every "
               "--interval), checkpoint and report");
  options.flag("--no-progress", flags->no_progress, "no progress bar on a terminal");
  options.flag("--json", flags->json, "print train-summary.json on stdout");
  options.footer(
      "With --output-dir: emissions.csv, the JSON result, "
      "train-summary.json, model.gtckpt, "
      "report.md and report.html. " +
      modelled_power_note());
  return [flags] { return run_train(*flags); };
}

const Registration registration{{
    .name = "train",
    .summary = "train an MLP on Fashion-MNIST (or IDX/CSV data) on the CPU",
    .define = define,
}};

}  // namespace
}  // namespace greentrain::cli
