// greentrain run -- CMD: runs a program and tracks the machine while it runs.
#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "command.hpp"
#include "greentrain/error.hpp"
#include "greentrain/outputs/json.hpp"
#include "greentrain/summary.hpp"
#include "greentrain/tracker.hpp"
#include "live_source.hpp"
#include "redacted_output.hpp"
#include "tracking_options.hpp"

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

struct RunFlags {
  TrackingFlags tracking;
  std::optional<std::string> serve;
  bool json = false, quiet = false, report = false, live = false;
  std::vector<std::string> command;
};

int run(const RunFlags& flags) {
  if (flags.command.empty())
    throw error(errc::invalid_argument,
                "nothing to run: put the command after `--`, as in "
                "`greentrain run -- make -j2`");
  TrackerOptions options;
  flags.tracking.apply_to(options);
  if (options.project.empty()) options.project = flags.command.front();
  options.write_report = flags.report;
  if (flags.live) options.intensity_provider = make_provider(true);
  if (flags.serve) add_server(options, *flags.serve);

  Child child(flags.command);
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
    if (!flags.quiet) {
      cli::print(stderr, "{}\n", summary(result));
      print_written_files(options, result);
    }
    if (flags.json) cli::print("{}", JsonOutput::to_json(result));
  }
  return status;
}

Action define(Options& options) {
  auto flags = std::make_shared<RunFlags>();
  add_tracking_options(options, flags->tracking, "the command's name");
  options.flag("--json", flags->json, "print the run's result as JSON on stdout");
  options.flag("--quiet", flags->quiet, "no summary on stderr");
  options.flag("--live", flags->live,
               "live grid intensity for the location (Electricity Maps with "
               "ELECTRICITYMAPS_API_KEY), the embedded tables where it fails (labelled)");
  options.flag("--report", flags->report,
               "also write greentrain-report-<run>.md and .html (charts inline)");
  add_serve_option(options, flags->serve);
  options.positional("command", flags->command, "the command to run and its arguments, after --");
  options.footer(
      "Tracks the whole machine, attributes CPU energy to CMD's process tree "
      "by its share of busy "
      "CPU time, writes emissions.csv and greentrain-<run>.json to the output "
      "directory and exits "
      "with CMD's exit status. Example: greentrain run --zone FR -- make -j2. " +
      modelled_power_note());
  return [flags] { return run(*flags); };
}

const Registration registration({
    .name = "run",
    .summary = "run a command and measure the energy and CO2 of the machine "
               "while it runs",
    .define = define,
});

}  // namespace
}  // namespace greentrain::cli
