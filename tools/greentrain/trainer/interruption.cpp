#include "interruption.hpp"

#include <unistd.h>

#include <atomic>

namespace greentrain::cli {
namespace {

// Only lock-free atomics and write(2)/_exit(2) in the handler: it may run on
// any thread, in the middle of anything.
std::atomic<int> first_signal{0};
std::atomic<int> exit_after_writing{0};
std::atomic<int> files_being_written{0};
std::atomic<EmissionsTracker *> attached_tracker{nullptr};
static_assert(std::atomic<int>::is_always_lock_free &&
              std::atomic<EmissionsTracker *>::is_always_lock_free);

void say(std::string_view text) noexcept {
  if (::write(STDERR_FILENO, text.data(), text.size()) < 0) {
    // Nothing to do: the message is a courtesy.
  }
}

void on_signal(int number) {
  int none = 0;
  if (first_signal.compare_exchange_strong(none, number)) {
    if (EmissionsTracker *tracker = attached_tracker.load()) tracker->request_stop();
    say("\ngreentrain train: stopping after this batch to save the checkpoint, "
        "the rows and the "
        "report; a second signal quits at once\n");
    return;
  }
  if (files_being_written.load() > 0) {
    exit_after_writing.store(128 + number);
    return;
  }
  say("\ngreentrain train: second signal, quitting now\n");
  ::_exit(128 + number);
}

}  // namespace

Interruption::Interruption() {
  first_signal = 0;
  exit_after_writing = 0;
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;  // reads of the data set go on; the flag is
                                 // looked at per batch
  ::sigaction(SIGINT, &action, &previous_int_);
  ::sigaction(SIGTERM, &action, &previous_term_);
}

Interruption::~Interruption() {
  detach();
  ::sigaction(SIGINT, &previous_int_, nullptr);
  ::sigaction(SIGTERM, &previous_term_, nullptr);
}

void Interruption::attach(EmissionsTracker &tracker) noexcept {
  attached_tracker = &tracker;
  if (signal() != 0) tracker.request_stop();  // a signal that came while the data loaded
}

void Interruption::detach() noexcept { attached_tracker = nullptr; }

int Interruption::signal() const noexcept { return first_signal.load(); }

std::string_view Interruption::signal_name() const noexcept {
  switch (signal()) {
    case SIGINT:
      return "SIGINT";
    case SIGTERM:
      return "SIGTERM";
    default:
      return "a signal";
  }
}

Interruption::Writing::Writing() noexcept { ++files_being_written; }

Interruption::Writing::~Writing() {
  if (--files_being_written == 0) {
    if (int status = exit_after_writing.load()) {
      say("\ngreentrain train: second signal, quitting now\n");
      ::_exit(status);
    }
  }
}

}  // namespace greentrain::cli
