#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "observability/health.hpp"
#include "support/wait.hpp"

namespace teltubby::observability {
namespace {

using namespace std::chrono_literals;

// Checks run on background threads; wait for their results with the shared helper.
bool wait_until(const std::function<bool()>& condition) { return test::wait_until(condition, 10s); }

TEST(Health, NoChecksMeansHealthy) {
  HealthRegistry health;
  EXPECT_TRUE(health.report().ok);
  EXPECT_EQ(nlohmann::json::parse(health.report().to_json()),
            nlohmann::json::parse(R"({"status":"ok","checks":{}})"));
}

TEST(Health, CheckWithoutAResultYetCountsAsFailing) {
  HealthRegistry health;
  health.add("s3", [] { return Status{}; });
  const auto report = health.report();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.checks.at("s3").reason, "no result yet");
}

TEST(Health, ReportsEveryCheckAndNamesTheFailingOnes) {
  HealthRegistry health;
  health.add("s3", [] { return Status{}; });
  health.add("database",
             [] { return Status(fail(ErrorKind::retryable, "sqlite.busy", "database is locked")); });
  health.run_all_now();
  const auto report = health.report();
  EXPECT_FALSE(report.ok);
  const auto body = nlohmann::json::parse(report.to_json());
  EXPECT_EQ(body["status"], "unavailable");
  EXPECT_EQ(body["failing"], nlohmann::json::array({"database"}));
  EXPECT_EQ(body["checks"]["s3"]["ok"], true);
  EXPECT_EQ(body["checks"]["database"]["ok"], false);
  EXPECT_EQ(body["checks"]["database"]["reason"], "sqlite.busy: database is locked");
}

TEST(Health, ThrowingCheckIsAFailureWithItsMessage) {
  HealthRegistry health;
  health.add("amqp", []() -> Status { throw std::runtime_error("socket closed"); });
  health.run_all_now();
  EXPECT_EQ(health.report().checks.at("amqp").reason, "check threw: socket closed");
}

TEST(Health, ResultOlderThanStaleAfterCountsAsFailing) {
  HealthRegistry health({.interval = 1s, .stale_after = 30s});
  health.add("s3", [] { return Status{}; });
  health.run_all_now();
  const auto now = std::chrono::steady_clock::now();
  EXPECT_TRUE(health.report(now).ok);
  const auto later = health.report(now + 31s);
  EXPECT_FALSE(later.ok);
  EXPECT_NE(later.checks.at("s3").reason.find("s old"), std::string::npos);
}

TEST(Health, HungCheckDoesNotDelayTheOthers) {
  std::promise<void> release;
  auto released = release.get_future().share();
  HealthRegistry health({.interval = 10ms, .stale_after = 30s});
  health.add("hangs", [released] {
    released.wait();
    return Status{};
  });
  health.add("quick", [] { return Status{}; });
  health.start();
  EXPECT_TRUE(wait_until([&] { return health.report().checks.at("quick").ok; }));
  const auto report = health.report();
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.checks.at("hangs").reason, "no result yet");
  release.set_value();
  EXPECT_TRUE(wait_until([&] { return health.report().ok; }));
  health.stop();
}

TEST(Health, RefresherPicksUpAChangedDependency) {
  std::atomic<bool> up{true};
  HealthRegistry health({.interval = 10ms, .stale_after = 30s});
  health.add("rabbitmq", [&up] {
    return up ? Status{} : Status(fail(ErrorKind::retryable, "amqp.connection", "connection refused"));
  });
  health.start();
  EXPECT_TRUE(wait_until([&] { return health.report().ok; }));
  up = false;
  EXPECT_TRUE(wait_until([&] { return !health.report().ok; }));
  EXPECT_EQ(health.report().checks.at("rabbitmq").reason, "amqp.connection: connection refused");
}

TEST(Health, DuplicateOrLateRegistrationIsASetUpError) {
  HealthRegistry health;
  health.add("s3", [] { return Status{}; });
  EXPECT_THROW(health.add("s3", [] { return Status{}; }), FatalError);
  health.start();
  EXPECT_THROW(health.add("late", [] { return Status{}; }), FatalError);
}

}  // namespace
}  // namespace teltubby::observability
