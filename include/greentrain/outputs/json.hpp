#pragma once
// A JSON result with per-component provenance, replaced atomically at every flush.
#include <filesystem>
#include <string>

#include "greentrain/outputs/output.hpp"

namespace greentrain {

class JsonOutput final : public Output {
 public:
  // The file is `<directory>/greentrain-<run_id>.json` unless a file name is given.
  explicit JsonOutput(std::filesystem::path directory, std::string file_name = {});

  std::string_view name() const noexcept override { return "json"; }

  static std::string to_json(const RunResult& run);

 protected:
  void write_run(const RunResult& run, std::span<const Emissions> new_tasks,
                 std::error_code& ec) override;

 private:
  std::filesystem::path directory_;
  std::string file_name_;
};

// Writes `text` to `path` through a temporary file, fsync and rename: readers see the old or
// the new content, never a mix.
void write_file_atomically(const std::filesystem::path& path, std::string_view text,
                           std::error_code& ec);

}  // namespace greentrain
