#pragma once
// How sensors open the files they keep: open(2) by default. Injectable because a test running as
// root cannot make a recorded energy_uj unreadable (root ignores chmod 000), yet the root-only
// energy_uj of Linux 5.10+ must be detected and explained; a test opener fails with EACCES instead.
#include <filesystem>
#include <functional>

namespace greentrain::sensors {

// Returns a file descriptor opened read-only, or -1 with errno set.
using FileOpener = std::function<int(const std::filesystem::path& path)>;

// open(path, O_RDONLY | O_CLOEXEC).
int open_read_only(const std::filesystem::path& path);

}  // namespace greentrain::sensors
