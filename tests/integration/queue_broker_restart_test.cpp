// The queue layer across broker restarts, each test with a broker of its own (they
// stop and wipe it): persistent jobs survive, the session reconnects and resumes
// consuming, and a broker that lost its state gets the topology declared again.
#include <gtest/gtest.h>

#include "integration/queue_fixture.hpp"
#include "queue/job_consumer.hpp"
#include "queue/job_publisher.hpp"
#include "queue/session.hpp"
#include "support/rabbitmq_broker.hpp"

namespace teltubby::queue {
namespace {

using namespace std::chrono_literals;
using testing::make_job;
using testing::settings_for;

TEST(QueueBrokerRestart, PersistentJobSurvivesARestartAndConsumingResumes) {
  test::PrivateRabbitBroker broker;
  Session session{settings_for(broker.port())};
  ASSERT_TRUE(session.connect().has_value());
  JobPublisher publisher{session};
  const JobMessage job = make_job();
  ASSERT_TRUE(publisher.publish(job).has_value());

  broker.stop();
  JobConsumer consumer{session};
  auto during = consumer.next(100ms);
  ASSERT_FALSE(during.has_value());
  EXPECT_TRUE(during.error().retryable()) << during.error().describe();
  EXPECT_FALSE(session.connected());

  broker.start();
  // The first call after the broker returns reconnects (no backoff wait has built up
  // beyond a second) and finds the job on disk.
  std::optional<ReceivedJob> received;
  for (int attempt = 0; attempt < 50 && !received; ++attempt) {
    auto next = consumer.next(1s);
    if (next && *next) received = std::move(**next);
  }
  ASSERT_TRUE(received.has_value()) << "the job did not come back after the restart";
  EXPECT_EQ(received->job, job);
  EXPECT_TRUE(consumer.ack(*received).has_value());
  EXPECT_GE(session.generation(), 2U);
}

TEST(QueueBrokerRestart, TopologyIsDeclaredAgainWhenTheBrokerLostItsState) {
  test::PrivateRabbitBroker broker;
  Session session{settings_for(broker.port())};
  ASSERT_TRUE(session.connect().has_value());
  broker.stop();
  broker.wipe();
  broker.start();

  JobPublisher publisher{session};
  const JobMessage job = make_job(JobPriority::urgent);
  // The publish that meets the dead connection fails (retryable); a later one
  // reconnects, declares the topology again and succeeds (it would be unroutable
  // without the job exchange's bindings).
  auto first = publisher.publish(job);
  if (!first) {
    EXPECT_TRUE(first.error().retryable()) << first.error().describe();
  }
  Status published = first;
  for (int attempt = 0; attempt < 50 && !published; ++attempt) {
    ASSERT_TRUE(session.wait(200ms).has_value());
    published = publisher.publish(job);
  }
  ASSERT_TRUE(published.has_value()) << published.error().describe();

  JobConsumer consumer{session};
  auto received = consumer.next(10s);
  ASSERT_TRUE(received.has_value() && received->has_value());
  EXPECT_EQ((*received)->job.job_id, job.job_id);
}

}  // namespace
}  // namespace teltubby::queue
