#pragma once
// EmissionsTracker: construct it to start measuring, leave its scope to stop and write the outputs.
//
//   greentrain::EmissionsTracker tracker{{.project = "fashion-mnist", .zone = "FR"}};
//   { auto epoch = tracker.task("epoch-0"); train_one_epoch(); }
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "greentrain/budget.hpp"
#include "greentrain/clock.hpp"
#include "greentrain/emissions.hpp"
#include "greentrain/intensity/provider.hpp"
#include "greentrain/outputs/output.hpp"
#include "greentrain/sensors/discovery.hpp"

namespace greentrain {

// Faults during a run (a sensor read failed, an output could not be written). The tracker keeps
// going and marks the figures degraded; it never throws from its thread or its destructor.
// A notice (a file with other columns kept as a backup) comes with an empty code.
using ErrorHandler = std::function<void(std::error_code code, const std::string& message)>;
// Things a user should know that are not faults: no location was given, the location is a guess.
// Each is said once per process.
using NoticeHandler = std::function<void(const std::string& message)>;

class EmissionsTracker;

struct TrackerOptions {
  std::string project = "greentrain";
  std::string run_id{};         // a random UUID when empty
  std::string experiment_id{};
  std::filesystem::path output_dir = ".";
  std::chrono::milliseconds interval{1000};
  TrackingMode mode = TrackingMode::machine;
  // Process mode: the process whose CPU-time share is attributed (this one when unset), with its
  // descendants.
  std::optional<int> pid{};

  // Where the electricity comes from: at most one of these. None: the world average, said once on
  // the notice handler with the ways to set one.
  std::string zone{};          // Electricity Maps zone: "FR", "US-CAL-CISO"; "auto": the time-zone guess
  std::string country{};       // ISO 3166 alpha-3 or alpha-2: "FRA", "FR" (Ember's figures)
  std::string cloud_region{};  // "gcp:europe-west9", "aws:eu-west-3"
  // How the location was chosen when the user did not name it ("guessed from time zone
  // Europe/Paris"), or why no guess was possible: added to the intensity's provenance.
  std::string location_note{};

  std::optional<double> pue{};           // default: the cloud provider's published PUE, 1.0 on premises
  std::optional<GramsPerKwh> intensity{};  // forces the grid intensity (labelled as given by the user)
  std::shared_ptr<IntensityProvider> intensity_provider{};  // default: the embedded yearly tables
  // A power the user states for a component, replacing its counter or model ("user" basis in the
  // provenance: "given by the user: 65 W"). gpu_power counts even where no GPU is seen.
  std::optional<Watts> cpu_power{}, ram_power{}, gpu_power{};

  bool write_csv = true;   // emissions.csv and emissions_tasks.csv in output_dir
  bool write_json = true;  // greentrain-<run_id>.json in output_dir
  bool write_report = false;  // greentrain-report-<run_id>.md and .html in output_dir
  std::vector<std::shared_ptr<Output>> outputs{};  // more outputs of the user's
  ErrorHandler on_error{};   // default: one line on stderr
  NoticeHandler on_notice{};  // default: one line on stderr
  // A carbon budget for this run or the project; a project's earlier runs are read back from
  // output_dir's emissions.csv when the tracker starts.
  std::optional<CarbonBudget> budget{};

  // The sensors to read and what they tell of the machine; default: sensors::discover() of
  // sensor_roots, on this tracker's clock. A custom discover passes the clock to its sensors itself.
  std::function<sensors::Discovery()> discover{};
  sensors::Roots sensor_roots{};  // where the default discovery reads (a recorded tree in tests)
  // When samples are taken and what time they carry, the sensors' readings included;
  // default: greentrain::system_clock().
  std::shared_ptr<Clock> clock{};

  // Services that live as long as the run: each is started with the tracker before its first
  // sample and released when it stops. greentrain::serve_metrics (server.hpp) adds the live server.
  std::vector<std::function<std::shared_ptr<void>(EmissionsTracker&)>> companions{};

  // The options of the configuration layers (greentrain::Config, config.hpp): /etc, the user's and
  // the project's greentrain.toml, then GREENTRAIN_* variables; the same settings the command line
  // reads. Throws greentrain::error for a malformed file; its warnings go to stderr.
  static TrackerOptions from_environment();
};

class EmissionsTracker {
 public:
  class Task;

  // Validates the options (throws greentrain::error with what was wrong) and starts sampling.
  explicit EmissionsTracker(TrackerOptions options = {});
  ~EmissionsTracker();

  EmissionsTracker(const EmissionsTracker&) = delete;
  EmissionsTracker& operator=(const EmissionsTracker&) = delete;

  // A scoped sub-measurement: its figures are taken when it is stopped or destroyed.
  [[nodiscard]] Task task(std::string name);

  // The figures so far, without writing anything.
  RunResult snapshot();
  // The figures as of the last sample, without taking one: for frequent readers such as a
  // metrics server, whose requests must not change how the run is sampled.
  RunResult latest();
  // Writes what is known so far to the outputs and returns it.
  RunResult flush();
  // Stops sampling, writes the outputs and returns the result; later calls return the same result.
  const RunResult& stop();

  // The time series after `time` (every kept sample for a time before the start), oldest first.
  std::vector<Sample> samples_after(SystemTime time);

  const std::string& run_id() const;

  // The budgets and how much of each is spent, as of the last sample.
  BudgetStatus budget_status() const;
  // True once a budget with request_stop is spent, or request_stop() was called: a training loop
  // checks it between batches.
  bool stop_requested() const noexcept;

  // Asks the run to end soon, from anywhere, a signal handler included: it only sets a lock-free
  // atomic flag. stop_requested() answers true from then on, and the sampler stops asking a live
  // intensity provider for new readings (a request can take seconds), so that the final stop()
  // writes within a scheduler's grace period. It stops nothing itself: the host's own thread
  // sees the flag and calls stop() (or leaves the tracker's scope), which writes the outputs.
  //
  // In a SIGINT/SIGTERM handler a host may call request_stop() and stop_requested(), store to
  // its own std::atomic or volatile sig_atomic_t flags, and call _exit(). It must not call
  // stop(), flush(), snapshot(), latest(), task() or the destructor there: they take locks and
  // allocate, and the interrupted thread may hold those locks (a deadlock, or torn state).
  void request_stop() noexcept;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

class EmissionsTracker::Task {
 public:
  Task(Task&& other) noexcept;
  Task& operator=(Task&&) = delete;
  ~Task();

  // Ends the task now; later calls return the same figures.
  const Emissions& stop();

 private:
  friend class EmissionsTracker;
  Task(std::shared_ptr<State> state, std::string name);

  struct Start;
  std::shared_ptr<State> state_;
  std::unique_ptr<Start> start_;
  Emissions result_;
  bool stopped_ = false;
};

}  // namespace greentrain
