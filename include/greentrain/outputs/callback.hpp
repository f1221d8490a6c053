#pragma once
#include <functional>

#include "greentrain/outputs/output.hpp"

namespace greentrain {

// Hands each flush to a user function; an exception it throws becomes an error code.
class CallbackOutput final : public Output {
 public:
  using Function = std::function<void(const RunResult&, std::span<const Emissions> new_tasks)>;
  explicit CallbackOutput(Function function) : function_(std::move(function)) {}

  std::string_view name() const noexcept override { return "callback"; }

 protected:
  void write_run(const RunResult& run, std::span<const Emissions> new_tasks,
                 std::error_code& ec) override;

 private:
  Function function_;
};

}  // namespace greentrain
