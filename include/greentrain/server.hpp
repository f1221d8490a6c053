#pragma once
// A live view of a tracked run over HTTP: Prometheus metrics, the run and its samples as JSON, and
// a dashboard page, all served from the library with no external resources.
//
//   greentrain::EmissionsTracker tracker{{.project = "fashion-mnist"}};
//   greentrain::MetricsServer server(tracker, {.port = 9464});  // http://127.0.0.1:9464/
// or, as a tracker option, for the tracker's lifetime:
//   greentrain::TrackerOptions options{.project = "fashion-mnist"};
//   greentrain::serve_metrics(options, {.port = 9464});
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace greentrain {

class EmissionsTracker;
struct TrackerOptions;

struct ServerOptions {
  std::string address = "127.0.0.1";  // loopback unless asked: the figures describe the machine
  unsigned short port = 0;            // 0: any free port, see MetricsServer::port()
  // Required for an address other than loopback; default: the environment's
  // GREENTRAIN_SERVER_TOKEN. Clients send `Authorization: Bearer <token>`; a browser gets a form
  // that asks for it once and keeps a session cookie.
  std::string token{};
  // Connections held at once. When all are taken, a new one takes the place of the one that has
  // waited longest for its request; when none waits, the new one gets 503 at once.
  std::size_t max_clients = 64;
  std::size_t max_header_bytes = 8192;
  // A connection that has not sent a whole request this long after it opened, or after its last
  // answer, is closed, so that idle or slow clients cannot hold the places.
  std::chrono::milliseconds request_timeout = std::chrono::seconds(3);
  // Called once listening, with the address and the port (the chosen one when `port` is 0).
  std::function<void(const std::string& address, unsigned short port)> on_listening{};
};

class MetricsServer {
 public:
  // Listens at once, on its own thread; throws greentrain::error when the address cannot be
  // bound or a non-loopback address has no token. The tracker must outlive the server.
  MetricsServer(EmissionsTracker& tracker, ServerOptions options = {});
  ~MetricsServer();

  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  unsigned short port() const;
  const std::string& address() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// What to tell the user once the server listens on `address`:`port`: an address a browser on this
// machine can open (http://127.0.0.1:9464/ for 0.0.0.0) and whether other machines reach it too.
std::string listening_message(std::string_view address, unsigned short port);

// Adds the server to a tracker's options: it listens from the tracker's start (whose constructor
// throws if it cannot) to its stop.
void serve_metrics(TrackerOptions& options, ServerOptions server = {});

}  // namespace greentrain
