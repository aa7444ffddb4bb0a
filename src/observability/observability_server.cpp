#include "observability/observability_server.hpp"

#include <chrono>

#include "metrics/exposition.hpp"

namespace teltubby::observability {

std::string bind_address_for(const ObservabilitySettings& settings) {
  return settings.localhost_only ? "127.0.0.1" : "0.0.0.0";
}

httpserver::Response healthz_response(const HealthRegistry& health) {
  const auto report = health.report();
  return httpserver::Response::json(report.ok ? 200 : 503, report.to_json() + "\n");
}

httpserver::Response metrics_response(const metrics::Registry& registry) {
  return {200, std::string(metrics::text_format_content_type), registry.render(), {}};
}

ObservabilityServer::ObservabilityServer(const ObservabilitySettings& settings,
                                         const metrics::Registry& registry, const HealthRegistry& health)
    : server_(httpserver::ServerSettings{
          .name = "observability",
          .bind_address = bind_address_for(settings),
          .port = settings.port,
          .threads = settings.threads,
          .max_body_bytes = 4096,  // GET only; nothing legitimate sends a body here
          .read_timeout = std::chrono::seconds{5},
          .write_timeout = std::chrono::seconds{5},
          .keep_alive_timeout = std::chrono::seconds{1},
      }) {
  server_.get("/healthz", [&health](const httpserver::Request&) { return healthz_response(health); });
  server_.get("/metrics", [&registry](const httpserver::Request&) { return metrics_response(registry); });
}

}  // namespace teltubby::observability
