// `greentrain run --serve [ADDR:]PORT`: the live server beside the tracked command.
#include <fmt/format.h>

#include <charconv>

#include "../command.hpp"
#include "greentrain/error.hpp"
#include "greentrain/server.hpp"

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
  serve_hook() = [](EmissionsTracker& tracker, std::string_view where) -> std::shared_ptr<void> {
    auto server = std::make_shared<MetricsServer>(tracker, server_options(where));
    fmt::print(stderr, "greentrain: live at http://{}:{}/ (metrics at /metrics)\n",
               server->address(), server->port());
    return server;
  };
  return true;
}();

}  // namespace

}  // namespace greentrain::cli
