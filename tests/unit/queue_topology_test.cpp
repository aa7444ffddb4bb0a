// Pure parts of the queue layer: retry and reconnect backoff, lanes, and the declared
// arguments that bot and worker must agree on.
#include <gtest/gtest.h>

#include "queue/session.hpp"
#include "queue/topology.hpp"

namespace teltubby::queue {
namespace {

using std::chrono::milliseconds;

TEST(RetryDelay, DoublesPerRetryFromTheBaseAndStopsAtADay) {
  EXPECT_EQ(retry_delay(milliseconds{60'000}, 0), milliseconds{60'000});
  EXPECT_EQ(retry_delay(milliseconds{60'000}, 1), milliseconds{120'000});
  EXPECT_EQ(retry_delay(milliseconds{60'000}, 3), milliseconds{480'000});
  EXPECT_EQ(retry_delay(milliseconds{60'000}, 1000), std::chrono::hours{24});
  EXPECT_EQ(retry_delay(milliseconds{60'000}, -2), milliseconds{60'000});
}

TEST(RetryDelay, AFloodWaitIsHonouredByTheFirstLongEnoughDelayOfTheSeries) {
  EXPECT_EQ(retry_delay_at_least(milliseconds{60'000}, 0, milliseconds{0}), milliseconds{60'000});
  EXPECT_EQ(retry_delay_at_least(milliseconds{60'000}, 0, milliseconds{60'000}), milliseconds{60'000});
  EXPECT_EQ(retry_delay_at_least(milliseconds{60'000}, 0, milliseconds{61'000}), milliseconds{120'000});
  EXPECT_EQ(retry_delay_at_least(milliseconds{60'000}, 1, milliseconds{300'000}), milliseconds{480'000});
  EXPECT_EQ(retry_delay_at_least(milliseconds{60'000}, 0, std::chrono::hours{48}), std::chrono::hours{24});
}

TEST(ReconnectDelay, FirstRetryIsImmediateThenExponentialWithJitterAndCap) {
  const milliseconds base{500}, max{30'000};
  EXPECT_EQ(reconnect_delay(base, max, 0, 1.0), milliseconds{0});
  EXPECT_EQ(reconnect_delay(base, max, 1, 1.0), milliseconds{500});
  EXPECT_EQ(reconnect_delay(base, max, 3, 1.0), milliseconds{2'000});
  EXPECT_EQ(reconnect_delay(base, max, 3, 0.5), milliseconds{1'000});
  EXPECT_EQ(reconnect_delay(base, max, 40, 1.0), max);
  EXPECT_EQ(reconnect_delay(base, max, 3, 7.0), milliseconds{2'000});  // jitter clamped to [0.5, 1]
}

TEST(Lanes, HighAndUrgentGoToThePriorityLaneUrgentFirst) {
  EXPECT_EQ(lane_for(JobPriority::normal), JobLane::normal);
  EXPECT_EQ(lane_for(JobPriority::high), JobLane::priority);
  EXPECT_EQ(lane_for(JobPriority::urgent), JobLane::priority);
  EXPECT_GT(message_priority(JobPriority::urgent), message_priority(JobPriority::high));
  EXPECT_LE(message_priority(JobPriority::urgent), kMaxMessagePriority);
}

TEST(Topology, RetryQueuesArePerLaneAndDelayAndDeadLetterBackToTheirLane) {
  QueueSettings settings;
  const QueueDeclaration queue = retry_queue(settings, JobLane::priority, milliseconds{120'000});
  EXPECT_EQ(queue.name.str(), "teltubby.retry_jobs.priority.120000");
  EXPECT_EQ(queue.arguments.at("x-message-ttl"), FieldValue{std::int64_t{120'000}});
  EXPECT_EQ(queue.arguments.at("x-dead-letter-exchange"), FieldValue{std::string("teltubby.jobs")});
  EXPECT_EQ(queue.arguments.at("x-dead-letter-routing-key"), FieldValue{std::string("priority")});
}

TEST(Topology, DeclaresEverythingDurableSectionFiveNamesWithControlTtl) {
  QueueSettings settings;
  const Topology topology = job_topology(settings);
  std::vector<std::string> queues;
  for (const auto& queue : topology.queues) queues.push_back(queue.name.str());
  EXPECT_EQ(queues, (std::vector<std::string>{"teltubby.large_files", "teltubby.priority_jobs",
                                              "teltubby.failed_jobs", "teltubby.bot_events",
                                              "teltubby.worker_control"}));
  EXPECT_EQ(topology.queues[1].arguments.at("x-max-priority"), FieldValue{kMaxMessagePriority});
  EXPECT_EQ(topology.queues[4].arguments.at("x-message-ttl"), FieldValue{std::int64_t{120'000}});
  EXPECT_EQ(topology.exchanges.size(), 3U);
  EXPECT_EQ(topology.bindings.size(), 5U);
}

}  // namespace
}  // namespace teltubby::queue
