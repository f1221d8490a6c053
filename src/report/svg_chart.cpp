#include "report/svg_chart.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "core/secrets.hpp"

namespace greentrain::detail {

namespace {

constexpr double width = 720, height = 260;
constexpr double left = 70, right = 20, top = 34, bottom = 40;
constexpr double plot_w = width - left - right, plot_h = height - top - bottom;

std::string open_svg(std::string_view title) {
  return fmt::format(R"(<svg viewBox="0 0 {} {}" role="img" )"
                     R"(aria-label="{}" class="chart"><title>{}</title>)"
                     R"(<text x="{}" y="20" class="chart-title">{}</text>)",
                     width, height, markup_escape(title), markup_escape(title), left,
                     markup_escape(title));
}

// Three horizontal grid lines labelled 0, half and the top of the scale.
std::string y_axis(double top_value, std::string_view unit) {
  std::string svg;
  for (double f : {0.0, 0.5, 1.0}) {
    double y = top + plot_h * (1 - f);
    svg += fmt::format(R"(<line x1="{}" y1="{:.1f}" x2="{}" y2="{:.1f}" class="grid"/>)"
                       R"(<text x="{}" y="{:.1f}" class="tick" text-anchor="end">{:.3g}</text>)",
                       left, y, left + plot_w, y, left - 6, y + 4, top_value * f);
  }
  svg +=
      fmt::format(R"svg(<text x="12" y="{:.1f}" class="tick" transform="rotate(-90 12 {:.1f})" )svg"
                  R"(text-anchor="middle">{}</text>)",
                  top + plot_h / 2, top + plot_h / 2, markup_escape(unit));
  return svg;
}

double scale_top(double max) { return max > 0 ? max * 1.05 : 1.0; }

std::string elapsed_text(double s) {
  if (s < 120) return fmt::format("{:.0f} s", s);
  if (s < 7200) return fmt::format("{:.1f} min", s / 60);
  return fmt::format("{:.1f} h", s / 3600);
}

}  // namespace

std::string markup_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  // Before the escapes, which would hide a secret holding one of these characters.
  for (char c : redact(text)) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string line_chart(std::string_view title, std::string_view unit,
                       const std::vector<double>& x_seconds,
                       const std::vector<ChartSeries>& series) {
  std::string svg = open_svg(title);
  if (x_seconds.size() < 2) {
    svg += fmt::format(R"(<text x="{}" y="{}" class="tick">Too few samples to draw.</text></svg>)",
                       left, top + plot_h / 2);
    return svg;
  }
  double x_max = std::max(x_seconds.back(), 1e-9), y_max = 0;
  for (const auto& s : series)
    for (double v : s.values)
      if (std::isfinite(v)) y_max = std::max(y_max, v);
  double y_top = scale_top(y_max);
  svg += y_axis(y_top, unit);
  svg += fmt::format(R"(<text x="{}" y="{}" class="tick">0</text>)"
                     R"(<text x="{}" y="{}" class="tick" text-anchor="end">{}</text>)",
                     left, height - 18, left + plot_w, height - 18, elapsed_text(x_max));
  double legend_x = left + plot_w;
  for (auto s = series.rbegin(); s != series.rend(); ++s) {
    std::string points;
    for (std::size_t i = 0; i < x_seconds.size() && i < s->values.size(); ++i) {
      double v = std::isfinite(s->values[i]) ? s->values[i] : 0.0;
      points += fmt::format("{:.1f},{:.1f} ", left + plot_w * x_seconds[i] / x_max,
                            top + plot_h * (1 - v / y_top));
    }
    svg += fmt::format(R"(<polyline points="{}" fill="none" stroke="{}" stroke-width="2"/>)",
                       points, markup_escape(s->colour));
    legend_x -= 16 + 7.5 * static_cast<double>(s->name.size() + 2);  // "&#9632; " and a gap
    // A style, not a fill attribute: the tick class's fill would win over an attribute.
    svg += fmt::format(
        R"(<text x="{:.1f}" y="20" class="tick"><tspan style="fill:{}">&#9632;</tspan> {}</text>)",
        legend_x, markup_escape(s->colour), markup_escape(s->name));
  }
  return svg + "</svg>";
}

std::string bar_chart(std::string_view title, std::string_view unit,
                      const std::vector<std::pair<std::string, double>>& bars) {
  std::string svg = open_svg(title);
  if (bars.empty()) return svg + "</svg>";
  double y_max = 0;
  for (const auto& [name, v] : bars) y_max = std::max(y_max, v);
  double y_top = scale_top(y_max);
  svg += y_axis(y_top, unit);
  double slot = plot_w / static_cast<double>(bars.size());
  for (std::size_t i = 0; i < bars.size(); ++i) {
    double h = plot_h * std::max(bars[i].second, 0.0) / y_top;
    double x = left + slot * static_cast<double>(i);
    svg += fmt::format(R"(<rect x="{:.1f}" y="{:.1f}" width="{:.1f}" height="{:.1f}" class="bar">)"
                       R"(<title>{}: {:.4g} {}</title></rect>)",
                       x + slot * 0.15, top + plot_h - h, slot * 0.7, h,
                       markup_escape(bars[i].first), bars[i].second, markup_escape(unit));
    if (bars.size() <= 24)
      svg += fmt::format(R"(<text x="{:.1f}" y="{}" class="tick" text-anchor="middle">{}</text>)",
                         x + slot / 2, height - 18, markup_escape(bars[i].first));
  }
  return svg + "</svg>";
}

}  // namespace greentrain::detail
