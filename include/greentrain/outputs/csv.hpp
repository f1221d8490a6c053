#pragma once
// emissions.csv with CodeCarbon's exact columns and units, so tools that read CodeCarbon's file
// read ours. Per-task rows go to a second file, like CodeCarbon's task output.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "greentrain/outputs/output.hpp"

namespace greentrain {

class CsvOutput final : public Output {
 public:
  explicit CsvOutput(std::filesystem::path directory, std::string file_name = "emissions.csv",
                     std::string task_file_name = "emissions_tasks.csv");

  std::string_view name() const noexcept override { return "csv"; }

  const std::filesystem::path& path() const { return path_; }
  const std::filesystem::path& task_path() const { return task_path_; }

  // CodeCarbon's columns, in order; the task file puts task_name first.
  static const std::vector<std::string_view>& columns();
  static std::string header();
  static std::string row(const RunResult& run, const Emissions& figures);

 protected:
  void write_run(const RunResult& run, std::span<const Emissions> new_tasks,
                 std::error_code& ec) override;

 private:
  std::filesystem::path directory_;
  std::filesystem::path path_;
  std::filesystem::path task_path_;
};

// Appends whole lines to a CSV file: one write of a complete line, so a crash never leaves half a row.
// An existing file with another header is kept under a `.bak` name and a new file is started.
// Returns the path of the kept file when that happened.
std::filesystem::path append_csv_row(const std::filesystem::path& path, std::string_view header,
                                     std::string_view line, std::error_code& ec);

}  // namespace greentrain
