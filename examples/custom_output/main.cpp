// An output of the user's own: a Markdown table, one row per task as it ends, and the total when
// the run stops. Outputs never throw; a failure goes to the error code and the tracker's handler.
#include <greentrain/outputs/output.hpp>
#include <greentrain/tracker.hpp>

#include <cmath>
#include <cstdio>
#include <memory>
#include <string>

class MarkdownTable : public greentrain::Output {
 public:
  std::string_view name() const noexcept override { return "markdown table"; }
  int writes() const { return writes_; }

 protected:
  void write_run(const greentrain::RunResult& run, std::span<const greentrain::Emissions> new_tasks,
                 std::error_code& ec) override {
    if (!header_written_) {
      header_written_ = std::puts("| task | s | Wh | g CO2e | energy from |\n|---|---|---|---|---|") >= 0;
    }
    for (const auto& task : new_tasks) row(task);
    row(run.total);
    if (std::fflush(stdout) != 0) ec = std::make_error_code(std::errc::io_error);
    ++writes_;
  }

 private:
  static void row(const greentrain::Emissions& e) {
    std::printf("| %s | %.2f | %.3g | %.3g | %s |\n", e.task.empty() ? "(run)" : e.task.c_str(),
                e.duration.count(), e.energy.value * 1000, e.emissions.value,
                e.cpu.provenance.source.c_str());
  }
  bool header_written_ = false;
  int writes_ = 0;
};

int main(int argc, char** argv) {
  auto table = std::make_shared<MarkdownTable>();
  {
    greentrain::EmissionsTracker tracker{{.project = "custom-output",
                                          .output_dir = argc > 1 ? argv[1] : ".",
                                          .zone = "SE",
                                          .write_csv = false,
                                          .write_json = false,
                                          .outputs = {table}}};
    for (int step = 0; step < 3; ++step) {
      auto task = tracker.task("step-" + std::to_string(step));
      double x = 0;
      for (int i = 0; i < 5'000'000; ++i) x = std::fma(x, 0.999999, 1.0);
      if (x < 0) return 2;
    }
  }  // the tracker stops here and writes to every output
  return table->writes() > 0 ? 0 : 1;
}
