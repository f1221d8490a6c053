// A tracked run for the tests that look at greentrain from the outside (Prometheus, a browser):
// a machine whose CPU draws 42.5 W and whose RAM draws 3.5 W, sampled every 200 ms, served live,
// with a new task ("epoch-N") every 0.7 s unless --without-tasks (a period that keeps the task
// boundaries out of step with the one-second pollers). Prints the server's port on the first line,
// runs until its standard input closes, then stops the tracker, which writes emissions.csv, the
// JSON and the report into OUTPUT_DIR.
#include <poll.h>
#include <unistd.h>

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

#include "greentrain/server.hpp"
#include "greentrain/tracker.hpp"
#include "support/fake_sensor.hpp"

using namespace greentrain;

namespace {

constexpr double cpu_watts = 42.5;
constexpr double ram_watts = 3.5;

sensors::Discovery steady_machine() {
  sensors::Discovery d;
  auto cpu = std::make_unique<test::FakeSensor>(
      "test:cpu", sensors::Domain::cpu_package, sensors::SignalKind::power,
      test::measured("test:cpu package power"));
  cpu->set(cpu_watts);
  auto ram = std::make_unique<test::FakeSensor>(
      "test:ram", sensors::Domain::ram, sensors::SignalKind::power,
      Provenance{.basis = Basis::modelled, .source = "test: 0.375 W/GB x 9.33 GB",
                 .band_low = 0.5, .band_high = 1.5});
  ram->set(ram_watts);
  d.selected.push_back(std::move(cpu));
  d.selected.push_back(std::move(ram));
  d.machine = {.cpu_model = "Test CPU", .cpu_count = 2, .ram_total_gb = 9.33};
  return d;
}

// Waits up to `timeout_ms` for standard input; false once it has closed.
bool stdin_open(int timeout_ms) {
  pollfd input{.fd = STDIN_FILENO, .events = POLLIN, .revents = 0};
  if (::poll(&input, 1, timeout_ms) <= 0) return true;
  char buffer[256];
  return ::read(STDIN_FILENO, buffer, sizeof buffer) > 0;
}

}  // namespace

int main(int argc, char** argv) {
  const bool with_tasks = argc == 2;
  if (argc != 2 && (argc != 3 || std::string_view(argv[2]) != "--without-tasks")) {
    std::fprintf(stderr, "usage: live_run OUTPUT_DIR [--without-tasks]\n");
    return 2;
  }
  TrackerOptions options;
  options.project = "seen-from-outside";
  options.run_id = "run-live";
  options.output_dir = argv[1];
  options.interval = std::chrono::milliseconds(200);
  options.zone = "FR";
  options.write_report = true;
  options.discover = steady_machine;
  serve_metrics(options, {.on_listening = [](const std::string&, unsigned short port) {
                  std::printf("%u\n", static_cast<unsigned>(port));
                  std::fflush(stdout);
                }});
  EmissionsTracker tracker(options);
  int epoch = 0;
  std::optional<EmissionsTracker::Task> task;
  do {
    task.reset();
    if (with_tasks) task.emplace(tracker.task("epoch-" + std::to_string(epoch++)));
  } while (stdin_open(700));
  task.reset();
  tracker.stop();
  return 0;
}
