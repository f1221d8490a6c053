// greentrain run -- CMD: runs a program and tracks the machine while it runs.
#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>

#include "args.hpp"
#include "command.hpp"
#include "greentrain/error.hpp"
#include "greentrain/outputs/json.hpp"
#include "greentrain/summary.hpp"
#include "greentrain/tracker.hpp"
#include "config_flags.hpp"
#include "location_options.hpp"

namespace greentrain::cli {
namespace {

volatile sig_atomic_t child_pid = 0;

void forward_signal(int signal) {
  if (child_pid > 0) ::kill(child_pid, signal);
}

// Forks the child stopped at a pipe, so the tracker's baseline is taken before the command starts.
struct Child {
  pid_t pid = -1;
  int release_fd = -1;

  explicit Child(const std::vector<std::string>& command) {
    int gate[2];
    if (::pipe2(gate, O_CLOEXEC) != 0) throw error(errc::io_error, "cannot create a pipe");
    pid = ::fork();
    if (pid < 0) throw error(errc::io_error, fmt::format("cannot fork: {}", std::strerror(errno)));
    if (pid == 0) {
      ::close(gate[1]);
      char go;
      if (::read(gate[0], &go, 1) != 1) ::_exit(127);
      std::vector<char*> argv;
      for (const auto& a : command) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      ::execvp(argv[0], argv.data());
      std::fprintf(stderr, "greentrain run: cannot run '%s': %s\n", argv[0], std::strerror(errno));
      ::_exit(127);
    }
    ::close(gate[0]);
    release_fd = gate[1];
  }

  void release() {
    char go = 1;
    if (::write(release_fd, &go, 1) != 1) {
      // The child died before starting; wait() reports it.
    }
    ::close(release_fd);
  }

  // Waits for the child to end but leaves it unreaped, so its CPU times can still be read.
  void wait_for_exit() {
    siginfo_t info{};
    while (::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR) {
    }
  }

  int reap() {
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(status)) return WEXITSTATUS(status);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return 1;
  }
};

int run(std::span<const std::string_view> raw) {
  Args args(raw, with_location_options({"output-dir", "interval", "project", "pue", "intensity", "serve"}),
            {"json", "quiet", "report"});
  if (args.command().empty())
    throw error(errc::invalid_argument, "nothing to run: put the command after `--`, as in "
                                        "`greentrain run -- make -j2`");
  Config config = load_config_with_flags([&](std::string_view flag) { return args.get(flag); });
  TrackerOptions options = tracker_options_from_config(config);
  if (!config.text("project")) options.project = args.command().front();
  if (args.get("intensity")) options.intensity = GramsPerKwh{args.number("intensity", 0)};
  options.write_report = args.flag("report");
  if (auto serve = args.get("serve")) add_server(options, *serve);

  Child child(args.command());
  options.pid = child.pid;
  int status = 0;
  {
    EmissionsTracker tracker(options);
    child_pid = child.pid;
    struct sigaction action {};
    action.sa_handler = forward_signal;
    ::sigaction(SIGINT, &action, nullptr);
    ::sigaction(SIGTERM, &action, nullptr);
    child.release();
    child.wait_for_exit();
    const RunResult& result = tracker.stop();
    status = child.reap();
    if (!args.flag("quiet")) fmt::print(stderr, "{}\n", summary(result));
    if (args.flag("json")) fmt::print("{}", JsonOutput::to_json(result));
  }
  return status;
}

const Registration registration({
    .name = "run",
    .summary = "run a command and measure the energy and CO2 of the machine while it runs",
    .usage = "greentrain run [--zone Z | --country C | --cloud PROVIDER:REGION] [--output-dir D]\n"
             "                [--interval 1s] [--project NAME] [--pue X] [--intensity G_PER_KWH]\n"
             "                [--json] [--quiet] [--report] [--serve [ADDR:]PORT] -- CMD [ARGS...]\n"
             "Tracks the whole machine, attributes CPU energy to CMD's process tree by its share\n"
             "of busy CPU time, writes emissions.csv and greentrain-<run>.json to the output\n"
             "directory and exits with CMD's exit status.\n"
             "  --report  also write greentrain-report-<run>.md and .html (charts inline)\n"
             "  --serve   live metrics and dashboard at http://ADDR:PORT/ while CMD runs\n"
             "            (ADDR 127.0.0.1 by default; another needs GREENTRAIN_SERVER_TOKEN)",
    .run = run,
});

}  // namespace
}  // namespace greentrain::cli
