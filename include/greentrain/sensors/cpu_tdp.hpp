#pragma once
// A CPU's thermal design power, looked up from its model name in the embedded TDP table
// (data/hardware/cpu-tdp.csv, the table CodeCarbon ships). An unknown CPU gets a stated default.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace greentrain::sensors {

struct TdpRow {
  std::string name;  // as in the table: "Intel Xeon Gold 6248"
  double tdp_w = 0.0;
};

struct TdpTable {
  std::vector<TdpRow> rows;
  std::size_t malformed_rows = 0;  // skipped: TDP not a positive number ("27.29.5", "0.0")
};

// Parses "Name,TDP" CSV (quoted names allowed); a malformed row is counted and skipped.
TdpTable parse_tdp_table(std::string_view csv);

// The table compiled into the library, parsed once.
const TdpTable& embedded_tdp_table();

// "Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz" -> "Intel Xeon Gold 6248": drops (R), (TM), "CPU",
// "@ <clock>", "Processor", "N-Core" and repeated spaces.
std::string normalise_cpu_name(std::string_view model_name);

// The most specific row whose name's words all appear in the CPU's normalised name (at least one
// of them a model number), like CodeCarbon's token-set match. nullopt when none matches, or when
// equally specific rows disagree on the TDP (CodeCarbon refuses ties too).
std::optional<TdpRow> match_cpu(const TdpTable& table, std::string_view model_name);

// CodeCarbon's default for a CPU it does not know.
inline constexpr double default_watts_per_thread = 4.0;

struct CpuTdp {
  std::string cpu_model;  // as the machine reports it
  double tdp_w = 0.0;     // for the whole machine: per-socket TDP x sockets, or the default
  int sockets = 1;
  int threads = 0;
  std::optional<TdpRow> matched;  // empty when the default was used
  // What CPUID says the CPU is, where the name is not in the table ("Zen 4 by CPUID family 25
  // model 17"): said in describe(), so that a figure for a hidden model name says what it is.
  std::string identified_as;

  // "225.0 W TDP ['AMD EPYC 7742' in the TDP table]" or
  // "8.0 W TDP [default: 4 W x 2 threads, CPU 'AMD EPYC' not in table; Zen 4 by CPUID ...]"
  std::string describe() const;
};

CpuTdp lookup_cpu_tdp(std::string_view cpu_model, int threads, int sockets = 1,
                      const TdpTable& table = embedded_tdp_table());

}  // namespace greentrain::sensors
