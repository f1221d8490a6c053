#include "core/bounded_file.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "greentrain/error.hpp"

namespace greentrain::detail {

namespace {

struct Descriptor {
  int fd = -1;
  ~Descriptor() {
    if (fd >= 0) ::close(fd);
  }
};

[[noreturn]] void cannot_open(const std::filesystem::path& path, int code, std::string_view what) {
  throw error(code == EACCES ? errc::permission_denied : errc::io_error,
              fmt::format("cannot read {}: {}; give {}", path.string(), std::strerror(code), what));
}

void check(const std::filesystem::path& path, const struct stat& st, std::uintmax_t max_bytes,
           std::string_view what) {
  if (S_ISDIR(st.st_mode))
    throw error(errc::invalid_argument,
                fmt::format("{} is a directory; give {} (a file, for example one inside it)",
                            path.string(), what));
  if (!S_ISREG(st.st_mode))
    throw error(errc::invalid_argument, fmt::format("{} is {}, not a regular file; give {}",
                                                    path.string(), file_kind(st.st_mode), what));
  if (static_cast<std::uintmax_t>(st.st_size) > max_bytes)
    throw error(errc::invalid_argument,
                fmt::format("{} is {} MiB, more than the {} MiB that {} may have; is it the "
                            "right file?",
                            path.string(), static_cast<std::uintmax_t>(st.st_size) / mebibytes,
                            max_bytes / mebibytes, what));
}

}  // namespace

std::string_view file_kind(unsigned mode) {
  switch (mode & S_IFMT) {
    case S_IFREG:
      return "a regular file";
    case S_IFDIR:
      return "a directory";
    case S_IFCHR:
      return "a character device";
    case S_IFBLK:
      return "a block device";
    case S_IFIFO:
      return "a FIFO (named pipe)";
    case S_IFSOCK:
      return "a socket";
    case S_IFLNK:
      return "a symbolic link";
  }
  return "not a file";
}

std::uintmax_t check_regular_file(const std::filesystem::path& path, std::uintmax_t max_bytes,
                                  std::string_view what) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) cannot_open(path, errno, what);
  check(path, st, max_bytes, what);
  return static_cast<std::uintmax_t>(st.st_size);
}

std::string read_regular_file(const std::filesystem::path& path, std::uintmax_t max_bytes,
                              std::string_view what) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer before fstat can say what it is.
  Descriptor file{::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC)};
  if (file.fd < 0) cannot_open(path, errno, what);
  struct stat st {};
  if (::fstat(file.fd, &st) != 0) cannot_open(path, errno, what);
  check(path, st, max_bytes, what);
  std::string text(static_cast<std::size_t>(st.st_size), '\0');
  std::size_t done = 0;
  for (;;) {
    if (done == text.size()) {
      if (text.size() > max_bytes) break;  // grown past the limit while being read
      text.resize(std::min<std::uintmax_t>(max_bytes + 1, text.size() + 64 * 1024));
    }
    ssize_t n = ::read(file.fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) cannot_open(path, errno, what);
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  text.resize(done);
  if (done > max_bytes)
    throw error(errc::invalid_argument,
                fmt::format("{} grew past the {} MiB that {} may have while it was read",
                            path.string(), max_bytes / mebibytes, what));
  return text;
}

}  // namespace greentrain::detail
