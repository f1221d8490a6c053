#include "sensors/kept_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>

namespace greentrain::sensors::detail {

KeptFile& KeptFile::operator=(KeptFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

KeptFile::~KeptFile() {
  if (fd_ >= 0) ::close(fd_);
}

KeptFile KeptFile::open(const std::filesystem::path& path, std::error_code& ec) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    ec = std::error_code(errno, std::system_category());
    return KeptFile{};
  }
  ec.clear();
  return KeptFile{fd};
}

std::string_view KeptFile::read_head(std::span<char> buffer, std::error_code& ec) const noexcept {
  ssize_t n = ::pread(fd_, buffer.data(), buffer.size(), 0);
  if (n < 0) {
    ec = std::error_code(errno, std::system_category());
    return {};
  }
  return {buffer.data(), static_cast<std::size_t>(n)};
}

std::string read_text(const std::filesystem::path& path, std::error_code& ec) {
  KeptFile file = KeptFile::open(path, ec);
  if (ec) return {};
  std::string text;
  char chunk[4096];
  for (;;) {
    ssize_t n = ::read(file.fd_, chunk, sizeof chunk);
    if (n < 0) {
      if (errno == EINTR) continue;
      ec = std::error_code(errno, std::system_category());
      return {};
    }
    if (n == 0) break;
    text.append(chunk, static_cast<std::size_t>(n));
    // /proc and /sys files say size 0, so only the count read can bound them; /proc/cpuinfo of
    // a thousand cores is 2 MB. A root that points elsewhere (/dev/zero) must not fill memory.
    if (text.size() > 16 * 1024 * 1024) {
      ec = std::make_error_code(std::errc::file_too_large);
      return {};
    }
  }
  return text;
}

std::string_view trim(std::string_view text) noexcept {
  constexpr std::string_view space = " \t\r\n";
  auto first = text.find_first_not_of(space);
  if (first == std::string_view::npos) return {};
  auto last = text.find_last_not_of(space);
  return text.substr(first, last - first + 1);
}

std::optional<std::uint64_t> next_u64(std::string_view& text) noexcept {
  std::size_t i = 0;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
  std::uint64_t value = 0;
  auto [end, err] = std::from_chars(text.data() + i, text.data() + text.size(), value);
  if (err != std::errc{}) return std::nullopt;
  text.remove_prefix(static_cast<std::size_t>(end - text.data()));
  return value;
}

}  // namespace greentrain::sensors::detail
