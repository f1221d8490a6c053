#include "greentrain/sensors/gpu_model.hpp"

#include <algorithm>
#include <cctype>

namespace greentrain::sensors {

double GpuPowerRange::watts(double load) const noexcept {
  return idle_w + (full_w - idle_w) * std::clamp(load, 0.0, 1.0);
}

const std::vector<GpuPowerRange>& known_gpus() {
  static const std::vector<GpuPowerRange> boards = {
      {"A100", 46, 407}, {"A10G", 18, 153}, {"V100", 35, 306}, {"T4", 8, 71}};
  return boards;
}

std::optional<GpuPowerRange> lookup_gpu(std::string_view name) {
  std::string upper(name);
  std::transform(upper.begin(), upper.end(), upper.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  // A board's name as a word of the model: "A100-SXM4" and "Tesla T4", not "RTX 4070 T4X".
  auto is_word_edge = [&](std::size_t at) {
    return at >= upper.size() || !std::isalnum(static_cast<unsigned char>(upper[at]));
  };
  for (const auto& board : known_gpus())
    for (auto pos = upper.find(board.model); pos != std::string::npos;
         pos = upper.find(board.model, pos + 1))
      if ((pos == 0 || is_word_edge(pos - 1)) && is_word_edge(pos + board.model.size()))
        return board;
  return std::nullopt;
}

}  // namespace greentrain::sensors
