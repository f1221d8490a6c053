// The tracker's lock is held only to copy the figures: outputs, providers and
// handlers run outside it, so they may call the tracker back and other threads
// keep measuring while they take time.
#include <catch2/catch.hpp>
#include <future>
#include <thread>

#include "greentrain/outputs/callback.hpp"
#include "greentrain/tracker.hpp"
#include "support/fake_machine.hpp"
#include "support/temp_dir.hpp"

using namespace greentrain;
using test::FakeMachine;
using test::Faults;
using test::options_for;

TEST_CASE("an output may read the tracker from inside its write", "[tracker][threads]") {
  test::TempDir dir;
  FakeMachine machine;
  Faults faults;
  auto options = options_for(machine, dir, faults);
  EmissionsTracker* self = nullptr;
  double latest_joules = -1, snapshot_joules = -1;
  options.outputs.push_back(std::make_shared<CallbackOutput>([&](const RunResult&, auto) {
    latest_joules = to_joules(self->latest().total.cpu.energy).value;
    snapshot_joules = to_joules(self->snapshot().total.cpu.energy).value;
  }));
  EmissionsTracker tracker(options);
  self = &tracker;
  machine.add_joules(500);
  tracker.flush();
  CHECK(latest_joules == Approx(500));
  CHECK(snapshot_joules == Approx(500));
  machine.add_joules(250);
  tracker.stop();
  CHECK(latest_joules == Approx(750));
  CHECK(faults.messages.empty());
}

TEST_CASE("a task on another thread ends while an output is still writing", "[tracker][threads]") {
  test::TempDir dir;
  FakeMachine machine;
  Faults faults;
  auto options = options_for(machine, dir, faults);
  std::promise<void> entered, release;
  auto released = release.get_future().share();
  bool first = true;
  options.outputs.push_back(std::make_shared<CallbackOutput>([&](const RunResult&, auto) {
    if (!std::exchange(first, false)) return;
    entered.set_value();
    released.wait();  // the output hangs until the task below has ended
  }));
  EmissionsTracker tracker(options);
  std::thread flusher([&] { tracker.flush(); });
  entered.get_future().wait();
  auto task = tracker.task("during-the-write");
  machine.add_joules(1200);
  double task_joules = to_joules(task.stop().cpu.energy).value;
  release.set_value();
  flusher.join();
  CHECK(task_joules == Approx(1200));
  REQUIRE(tracker.stop().tasks.size() == 1);
}
