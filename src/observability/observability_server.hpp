#pragma once
// The /healthz and /metrics endpoints of `teltubby bot` and `teltubby worker`, on
// HEALTH_PORT, bound to 127.0.0.1 unless BIND_HEALTH_LOCALHOST_ONLY=false (then 0.0.0.0).
//
//   GET /healthz -> 200 {"status":"ok",...} when every check passes, else 503 with the
//                   failing checks named (see HealthReport::to_json)
//   GET /metrics -> 200, Prometheus text format 0.0.4
//
// It only reads the registry and the health results; starting the health refreshers
// (HealthRegistry::start) is the owner's job.
#include <cstddef>
#include <cstdint>
#include <string>

#include "httpserver/server.hpp"
#include "metrics/registry.hpp"
#include "observability/health.hpp"

namespace teltubby::observability {

struct ObservabilitySettings {
  std::uint16_t port = 8081;   // HEALTH_PORT; 0 = any free port (tests)
  bool localhost_only = true;  // BIND_HEALTH_LOCALHOST_ONLY
  std::size_t threads = 2;     // scrapes and probes are few and quick
};

// The address ObservabilitySettings binds to: "127.0.0.1" or "0.0.0.0".
std::string bind_address_for(const ObservabilitySettings& settings);

// The two handlers, usable without a socket.
httpserver::Response healthz_response(const HealthRegistry& health);
httpserver::Response metrics_response(const metrics::Registry& registry);

class ObservabilityServer {
 public:
  // `registry` and `health` must outlive the server.
  ObservabilityServer(const ObservabilitySettings& settings, const metrics::Registry& registry,
                      const HealthRegistry& health);

  // Bound and serving when it returns; the bound port. FatalError if it cannot bind.
  std::uint16_t start() { return server_.start(); }
  void stop() noexcept { server_.stop(); }
  [[nodiscard]] std::uint16_t port() const noexcept { return server_.port(); }

 private:
  httpserver::Server server_;
};

}  // namespace teltubby::observability
