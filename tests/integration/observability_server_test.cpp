#include <gtest/gtest.h>

#include <httplib.h>

#include <atomic>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "metrics/catalog.hpp"
#include "observability/observability_server.hpp"

namespace teltubby::observability {
namespace {

httplib::Client client_for(std::uint16_t port) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(5);
  client.set_read_timeout(10);
  return client;
}

TEST(ObservabilityServer, HealthzIs200WhileChecksPassThen503NamingTheFailingCheck) {
  std::atomic<bool> s3_up{true};
  HealthRegistry health;
  health.add("s3", [&s3_up] {
    return s3_up ? Status{} : Status(fail(ErrorKind::retryable, "s3.unreachable", "connection refused"));
  });
  health.add("database", [] { return Status{}; });
  health.run_all_now();
  metrics::Registry registry;
  ObservabilityServer server({.port = 0}, registry, health);
  auto client = client_for(server.start());

  const auto healthy = client.Get("/healthz");
  ASSERT_TRUE(healthy) << httplib::to_string(healthy.error());
  EXPECT_EQ(healthy->status, 200);
  EXPECT_EQ(healthy->get_header_value("Content-Type"), "application/json");
  const auto healthy_body = nlohmann::json::parse(healthy->body);
  EXPECT_EQ(healthy_body["status"], "ok");
  EXPECT_EQ(healthy_body["checks"]["s3"]["ok"], true);

  s3_up = false;
  health.run_all_now();  // what the refresher does every interval
  const auto unhealthy = client.Get("/healthz");
  ASSERT_TRUE(unhealthy);
  EXPECT_EQ(unhealthy->status, 503);
  const auto body = nlohmann::json::parse(unhealthy->body);
  EXPECT_EQ(body["status"], "unavailable");
  EXPECT_EQ(body["failing"], nlohmann::json::array({"s3"}));
  EXPECT_EQ(body["checks"]["s3"]["reason"], "s3.unreachable: connection refused");
  EXPECT_EQ(body["checks"]["database"]["ok"], true);
}

TEST(ObservabilityServer, MetricsServesPrometheusTextWithItsContentType) {
  HealthRegistry health;
  metrics::Registry registry;
  metrics::Catalog catalog(registry);
  catalog.ingested_messages_total.inc(7);
  catalog.ignored_updates_total.labels("not_private").inc();
  auto used = catalog.minio_bucket_used_ratio.set_function([] { return std::optional<double>(0.42); });
  ObservabilityServer server({.port = 0}, registry, health);
  auto client = client_for(server.start());

  const auto response = client.Get("/metrics");
  ASSERT_TRUE(response) << httplib::to_string(response.error());
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->get_header_value("Content-Type"), "text/plain; version=0.0.4; charset=utf-8");
  EXPECT_EQ(response->body, registry.render());
  EXPECT_NE(response->body.find("\nteltubby_ingested_messages_total 7\n"), std::string::npos);
  EXPECT_NE(response->body.find("\nteltubby_ignored_updates_total{reason=\"not_private\"} 1\n"),
            std::string::npos);
  EXPECT_NE(response->body.find("\nteltubby_minio_bucket_used_ratio 0.42\n"), std::string::npos);
}

TEST(ObservabilityServer, BindsLoopbackOnlyUnlessToldOtherwise) {
  EXPECT_EQ(bind_address_for({.localhost_only = true}), "127.0.0.1");
  EXPECT_EQ(bind_address_for({.localhost_only = false}), "0.0.0.0");
}

TEST(ObservabilityServer, AllInterfacesModeIsReachableOnLoopback) {
  HealthRegistry health;
  metrics::Registry registry;
  ObservabilityServer server({.port = 0, .localhost_only = false}, registry, health);
  auto client = client_for(server.start());
  const auto response = client.Get("/healthz");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
}

TEST(ObservabilityServer, PortInUseIsAFatalError) {
  HealthRegistry health;
  metrics::Registry registry;
  ObservabilityServer first({.port = 0}, registry, health);
  const auto port = first.start();
  ObservabilityServer second({.port = port}, registry, health);
  EXPECT_THROW(second.start(), FatalError);
}

}  // namespace
}  // namespace teltubby::observability
