#pragma once
// The readers under fuzzing take paths; this hands them the fuzzer's bytes as
// an anonymous in-memory file, so no harness writes to the disk and parallel
// runs never collide.
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

namespace greentrain::fuzz {

class MemoryFile {
public:
  MemoryFile(const std::uint8_t *data, std::size_t size)
      : fd_(::memfd_create("fuzz-input", 0)) {
    for (std::size_t written = 0; fd_ >= 0 && written < size;) {
      ssize_t n = ::write(fd_, data + written, size - written);
      if (n <= 0)
        break;
      written += static_cast<std::size_t>(n);
    }
  }
  ~MemoryFile() {
    if (fd_ >= 0)
      ::close(fd_);
  }
  MemoryFile(const MemoryFile &) = delete;
  MemoryFile &operator=(const MemoryFile &) = delete;

  bool ok() const { return fd_ >= 0; }
  std::filesystem::path path() const {
    return "/proc/self/fd/" + std::to_string(fd_);
  }

private:
  int fd_;
};

} // namespace greentrain::fuzz
