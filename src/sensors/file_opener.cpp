#include "greentrain/sensors/file_opener.hpp"

#include <fcntl.h>

namespace greentrain::sensors {

int open_read_only(const std::filesystem::path& path) { return ::open(path.c_str(), O_RDONLY | O_CLOEXEC); }

}  // namespace greentrain::sensors
