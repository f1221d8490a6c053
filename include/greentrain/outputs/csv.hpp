#pragma once
// emissions.csv with CodeCarbon's exact columns and units, so tools that read CodeCarbon's file
// read ours. Per-task rows go to a second file, like CodeCarbon's task output.
#include <filesystem>
#include <functional>
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

  // Told when a file with other columns is moved aside to a backup (a line for the user).
  void on_backup(std::function<void(const std::string& message)> notice) {
    on_backup_ = std::move(notice);
  }

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
  std::function<void(const std::string&)> on_backup_;

  void announce(const std::filesystem::path& file, const std::filesystem::path& kept);
};

// Appends whole lines to a CSV file: one write(2) of all of them on an O_APPEND descriptor under
// an exclusive flock, so readers and other writers see every line or none. A write that fails or
// comes up short (a full disk) is undone by cutting the file back to its length before, and is
// reported in `ec`. An existing file with another header is renamed to a backup name that no other
// backup has (`FILE.20260115T101112.123456.bak`, `-2` and on when taken) and a new file is started;
// the backup's path is returned when that happened.
std::filesystem::path append_csv_row(const std::filesystem::path& path, std::string_view header,
                                     std::string_view lines, std::error_code& ec);

// The backups append_csv_row made of `path` (older versions' second-resolution names too), oldest
// first; empty when there are none or the folder cannot be listed.
std::vector<std::filesystem::path> csv_backups(const std::filesystem::path& path);

}  // namespace greentrain
