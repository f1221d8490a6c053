#include "greentrain/trainer/model_spec.hpp"

#include <fmt/format.h>

#include <charconv>

#include "greentrain/error.hpp"

namespace greentrain::trainer {

std::string ModelSpec::describe() const {
  std::string out = std::to_string(inputs);
  for (const auto& layer : hidden) out += fmt::format("-{}", layer.width);
  return out + fmt::format("-{}", classes);
}

std::vector<HiddenLayer> parse_hidden_layers(const std::string& widths, Activation activation,
                                             float dropout) {
  std::vector<HiddenLayer> layers;
  std::string_view rest = widths;
  while (!rest.empty()) {
    auto cut = rest.find(',');
    auto field = rest.substr(0, cut);
    std::size_t width = 0;
    auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), width);
    if (ec != std::errc{} || end != field.data() + field.size() || width == 0)
      throw error(errc::invalid_argument,
                  fmt::format("layer width '{}' in '{}': expected positive integers separated by "
                              "commas, like 1024,1024",
                              field, widths));
    layers.push_back({width, activation, dropout});
    if (cut == std::string_view::npos) break;
    rest.remove_prefix(cut + 1);
  }
  return layers;
}

}  // namespace greentrain::trainer
