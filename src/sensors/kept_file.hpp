#pragma once
// A file kept open for cheap repeated reads: sampling re-reads the head of a sysfs or procfs file
// with one pread() at offset 0 instead of open/read/close, so a reading costs microseconds.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>

namespace greentrain::sensors::detail {

class KeptFile {
 public:
  KeptFile() = default;
  explicit KeptFile(int fd) noexcept : fd_(fd) {}
  KeptFile(KeptFile&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  KeptFile& operator=(KeptFile&& other) noexcept;
  KeptFile(const KeptFile&) = delete;
  KeptFile& operator=(const KeptFile&) = delete;
  ~KeptFile();

  // Opens read-only; on failure ec holds errno's code (EACCES for a root-only file).
  static KeptFile open(const std::filesystem::path& path, std::error_code& ec);

  bool is_open() const noexcept { return fd_ >= 0; }

  // The first bytes of the file as it is now (up to buffer.size()); empty with ec set on failure.
  std::string_view read_head(std::span<char> buffer, std::error_code& ec) const noexcept;

 private:
  friend std::string read_text(const std::filesystem::path& path, std::error_code& ec);
  int fd_ = -1;
};

// Whole small file (sysfs attribute, /proc/cpuinfo) for set-up, not for the hot path.
std::string read_text(const std::filesystem::path& path, std::error_code& ec);

// Without surrounding whitespace and newlines.
std::string_view trim(std::string_view text) noexcept;

// Parses the next unsigned integer after optional spaces and advances text past it.
std::optional<std::uint64_t> next_u64(std::string_view& text) noexcept;

}  // namespace greentrain::sensors::detail
