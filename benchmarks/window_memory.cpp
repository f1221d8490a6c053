// What `greentrain window` costs on long traces: peak memory (the child's ru_maxrss) against the
// trace file's size, and wall time, for generated 15-minute traces of 10 k, 100 k and 1 M rows.
// Each size runs as its own process, so one trace's memory never counts for another.
//
// usage: window_memory [GREENTRAIN_BINARY [ROWS...]]   (default: this build's; 10000 100000
// 1000000)
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace std::chrono;

namespace {

// A day's sine with a slow drift, as text rows like data/traces/ (34 bytes a row).
void write_trace(const fs::path& file, long rows) {
  std::FILE* out = std::fopen(file.c_str(), "w");
  if (!out) throw std::runtime_error("cannot write " + file.string());
  fmt::print(out, "Time,Carbon Intensity\n");
  sys_seconds t = sys_days{2000y / January / 1};
  for (long i = 0; i < rows; ++i, t += 15min) {
    double day = static_cast<double>(i % 96) / 96;
    double value =
        250 + 120 * std::sin(6.283185307179586 * day) + static_cast<double>(i % 997) / 10;
    fmt::print(out, "{:%Y-%m-%d %H:%M:%S},{:.9f}\n", t, value);
  }
  std::fclose(out);
}

struct Run {
  long peak_kib = 0;
  double seconds = 0;
  int status = 0;
};

// The command as a child with its output discarded, and its own peak resident set.
Run run(const std::vector<std::string>& command) {
  std::vector<char*> argv;
  for (const auto& a : command) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  std::fflush(stdout);  // else the child's copy of the buffer is printed again
  auto start = steady_clock::now();
  pid_t child = fork();
  if (child == 0) {
    if (!std::freopen("/dev/null", "w", stdout)) _exit(126);
    execv(argv[0], argv.data());
    _exit(127);
  }
  Run result;
  rusage usage{};
  wait4(child, &result.status, 0, &usage);
  result.seconds = duration<double>(steady_clock::now() - start).count();
  result.peak_kib = usage.ru_maxrss;
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  std::string binary = argc > 1 ? argv[1] : GREENTRAIN_BINARY;
  std::vector<long> sizes;
  for (int i = 2; i < argc; ++i) sizes.push_back(std::stol(argv[i]));
  if (sizes.empty()) sizes = {10'000, 100'000, 1'000'000};
  fs::path dir = fs::temp_directory_path() / fmt::format("window-memory-{}", getpid());
  fs::create_directories(dir);
  fmt::print("`{} window --zone GB --duration 4h --at 2000-01-02T00:00:00Z --deadline +24h`\n\n",
             binary);
  fmt::print("| rows | file size | peak RSS | RSS / file | time |\n|---|---|---|---|---|\n");
  int failures = 0;
  for (long rows : sizes) {
    fs::path trace = dir / fmt::format("trace-{}.csv", rows);
    write_trace(trace, rows);
    double file_mb = static_cast<double>(fs::file_size(trace)) / 1e6;
    auto r = run({binary, "window", "--zone", "GB", "--duration", "4h", "--trace", trace.string(),
                  "--at", "2000-01-02T00:00:00Z", "--deadline", "+24h"});
    double peak_mb = static_cast<double>(r.peak_kib) * 1024 / 1e6;
    bool ok = WIFEXITED(r.status) && WEXITSTATUS(r.status) == 0;
    failures += ok ? 0 : 1;
    fmt::print("| {} | {:.1f} MB | {:.1f} MB | {:.2f} | {:.2f} s{} |\n", rows, file_mb, peak_mb,
               peak_mb / file_mb, r.seconds, ok ? "" : " (failed)");
    fs::remove(trace);
  }
  fs::remove_all(dir);
  return failures == 0 ? 0 : 1;
}
