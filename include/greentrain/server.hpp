#pragma once
// A live view of a tracked run over HTTP: Prometheus metrics, the run and its samples as JSON, and
// a dashboard page, all served from the library with no external resources.
//
//   greentrain::EmissionsTracker tracker{{.project = "fashion-mnist"}};
//   greentrain::MetricsServer server(tracker, {.port = 9464});  // http://127.0.0.1:9464/
// or, as a tracker option, for the tracker's lifetime:
//   greentrain::TrackerOptions options{.project = "fashion-mnist"};
//   greentrain::serve_metrics(options, {.port = 9464});
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace greentrain {

class EmissionsTracker;
struct TrackerOptions;

struct ServerOptions {
  std::string address = "127.0.0.1";  // loopback unless asked: the figures describe the machine
  unsigned short port = 0;            // 0: any free port, see MetricsServer::port()
  // Required for an address other than loopback; default: the environment's
  // GREENTRAIN_SERVER_TOKEN. Clients send `Authorization: Bearer <token>`.
  std::string token{};
  std::size_t max_clients = 64;  // connections beyond are closed at once
  std::size_t max_header_bytes = 8192;
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

// Adds the server to a tracker's options: it listens from the tracker's start (whose constructor
// throws if it cannot) to its stop.
void serve_metrics(TrackerOptions& options, ServerOptions server = {});

}  // namespace greentrain
