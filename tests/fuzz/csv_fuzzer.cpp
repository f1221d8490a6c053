// The CSV reader behind the embedded tables and traces: quoted fields, doubled
// quotes, CR/LF.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/csv_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data,
                                      std::size_t size) {
  std::string_view text(reinterpret_cast<const char *>(data), size);
  std::size_t last_line = 0;
  for (const auto &row : greentrain::detail::parse_csv(text)) {
    // Lines only move forward, and no field is longer than the text it came
    // from.
    if (row.line < last_line)
      __builtin_trap();
    last_line = row.line;
    for (const auto &field : row.fields) {
      if (field.size() > size)
        __builtin_trap();
      greentrain::detail::parse_number(field);
    }
  }
  return 0;
}
