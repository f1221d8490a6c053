#include "greentrain/server.hpp"
#include "greentrain/tracker.hpp"

namespace greentrain {

void serve_metrics(TrackerOptions& options, ServerOptions server) {
  options.companions.push_back([server = std::move(server)](EmissionsTracker& tracker) {
    return std::static_pointer_cast<void>(std::make_shared<MetricsServer>(tracker, server));
  });
}

}  // namespace greentrain
