#pragma once
// Reading a whole input file without trusting it: a path may name a directory, a device that
// never ends (/dev/zero) or a FIFO that never answers, or a file far larger than any real input.
// Each reader states its limit; what is refused is said in words, with what to give instead.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace greentrain::detail {

// "a directory", "a character device", "a FIFO", ... for the file type of `mode` (st_mode).
std::string_view file_kind(unsigned mode);

// The size of `path` after checking that it is a regular file of at most `max_bytes`; throws
// greentrain::error naming the file, what it is and the limit. `what` names the expected content
// ("an emissions.csv"), for the message.
std::uintmax_t check_regular_file(const std::filesystem::path& path, std::uintmax_t max_bytes,
                                  std::string_view what);

// The whole content of a regular file of at most `max_bytes`, checked on the open descriptor (a
// FIFO is never waited for; a file that grows while it is read is still cut at the limit).
std::string read_regular_file(const std::filesystem::path& path, std::uintmax_t max_bytes,
                              std::string_view what);

inline constexpr std::uintmax_t mebibytes = std::uintmax_t{1} << 20;

// The limits, far above any real input of each kind: a year of one-second flushes is 16 GB of
// rows, so an emissions.csv of 512 MiB is a months-long run flushed every minute.
inline constexpr std::uintmax_t max_emissions_csv_bytes = 512 * mebibytes;
inline constexpr std::uintmax_t max_run_json_bytes = 512 * mebibytes;  // samples of a long run
inline constexpr std::uintmax_t max_trace_bytes = 256 * mebibytes;  // 8 M rows: 15 years by minute
inline constexpr std::uintmax_t max_cache_bytes = 64 * mebibytes;
inline constexpr std::uintmax_t max_checkpoint_bytes = std::uintmax_t{16} << 30;  // 4 G weights
inline constexpr std::uintmax_t max_dataset_bytes = std::uintmax_t{16} << 30;     // IDX, CSV data

}  // namespace greentrain::detail
