#pragma once
// SIGINT and SIGTERM during `greentrain train` (Ctrl-C, or a scheduler's time
// limit): the first asks the run to wrap up (the trainer stops after its
// current batch, then the checkpoint, the rows and the report are written); a
// second quits at once, except that a file being written is finished first, so
// every file is left whole.
#include <csignal>
#include <string_view>

#include "greentrain/tracker.hpp"

namespace greentrain::cli {

class Interruption {
 public:
  // Installs the handlers; the destructor puts the previous ones back. One at a
  // time.
  Interruption();
  ~Interruption();
  Interruption(const Interruption &) = delete;
  Interruption &operator=(const Interruption &) = delete;

  // Forwards a signal (one already received too) to tracker.request_stop(),
  // until detach().
  void attach(EmissionsTracker &tracker) noexcept;
  void detach() noexcept;

  // The first signal received, 0 if none.
  int signal() const noexcept;
  // "SIGINT", "SIGTERM".
  std::string_view signal_name() const noexcept;
  // 128 + the signal, as a shell reports a process that the signal ended.
  int exit_status() const noexcept { return 128 + signal(); }

  // While one lives, a second signal waits for it to end before the process
  // exits: hold one around each file written.
  class Writing {
   public:
    Writing() noexcept;
    ~Writing();
    Writing(const Writing &) = delete;
    Writing &operator=(const Writing &) = delete;
  };

 private:
  struct sigaction previous_int_ {
  }, previous_term_{};
};

}  // namespace greentrain::cli
