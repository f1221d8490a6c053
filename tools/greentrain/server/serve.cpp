// `greentrain run --serve [ADDR:]PORT`: the live server beside the tracked command.
#include <fmt/format.h>

#include <charconv>

#include "../command.hpp"
#include "greentrain/error.hpp"
#include "greentrain/server.hpp"
#include "greentrain/tracker.hpp"
#include "../redacted_output.hpp"

namespace greentrain::cli {

namespace {

ServerOptions server_options(std::string_view where) {
  ServerOptions options;
  auto colon = where.rfind(':');
  if (colon != std::string_view::npos) {
    options.address = std::string(where.substr(0, colon));
    where.remove_prefix(colon + 1);
  }
  auto [end, ec] = std::from_chars(where.data(), where.data() + where.size(), options.port);
  if (ec != std::errc{} || end != where.data() + where.size())
    throw error(
        errc::invalid_argument,
        fmt::format("--serve takes [ADDR:]PORT, such as 9464 or 0.0.0.0:9464; got '{}'", where));
  return options;
}

const bool installed = [] {
  serve_hook() = [](TrackerOptions& tracker, std::string_view where) {
    auto options = server_options(where);
    options.on_listening = [](const std::string& address, unsigned short port) {
      cli::print(stderr, "greentrain: {}\n", listening_message(address, port));
    };
    serve_metrics(tracker, std::move(options));
  };
  return true;
}();

}  // namespace

}  // namespace greentrain::cli
