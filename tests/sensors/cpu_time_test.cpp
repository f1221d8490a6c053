#include "greentrain/sensors/cpu_time.hpp"

#include <unistd.h>

#include <catch2/catch.hpp>

#include "greentrain/error.hpp"
#include "sensors/recorded_tree.hpp"

using namespace greentrain::sensors;
using greentrain::test::TreeCopy;

namespace {

// Machine: 13300 busy and 93800 total ticks in the recording.
std::string machine_stat(int more_busy, int more_idle) {
  return "cpu  " + std::to_string(10000 + more_busy) + " 200 3000 " + std::to_string(80000 + more_idle) +
         " 500 0 100 0 0 0\n";
}

std::string process_stat(int pid, int ppid, int utime, int stime, int cutime = 0, int cstime = 0) {
  return std::to_string(pid) + " (a (tricky) name) S " + std::to_string(ppid) + " 1 1 0 -1 4194304 1 0 0 0 " +
         std::to_string(utime) + " " + std::to_string(stime) + " " + std::to_string(cutime) + " " +
         std::to_string(cstime) + " 20 0 1 0 1 1 1\n";
}

}  // namespace

TEST_CASE("this process's share is its CPU time over the machine's busy time", "[sensors][cpu-time]") {
  TreeCopy tree("processes");
  auto share = ProcessCpuShare::self(tree.proc());
  tree.write("proc/stat", machine_stat(100, 100));
  tree.write("proc/self/stat", process_stat(300, 1, 60 + 20, 6 + 5));
  std::error_code ec;
  auto s = share.sample(ec);
  CHECK_FALSE(ec);
  CHECK(s.process == Approx(0.25));
  CHECK(s.machine == Approx(0.5));
  // The next sample starts where this one ended.
  tree.write("proc/stat", machine_stat(150, 250));
  s = share.sample(ec);
  CHECK(s.process == Approx(0.0));
  CHECK(s.machine == Approx(0.25));
}

TEST_CASE("a process tree's share counts the root and all its descendants only", "[sensors][cpu-time]") {
  TreeCopy tree("processes");
  auto share = ProcessCpuShare::tree(100, tree.proc());
  tree.write("proc/stat", machine_stat(100, 0));
  tree.write("proc/100/stat", process_stat(100, 1, 1010, 100, 50, 10));
  tree.write("proc/101/stat", process_stat(101, 100, 420, 40));
  tree.write("proc/102/stat", process_stat(102, 101, 230, 20));
  tree.write("proc/200/stat", process_stat(200, 1, 5040, 500));
  std::error_code ec;
  CHECK(share.sample(ec).process == Approx(0.6));
  CHECK_FALSE(ec);
}

TEST_CASE("a child that exits and is reaped keeps its CPU time in the tree", "[sensors][cpu-time]") {
  TreeCopy tree("processes");
  auto share = ProcessCpuShare::tree(100, tree.proc());
  // 102 (200 + 20 ticks recorded) runs 10 more ticks, exits, and 101 waits for it.
  std::filesystem::remove_all(tree.proc() / "102");
  tree.write("proc/101/stat", process_stat(101, 100, 400, 40, 200 + 10, 20));
  tree.write("proc/stat", machine_stat(100, 0));
  std::error_code ec;
  CHECK(share.sample(ec).process == Approx(0.1));
}

TEST_CASE("the share is clamped to one and is zero when no time passed", "[sensors][cpu-time]") {
  TreeCopy tree("processes");
  auto share = ProcessCpuShare::self(tree.proc());
  std::error_code ec;
  CHECK(share.sample(ec).process == Approx(0.0));
  tree.write("proc/stat", machine_stat(10, 0));
  tree.write("proc/self/stat", process_stat(300, 1, 60 + 30, 6));
  CHECK(share.sample(ec).process == Approx(1.0));
}

TEST_CASE("a process tree needs a live root", "[sensors][cpu-time]") {
  auto proc = greentrain::test::recorded("processes") / "proc";
  CHECK_THROWS_AS(ProcessCpuShare::tree(4242, proc), greentrain::error);
  CHECK_THROWS_AS(ProcessCpuShare::self("/nonexistent/proc"), greentrain::error);
}

TEST_CASE("this process's share reads the real /proc", "[sensors][cpu-time]") {
  auto share = ProcessCpuShare::self();
  std::error_code ec;
  auto s = share.sample(ec);
  CHECK_FALSE(ec);
  CHECK(s.process >= 0.0);
  CHECK(s.process <= 1.0);
}

TEST_CASE("memory used is MemTotal minus MemAvailable, in GiB", "[sensors][cpu-time]") {
  MemoryGauge memory(greentrain::test::recorded("processes") / "proc");
  std::error_code ec;
  auto usage = memory.read(ec);
  CHECK_FALSE(ec);
  CHECK(usage.total_gb == Approx(24684092.0 / 1048576.0));
  CHECK(usage.used_gb == Approx((24684092.0 - 20000000.0) / 1048576.0));
}

TEST_CASE("a shared machine CPU time reader reuses a reading within its window", "[sensors][cpu-time]") {
  TreeCopy tree("processes");
  MachineCpuTime shared(tree.proc(), std::chrono::hours(1));
  MachineCpuTime fresh(tree.proc());
  tree.write("proc/stat", machine_stat(100, 0));
  std::error_code ec;
  CHECK(shared.read(ec).busy == 13300);
  CHECK(fresh.read(ec).busy == 13400);
  CHECK_FALSE(ec);
}

TEST_CASE("a process share built on a shared reader sees the same machine time", "[sensors][cpu-time]") {
  TreeCopy tree("processes");
  auto machine = std::make_shared<MachineCpuTime>(tree.proc());
  auto share = ProcessCpuShare::self(tree.proc(), machine);
  tree.write("proc/stat", machine_stat(40, 60));
  tree.write("proc/self/stat", process_stat(300, 1, 60 + 10, 6));
  std::error_code ec;
  auto s = share.sample(ec);
  CHECK(s.process == Approx(0.25));
  CHECK(s.machine == Approx(0.4));
}

TEST_CASE("a process tree's resident memory is the sum of its processes' rss pages",
          "[sensors][cpu-time][memory]") {
  TreeCopy tree("processes");  // 100 -> 101 -> 102, 407 resident pages each; 200 outside
  auto share = ProcessCpuShare::tree(100, tree.proc());
  tree.write("proc/stat", machine_stat(100, 0));
  std::error_code ec;
  auto s = share.sample(ec);
  REQUIRE_FALSE(ec);
  REQUIRE(s.resident_gb);
  double page = static_cast<double>(::sysconf(_SC_PAGESIZE));
  CHECK(*s.resident_gb == Approx(3 * 407 * page / (1024.0 * 1024 * 1024)));
}

TEST_CASE("a stat line that stops before rss still gives the CPU share, without memory",
          "[sensors][cpu-time][memory]") {
  TreeCopy tree("processes");
  auto share = ProcessCpuShare::self(tree.proc());
  tree.write("proc/stat", machine_stat(100, 100));
  tree.write("proc/self/stat", "300 (greentrain) S 1 300 300 0 -1 4194304 100 0 0 0 80 11 0 0\n");
  std::error_code ec;
  auto s = share.sample(ec);
  CHECK_FALSE(ec);
  CHECK(s.process == Approx(0.25));
  CHECK_FALSE(s.resident_gb);
}
