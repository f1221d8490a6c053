#include "greentrain/tracker.hpp"

#include <fmt/format.h>
#include <sys/utsname.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <random>
#include <stop_token>
#include <thread>
#include <utility>

#include "config/location_guess.hpp"
#include "core/secrets.hpp"
#include "core/text.hpp"
#include "greentrain/error.hpp"
#include "greentrain/intensity/embedded.hpp"
#include "greentrain/intensity/fixed.hpp"
#include "greentrain/intensity/intensity_range.hpp"
#include "greentrain/outputs/csv.hpp"
#include "greentrain/outputs/json.hpp"
#include "greentrain/report.hpp"
#include "greentrain/sensors/nvml.hpp"
#include "greentrain/sensors/user_power.hpp"
#include "tracker/budget_monitor.hpp"
#include "tracker/carbon_ledger.hpp"
#include "tracker/energy_meter.hpp"
#include "tracker/location_notice.hpp"
#include "tracker/run_figures.hpp"
#include "tracker/sample_history.hpp"

namespace greentrain {

namespace {

std::string random_uuid() {
  std::random_device device;
  std::mt19937_64 engine((static_cast<std::uint64_t>(device()) << 32) ^ device());
  std::uint64_t hi = engine(), lo = engine();
  hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  return fmt::format("{:08x}-{:04x}-{:04x}-{:04x}-{:012x}", hi >> 32, (hi >> 16) & 0xffff,
                     hi & 0xffff, lo >> 48, lo & 0xffffffffffffULL);
}

std::string operating_system() {
  utsname u{};
  if (::uname(&u) != 0) return "Linux";
  return fmt::format("{}-{}-{}", u.sysname, u.release, u.machine);
}

void print_to_stderr(std::error_code code, const std::string& message) {
  if (code)
    std::fprintf(stderr, "greentrain: %s (%s)\n", message.c_str(), code.message().c_str());
  else
    std::fprintf(stderr, "greentrain: %s\n", message.c_str());  // a notice
}

void print_notice(const std::string& message) {
  std::fprintf(stderr, "greentrain: %s\n", message.c_str());
}

std::optional<Location> chosen_location(const TrackerOptions& o) {
  int given = !o.zone.empty() + !o.country.empty() + !o.cloud_region.empty();
  if (given > 1)
    throw error(errc::invalid_argument,
                "give at most one of zone, country and cloud_region; the tracker cannot tell "
                "which one the electricity comes from");
  if (!o.zone.empty()) return Location::zone(o.zone);
  if (!o.country.empty()) return Location::country(o.country);
  if (!o.cloud_region.empty()) {
    auto cloud = Location::parse_cloud(o.cloud_region);
    if (!cloud)
      throw error(errc::invalid_argument,
                  fmt::format("cloud region '{}' must be written PROVIDER:REGION, for example "
                              "gcp:europe-west9 or aws:eu-west-3",
                              o.cloud_region));
    return cloud;
  }
  return std::nullopt;
}

void validate(const TrackerOptions& o) {
  if (o.interval <= std::chrono::milliseconds::zero())
    throw error(errc::invalid_argument,
                fmt::format("sampling interval must be positive, got {} ms", o.interval.count()));
  if (o.pue && !(*o.pue >= 1.0 && *o.pue < 5.0))
    throw error(errc::invalid_argument,
                fmt::format("PUE must be between 1.0 and 5.0 (a data centre never uses less "
                            "energy than its IT load), got {}",
                            *o.pue));
  if (o.intensity && !(o.intensity->value >= 0.0 && o.intensity->value < 5000.0))
    throw error(errc::invalid_argument,
                fmt::format("forced intensity must be between 0 and 5000 gCO2e/kWh, got {}",
                            o.intensity->value));
  if (o.project.empty()) throw error(errc::invalid_argument, "project name must not be empty");
  for (auto [name, power] : {std::pair{"cpu_power", o.cpu_power}, {"ram_power", o.ram_power},
                             {"gpu_power", o.gpu_power}})
    if (power && !(power->value > 0.0 && power->value <= 100000.0))
      throw error(errc::invalid_argument,
                  fmt::format("{} must be a power in watts above 0 and up to 100000, got {}", name,
                              power->value));
}

}  // namespace

struct EmissionsTracker::State {
  TrackerOptions options;
  RunInfo info;
  std::optional<Location> location;
  std::shared_ptr<IntensityProvider> provider;
  std::shared_ptr<EmbeddedProvider> embedded;  // resolves locations; the last resort for intensity
  std::vector<std::shared_ptr<Output>> outputs;
  std::unique_ptr<detail::UsageMeter> usage;
  std::atomic<bool> stop_requested{false};
  static_assert(std::atomic<bool>::is_always_lock_free,
                "request_stop() must be async-signal-safe: the flag has to be lock-free");

  // Lock order: output_mutex, then alert_mutex, then mutex. `mutex` is held
  // only to change or copy the figures, never while a provider, an output or a
  // user's handler runs: they may take seconds (a live provider up to 20 s) and
  // may call the tracker back.
  std::mutex output_mutex;           // one writer of the outputs at a time, in the order
                                     // of the snapshots
  std::recursive_mutex alert_mutex;  // alerts in order; an alert handler may call the tracker
  std::mutex mutex;                  // guards everything below
  detail::EnergyMeter meter;
  detail::CarbonLedger ledger;
  detail::SampleHistory history;
  IntensityReading intensity;
  bool intensity_valid = false;
  bool intensity_refreshing = false;  // a thread is asking the provider; the others keep the last
  SystemTime refresh_intensity_at{};
  SteadyTime started_steady;
  SystemTime started_system;
  SteadyTime last_sample;
  std::vector<Emissions> tasks;
  std::size_t tasks_written = 0;
  GramsCo2e attributed_emissions{};  // machine mode: of the tracked process tree's CPU energy
  std::optional<RunResult> result;
  std::optional<detail::BudgetMonitor> budget;
  std::vector<BudgetAlert> pending_alerts;
  std::vector<std::pair<std::error_code, std::string>> pending_faults;  // told outside `mutex`

  std::mutex stop_mutex;  // one stop() at a time: the sampler is joined once
  std::shared_ptr<Clock> clock;
  std::stop_source stop_sampling;
  std::thread sampler;
  // Last, so they go first: a companion's thread may still be reading the
  // tracker.
  std::vector<std::shared_ptr<void>> companions;

  State(TrackerOptions o, sensors::Discovery discovery, double pue)
      : options(std::move(o)),
        meter(std::move(discovery.selected),
              [this](const sensors::Sensor& s, std::error_code ec) {
                defer_report(ec, fmt::format("reading {} failed; its energy is missing from the "
                                             "intervals since, and the figures are marked degraded",
                                             s.name()));
              }),
        ledger(pue) {
    info.cpu_model = discovery.machine.cpu_model;
    info.cpu_count = discovery.machine.cpu_count;
    info.gpu_model = discovery.machine.gpu_model;
    info.gpu_count = discovery.machine.gpu_count;
    info.ram_total_gb = discovery.machine.ram_total_gb;
  }

  void report(std::error_code ec, const std::string& message) noexcept {
    try {
      // Redacted here, so that the user's handler, which may print it, gets it as stderr would.
      auto text = detail::redact(message);
      if (options.on_error)
        options.on_error(ec, text);
      else
        print_to_stderr(ec, text);
    } catch (...) {
      // The user's handler failed; nothing sensible is left to tell.
    }
  }

  // Under `mutex`: the handler is called by deliver() once the lock is
  // released.
  void defer_report(std::error_code ec, std::string message) {
    pending_faults.emplace_back(ec, std::move(message));
  }

  // With no location given, the world average: stated in the provenance, never
  // silent.
  Location where() const { return location.value_or(Location::country("World")); }

  // Asks the provider again once the last reading expired, outside `mutex`: the
  // other threads keep sampling with the last reading meanwhile. A figure whose
  // validity already ended (last year's table) is still the best known: asking
  // again at every sample would only cost time, so ask at most once a minute.
  void refresh_intensity() {
    SystemTime at;
    {
      std::lock_guard lock(mutex);
      at = elapsed_system();
      // Once a stop is asked for, the reading in hand serves to the end: a live provider may
      // take seconds to answer, and a scheduler's grace period after SIGTERM is short.
      if (result || intensity_refreshing ||
          (intensity_valid && (at < refresh_intensity_at || stop_requested)))
        return;
      intensity_refreshing = true;
    }
    std::error_code ec;
    IntensityReading reading;
    std::string fault;
    try {
      ProviderFault answer;
      reading = provider->intensity_at(where(), at, answer);
      ec = answer.code;
      if (ec) {
        fault = provider->reason(where(), answer);
      } else if (auto impossible = intensity_fault(reading); !impossible.empty()) {
        // A user's own provider is checked too: a figure no grid can have is never used.
        ec = errc::malformed_data;
        fault = fmt::format("{} answered an impossible figure for {}: {}", provider->name(),
                            to_string(where()), impossible);
      }
    } catch (const std::exception& e) {
      ec = errc::io_error;
      fault = fmt::format("the {} provider failed: {}", provider->name(), e.what());
    } catch (...) {
      ec = errc::io_error;
      fault = fmt::format("the {} provider failed with an unknown exception", provider->name());
    }
    IntensityReading fallback;
    bool first = false;
    {
      std::lock_guard lock(mutex);
      first = !intensity_valid;
    }
    if (ec && first) fallback = embedded->intensity_at(where(), at);
    {
      std::lock_guard lock(mutex);
      if (ec && first) {
        // Nothing known yet: the embedded yearly figure, said to be a fallback.
        intensity = std::move(fallback);
        intensity.provenance.source += fmt::format(" (fallback: {} failed)", provider->name());
      } else if (!ec) {
        intensity = std::move(reading);
        if (!options.location_note.empty() && location)
          intensity.provenance.source += "; location " + options.location_note;
      }
      if (ec) {
        intensity.provenance.degraded = true;
        intensity.valid_until = at + std::chrono::minutes(5);
      }
      intensity_valid = true;
      intensity_refreshing = false;
      refresh_intensity_at = std::max(intensity.valid_until, at + std::chrono::minutes(1));
    }
    if (ec)
      report(ec, fault + (first ? "; using the embedded yearly figure instead"
                                : "; keeping the last intensity"));
  }

  // Takes one sample: energy since the last one, times the intensity of this
  // interval.
  void sample_locked() {
    SteadyTime now = clock->steady_now();
    detail::EnergyByComponent energy = meter.sample();
    Joules machine_cpu_energy = energy[sensors::Component::cpu];
    detail::IntervalUsage used = usage ? usage->interval(energy) : detail::IntervalUsage{};
    used.gpu_percent = gpu_utilisation();
    Seconds length = now - last_sample;
    SystemTime interval_start = started_system + std::chrono::duration_cast<SystemTime::duration>(
                                                     last_sample - started_steady);
    const IntensityReading& reading = intensity;  // refreshed by refresh_intensity()
    ledger.add_interval(length, energy, reading, used, machine_cpu_energy);
    // Each component's power over its readings' own interval: at a task edge
    // two samples come microseconds apart, and the tracker's clock and the
    // sensors' differ by a read's duration.
    auto power = [&](sensors::Component c) {
      Seconds span = meter.span(c);
      return energy[c] / (span.count() > 0 ? span : length);
    };
    if (length.count() > 0)
      history.add(
          {.time = interval_start + std::chrono::duration_cast<SystemTime::duration>(length),
           .duration = length,
           .cpu = power(sensors::Component::cpu),
           .gpu = power(sensors::Component::gpu),
           .ram = power(sensors::Component::ram),
           .intensity = reading.intensity,
           .cumulative = ledger.totals().emissions});
    if (used.process_cpu_share && options.mode == TrackingMode::machine) {
      Joules attributed = energy[sensors::Component::cpu] * *used.process_cpu_share;
      attributed_emissions += to_kwh(attributed) * ledger.pue() * reading.intensity;
    }
    last_sample = now;
    if (budget) {
      budget->observe(ledger.totals().emissions, pending_alerts);
      if (!options.budget->on_alert) pending_alerts.clear();  // nobody to tell
      if (budget->stop_requested()) stop_requested = true;
    }
  }

  // Hands the faults and alerts of the samples taken so far to the user's
  // handlers, outside `mutex`.
  void deliver() noexcept {
    std::vector<std::pair<std::error_code, std::string>> faults;
    {
      std::lock_guard lock(mutex);
      faults.swap(pending_faults);
    }
    for (const auto& [ec, message] : faults) report(ec, message);
    deliver_alerts();
  }

  void deliver_alerts() noexcept {
    if (!options.budget || !options.budget->on_alert) return;
    std::lock_guard order(alert_mutex);
    for (;;) {
      std::vector<BudgetAlert> alerts;
      {
        std::lock_guard lock(mutex);
        alerts.swap(pending_alerts);
      }
      if (alerts.empty()) return;
      for (const auto& alert : alerts) {
        try {
          options.budget->on_alert(alert);
        } catch (const std::exception& e) {
          report(errc::invalid_argument, fmt::format("the budget alert handler failed on '{}': {}",
                                                     describe(alert), e.what()));
        } catch (...) {
          report(errc::invalid_argument,
                 fmt::format("the budget alert handler failed on '{}'", describe(alert)));
        }
      }
    }
  }

  // One sample on the calling thread; the provider is asked first when its
  // reading expired.
  void sample() {
    refresh_intensity();
    std::lock_guard lock(mutex);
    if (!result) sample_locked();
  }

  void run_sampler() {
    std::stop_token stop = stop_sampling.get_token();
    auto next = clock->steady_now() + options.interval;
    for (;;) {
      clock->sleep_until(next, stop);
      if (stop.stop_requested()) return;
      // Whatever a user's sensor, provider or handler throws stays here: the
      // thread must live.
      try {
        sample();
      } catch (const std::exception& e) {
        report(errc::io_error, fmt::format("sampling failed: {}", e.what()));
      } catch (...) {
        report(errc::io_error, "sampling failed with an unknown exception");
      }
      deliver();
      next += options.interval;
      auto now = clock->steady_now();
      if (next < now) next = now + options.interval;  // fell behind: skip, do not burst
    }
  }

  RunResult result_locked() {
    RunResult run{
        .info = info,
        .total = detail::figures_between({}, ledger.totals(), started_system, elapsed_system(),
                                         meter, ledger, "", attribution()),
        .tasks = tasks,
        .attribution = std::nullopt,
        .samples = history.samples()};
    if (options.pid && options.mode == TrackingMode::machine)
      run.attribution =
          ProcessAttribution{.pid = *options.pid,
                             .mean_cpu_share = run.total.usage.process_cpu_share.value_or(0.0),
                             .cpu_energy = to_kwh(ledger.totals().usage.attributed_cpu),
                             .emissions = attributed_emissions};
    return run;
  }

  // The mean over the GPUs that report it, at this sample.
  std::optional<double> gpu_utilisation() const {
    double sum = 0;
    int gpus = 0;
    for (const auto& sensor : meter.sensors())
      if (auto p = sensor->utilisation_percent()) {
        sum += *p;
        ++gpus;
      }
    if (gpus == 0) return std::nullopt;
    return sum / gpus;
  }

  detail::Attribution attribution() const {
    if (!usage) return {};
    return [meter = usage.get()](sensors::Component c) { return meter->attribution(c); };
  }

  SystemTime elapsed_system() const {
    return started_system +
           std::chrono::duration_cast<SystemTime::duration>(last_sample - started_steady);
  }

  // A sample on the caller's thread: the figures so far, written to the outputs
  // when `write`.
  RunResult sample_now(bool write) {
    std::unique_lock<std::mutex> writing;
    if (write) writing = std::unique_lock(output_mutex);
    refresh_intensity();
    RunResult run;
    std::size_t first_new_task = 0;
    {
      std::lock_guard lock(mutex);
      if (result) return *result;
      sample_locked();
      run = result_locked();
      first_new_task = std::exchange(tasks_written, run.tasks.size());
    }
    if (write) write_outputs(run, first_new_task);
    deliver();
    return run;
  }

  // Outside `mutex`, under `output_mutex`: an output may call latest() or
  // snapshot().
  void write_outputs(const RunResult& run, std::size_t first_new_task) {
    std::span<const Emissions> new_tasks(run.tasks.data() + first_new_task,
                                         run.tasks.size() - first_new_task);
    for (auto& output : outputs) {
      std::error_code ec;
      std::string reason;
      output->write(run, new_tasks, ec, &reason);
      if (ec)
        report(ec, fmt::format("the {} output could not be written to {}{}; the figures are kept "
                               "in memory and in the other outputs",
                               output->name(), options.output_dir.string(),
                               reason.empty() ? "" : ": " + reason));
    }
  }
};

EmissionsTracker::EmissionsTracker(TrackerOptions options) {
  if (options.zone == "auto") {
    const char* tz = std::getenv("TZ");
    detail::use_location_guess(options, guess_country_from_time_zone(
                                            {}, tz ? std::optional<std::string>(tz) : std::nullopt));
  }
  validate(options);
  auto location = chosen_location(options);

  auto embedded = std::make_shared<EmbeddedProvider>();
  ResolvedLocation resolved;
  if (location) resolved = embedded->resolve(*location);  // throws, naming the nearest keys

  double pue = options.pue.value_or(resolved.default_pue);
  auto clock = options.clock ? options.clock : system_clock();
  auto discovery =
      options.discover ? options.discover() : sensors::discover(options.sensor_roots, clock);
  sensors::apply_power_overrides(
      discovery, {options.cpu_power, options.ram_power, options.gpu_power}, clock);
  auto machine_time = discovery.machine_cpu_time;
  state_ = std::make_shared<State>(std::move(options), std::move(discovery), pue);
  State& s = *state_;
  s.location = location;
  s.embedded = embedded;
  s.clock = clock;
  if (s.options.intensity)
    s.provider = std::make_shared<FixedProvider>(*s.options.intensity);
  else if (s.options.intensity_provider)
    s.provider = s.options.intensity_provider;
  else
    s.provider = embedded;
  s.info.project = s.options.project;
  s.info.run_id = s.options.run_id.empty() ? random_uuid() : s.options.run_id;
  s.info.experiment_id = s.options.experiment_id;
  s.info.mode = s.options.mode;
  s.info.location = resolved;
  s.info.pue = pue;
  s.info.os = operating_system();
  s.info.measured_by = "greentrain " + detail::version();
  s.usage = detail::UsageMeter::create(
      s.options.mode, s.options.pid, std::move(machine_time),
      [&s](std::error_code ec, const std::string& m) { s.report(ec, m); }, s.clock);

  if (s.options.write_csv) {
    auto csv = std::make_shared<CsvOutput>(s.options.output_dir);
    csv->on_backup([&s](const std::string& m) { s.report({}, m); });
    s.outputs.push_back(std::move(csv));
  }
  if (s.options.write_json) s.outputs.push_back(std::make_shared<JsonOutput>(s.options.output_dir));
  if (s.options.write_report)
    s.outputs.push_back(std::make_shared<ReportOutput>(s.options.output_dir));
  for (auto& output : s.options.outputs) s.outputs.push_back(output);
  if (s.options.budget) {
    GramsCo2e earlier{};
    if (s.options.budget->project)
      earlier = project_emissions(s.options.output_dir / "emissions.csv", s.options.project,
                                  s.info.run_id);
    s.budget.emplace(*s.options.budget, earlier);
  }

  IntensityReading first_reading;
  {
    std::lock_guard lock(s.mutex);
    s.started_system = s.clock->now();
    s.started_steady = s.clock->steady_now();
    s.last_sample = s.started_steady;
    s.meter.sample();  // the baseline every later interval is measured from
  }
  s.refresh_intensity();  // the first reading, before any interval needs it
  s.deliver();
  {
    std::lock_guard lock(s.mutex);
    first_reading = s.intensity;
  }
  std::string place = resolved.country_name.empty() ? resolved.zone_name : resolved.country_name;
  if (location && place.empty()) place = to_string(*location);
  try {
    NoticeHandler tell = s.options.on_notice ? s.options.on_notice : NoticeHandler(print_notice);
    detail::tell_location(s.options, place, first_reading,
                          [&tell](const std::string& message) { tell(detail::redact(message)); });
  } catch (...) {
    // The user's notice handler failed: the run itself is unaffected.
  }
  try {
    for (auto& start : s.options.companions) s.companions.push_back(start(*this));
  } catch (...) {
    s.companions.clear();  // while this tracker can still answer them
    throw;
  }
  s.sampler = std::thread([state = state_.get()] { state->run_sampler(); });
}

EmissionsTracker::~EmissionsTracker() {
  try {
    stop();
  } catch (...) {
    // stop() reports its faults to the handler; nothing may leave a destructor.
  }
}

const RunResult& EmissionsTracker::stop() {
  State& s = *state_;
  std::lock_guard stopping(s.stop_mutex);
  {
    std::lock_guard lock(s.mutex);
    if (s.result) return *s.result;
  }
  s.stop_sampling.request_stop();
  if (s.sampler.joinable()) s.sampler.join();
  s.companions.clear();
  std::lock_guard writing(s.output_mutex);
  s.refresh_intensity();
  std::size_t first_new_task = 0;
  {
    std::lock_guard lock(s.mutex);
    s.sample_locked();
    s.result = s.result_locked();
    first_new_task = std::exchange(s.tasks_written, s.result->tasks.size());
  }
  s.write_outputs(*s.result, first_new_task);
  s.deliver();
  return *s.result;
}

RunResult EmissionsTracker::snapshot() { return state_->sample_now(false); }

RunResult EmissionsTracker::latest() {
  State& s = *state_;
  std::lock_guard lock(s.mutex);
  if (s.result) return *s.result;
  return s.result_locked();
}

RunResult EmissionsTracker::flush() { return state_->sample_now(true); }

std::vector<Sample> EmissionsTracker::samples_after(SystemTime time) {
  State& s = *state_;
  std::lock_guard lock(s.mutex);
  return s.history.samples_after(time);
}

const std::string& EmissionsTracker::run_id() const { return state_->info.run_id; }

BudgetStatus EmissionsTracker::budget_status() const {
  State& s = *state_;
  std::lock_guard lock(s.mutex);
  return s.budget ? s.budget->status() : BudgetStatus{};
}

bool EmissionsTracker::stop_requested() const noexcept { return state_->stop_requested; }

void EmissionsTracker::request_stop() noexcept { state_->stop_requested = true; }

struct EmissionsTracker::Task::Start {
  detail::LedgerTotals totals;
  SystemTime time;
};

EmissionsTracker::Task EmissionsTracker::task(std::string name) {
  return Task(state_, std::move(name));
}

EmissionsTracker::Task::Task(std::shared_ptr<State> state, std::string name)
    : state_(std::move(state)), start_(std::make_unique<Start>()) {
  result_.task = std::move(name);
  state_->refresh_intensity();
  {
    std::lock_guard lock(state_->mutex);
    if (state_->result) {
      stopped_ = true;  // the run is over: an empty task, not a crash
      return;
    }
    state_->sample_locked();
    start_->totals = state_->ledger.totals();
    start_->time = state_->elapsed_system();
  }
  state_->deliver();
}

EmissionsTracker::Task::Task(Task&& other) noexcept
    : state_(std::move(other.state_)),
      start_(std::move(other.start_)),
      result_(std::move(other.result_)),
      stopped_(std::exchange(other.stopped_, true)) {}

EmissionsTracker::Task::~Task() {
  try {
    if (!stopped_ && state_) stop();
  } catch (...) {
    // Never throw from a destructor; a failed task is simply not recorded.
  }
}

const Emissions& EmissionsTracker::Task::stop() {
  if (stopped_) return result_;
  stopped_ = true;
  State& s = *state_;
  s.refresh_intensity();
  {
    std::lock_guard lock(s.mutex);
    if (!s.result) s.sample_locked();
    std::string name = std::move(result_.task);
    result_ =
        detail::figures_between(start_->totals, s.ledger.totals(), start_->time, s.elapsed_system(),
                                s.meter, s.ledger, std::move(name), s.attribution());
    if (!s.result) s.tasks.push_back(result_);
  }
  s.deliver();
  return result_;
}

}  // namespace greentrain
