// The queue layer against a real RabbitMQ (the run's shared broker; each test uses
// its own names): confirmed publish and ack, priority before normal, retry delay
// queues, dead-lettering of invalid messages from another client, events, and the
// errors a wrong password or a conflicting declaration give.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "integration/queue_fixture.hpp"
#include "queue/event_channel.hpp"
#include "queue/job_consumer.hpp"
#include "queue/job_publisher.hpp"
#include "queue/session.hpp"
#include "support/rabbitmq_broker.hpp"

namespace teltubby::queue {
namespace {

using namespace std::chrono_literals;
using testing::make_job;
using testing::settings_for;

class QueueTest : public ::testing::Test {
 protected:
  QueueTest() : session_(settings_for(test::shared_rabbit_port())) {}
  void SetUp() override {
    auto connected = session_.connect();
    ASSERT_TRUE(connected.has_value()) << connected.error().describe();
  }
  void TearDown() override { testing::delete_topology(session_, extra_queues_); }

  // The next job within a generous limit (the broker is local; this only bounds a hang).
  ReceivedJob next_job(JobConsumer& consumer) {
    auto received = consumer.next(10s);
    EXPECT_TRUE(received.has_value()) << received.error().describe();
    if (!received || !*received) {
      ADD_FAILURE() << "no job arrived";
      return {};
    }
    return std::move(**received);
  }

  Session session_;
  std::vector<QueueName> extra_queues_;
};

TEST_F(QueueTest, PublishesWithConfirmThenConsumesAndAcks) {
  JobPublisher publisher{session_};
  const JobMessage job = make_job();
  ASSERT_TRUE(publisher.publish(job).has_value());
  auto depths = publisher.depths();
  ASSERT_TRUE(depths.has_value()) << depths.error().describe();
  EXPECT_EQ(depths->normal, 1U);  // confirmed means it is there now
  EXPECT_EQ(depths->priority, 0U);

  JobConsumer consumer{session_};
  const ReceivedJob received = next_job(consumer);
  EXPECT_EQ(received.job, job);
  EXPECT_FALSE(received.delivery.redelivered);
  EXPECT_EQ(received.delivery.content_type, "application/json");
  EXPECT_EQ(header_string(received.delivery.headers, kHeaderJobId), job.job_id);
  ASSERT_TRUE(consumer.ack(received).has_value());

  auto nothing = consumer.next(100ms);
  ASSERT_TRUE(nothing.has_value());
  EXPECT_FALSE(nothing->has_value());
  EXPECT_EQ(publisher.depths()->normal, 0U);
}

TEST_F(QueueTest, UnackedJobIsDeliveredAgainAfterRequeue) {
  JobPublisher publisher{session_};
  const JobMessage job = make_job();
  ASSERT_TRUE(publisher.publish(job).has_value());
  JobConsumer consumer{session_};
  const ReceivedJob first = next_job(consumer);
  ASSERT_TRUE(consumer.requeue(first).has_value());
  const ReceivedJob again = next_job(consumer);
  EXPECT_EQ(again.job.job_id, job.job_id);
  EXPECT_TRUE(again.delivery.redelivered);
  EXPECT_TRUE(consumer.ack(again).has_value());
}

TEST_F(QueueTest, PriorityQueueIsDrainedBeforeTheNormalOneUrgentBeforeHigh) {
  JobPublisher publisher{session_};
  std::vector<std::string> normal_ids;
  for (int i = 0; i < 3; ++i) {
    const JobMessage job = make_job(JobPriority::normal);
    normal_ids.push_back(job.job_id);
    ASSERT_TRUE(publisher.publish(job).has_value());
  }
  const JobMessage high = make_job(JobPriority::high);
  const JobMessage urgent = make_job(JobPriority::urgent);
  ASSERT_TRUE(publisher.publish(high).has_value());
  ASSERT_TRUE(publisher.publish(urgent).has_value());

  JobConsumer consumer{session_};
  std::vector<std::string> order;
  for (int i = 0; i < 5; ++i) {
    const ReceivedJob received = next_job(consumer);
    order.push_back(received.job.job_id);
    ASSERT_TRUE(consumer.ack(received).has_value());
  }
  EXPECT_EQ(order, (std::vector<std::string>{urgent.job_id, high.job_id, normal_ids[0], normal_ids[1],
                                             normal_ids[2]}));
}

TEST_F(QueueTest, RetryReturnsAfterItsDelayAndAShortRetryDoesNotWaitBehindALongOne) {
  JobPublisher publisher{session_};
  JobMessage long_job = make_job();
  long_job.job_metadata.retry_count = 3;  // 250 ms * 2^3 = 2 s
  long_job.job_metadata.max_retries = 5;
  JobMessage short_job = make_job(JobPriority::high);
  short_job.job_metadata.retry_count = 0;  // 250 ms

  const auto started = std::chrono::steady_clock::now();
  auto long_delay = publisher.schedule_retry(long_job, "s3: SlowDown");
  ASSERT_TRUE(long_delay.has_value()) << long_delay.error().describe();
  EXPECT_EQ(*long_delay, 2000ms);
  auto short_delay = publisher.schedule_retry(short_job, "timeout");
  ASSERT_TRUE(short_delay.has_value()) << short_delay.error().describe();
  EXPECT_EQ(*short_delay, 250ms);
  extra_queues_ = {retry_queue(session_.settings(), JobLane::normal, 2000ms).name,
                   retry_queue(session_.settings(), JobLane::priority, 250ms).name};

  JobConsumer consumer{session_};
  const ReceivedJob first = next_job(consumer);
  const auto first_after = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(first.job.job_id, short_job.job_id);
  EXPECT_EQ(first.job.job_metadata.retry_count, 1);
  EXPECT_EQ(first.delivery.queue, session_.settings().priority_queue);  // back in its own lane
  EXPECT_EQ(header_string(first.delivery.headers, kHeaderReason), "timeout");
  EXPECT_GE(first_after, 250ms);  // not before its TTL expired
  ASSERT_TRUE(consumer.ack(first).has_value());

  const ReceivedJob second = next_job(consumer);
  EXPECT_EQ(second.job.job_id, long_job.job_id);
  EXPECT_EQ(second.job.job_metadata.retry_count, 4);
  EXPECT_EQ(second.delivery.queue, session_.settings().job_queue);
  EXPECT_GE(std::chrono::steady_clock::now() - started, 2000ms);
  ASSERT_TRUE(consumer.ack(second).has_value());
}

// Acceptance point of issue 6: a malformed message published by another client is
// dead-lettered with the reason, and the consumer goes on to the next job.
TEST_F(QueueTest, InvalidMessagesFromAnotherClientAreDeadLetteredWithReasonAndConsumingContinues) {
  const auto& s = session_.settings();
  const std::string script = R"(
import sys, pika
port, exchange = int(sys.argv[1]), sys.argv[2]
connection = pika.BlockingConnection(pika.ConnectionParameters(host="127.0.0.1", port=port))
channel = connection.channel()
channel.confirm_delivery()
props = pika.BasicProperties(delivery_mode=2, content_type="application/json")
channel.basic_publish(exchange, "normal", b'{"job_id": "3f2b8c1e-9a4d-4e7f-8b21-0c5d6e7f8a9b", "oops": true}', props, mandatory=True)
channel.basic_publish(exchange, "normal", b'{"caption": "\xff\xfe"}', props, mandatory=True)
connection.close()
)";
  const std::string script_path = "/tmp/teltubby-pika-" + make_uuid_v4() + ".py";
  std::ofstream(script_path) << script;
  const std::string command =
      "/usr/bin/python3 " + script_path + " " + std::to_string(s.port) + " " + s.job_exchange.str();
  const int status = std::system(command.c_str());
  std::filesystem::remove(script_path);
  ASSERT_EQ(status, 0) << "python3-pika could not publish";

  JobPublisher publisher{session_};
  const JobMessage valid = make_job();
  ASSERT_TRUE(publisher.publish(valid).has_value());

  JobConsumer consumer{session_};
  const ReceivedJob received = next_job(consumer);
  EXPECT_EQ(received.job.job_id, valid.job_id);
  EXPECT_EQ(consumer.invalid_count(), 2U);
  ASSERT_TRUE(consumer.ack(received).has_value());

  std::vector<std::string> reasons;
  for (int i = 0; i < 2; ++i) {
    auto dead = session_.get(s.dead_letter_queue);
    ASSERT_TRUE(dead.has_value() && dead->has_value()) << "dead letter " << i << " missing";
    const Delivery& d = **dead;
    reasons.push_back(header_string(d.headers, kHeaderReason).value_or(""));
    EXPECT_TRUE(header_string(d.headers, kHeaderFailedAt).has_value());
    EXPECT_EQ(header_int(d.headers, kHeaderRetryCount), 0);
    EXPECT_EQ(header_string(d.headers, kHeaderSourceQueue), s.job_queue.str());
    ASSERT_TRUE(session_.ack(d).has_value());
  }
  EXPECT_EQ(reasons[0], "invalid job message: user_id: missing");
  EXPECT_EQ(reasons[1], "invalid job message: body: not UTF-8 (ill-formed byte at offset 13)");
}

TEST_F(QueueTest, UnroutablePublishIsAPermanentError) {
  OutgoingMessage message;
  message.body = "{}";
  auto sent = session_.publish(session_.settings().job_exchange, RoutingKey{"nowhere"}, message);
  ASSERT_FALSE(sent.has_value());
  EXPECT_EQ(sent.error().code, "amqp.unroutable");
  EXPECT_EQ(sent.error().kind, ErrorKind::permanent);
  // The channel stays usable after a return.
  EXPECT_TRUE(JobPublisher{session_}.publish(make_job()).has_value());
  EXPECT_TRUE(session_.connected());
}

TEST_F(QueueTest, EventsReachTheBotQueueAndControlMessagesTheWorker) {
  EventPublisher events{session_};
  const EventMessage progress{JobProgressEvent{make_uuid_v4(), ProgressPhase::download, 10, 100, 10.0, 5.0},
                              std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())};
  const EventMessage auth{
      WorkerAuthEvent{"worker-1", AuthState::ready, 777000, std::nullopt, std::nullopt, std::nullopt, std::nullopt,
                      std::nullopt},
      progress.at};
  ASSERT_TRUE(events.publish(progress).has_value());
  ASSERT_TRUE(events.publish(auth).has_value());
  ASSERT_TRUE(events.publish_control(AuthCodeControl{"12345"}).has_value());

  EventConsumer consumer{session_};
  auto first = consumer.next_event(10s);
  ASSERT_TRUE(first.has_value() && first->has_value());
  EXPECT_EQ(**first, progress);
  auto second = consumer.next_event(10s);
  ASSERT_TRUE(second.has_value() && second->has_value());
  EXPECT_EQ(**second, auth);
  auto control = consumer.next_control(10s);
  ASSERT_TRUE(control.has_value() && control->has_value());
  EXPECT_EQ(**control, ControlMessage{AuthCodeControl{"12345"}});
}

// A delivery taken before the connection broke cannot be acked on the new one.
TEST_F(QueueTest, AckOfADeliveryFromALostConnectionIsRefusedAsStale) {
  Session& session = session_;
  JobPublisher publisher{session};
  ASSERT_TRUE(publisher.publish(make_job()).has_value());
  JobConsumer consumer{session};
  auto received = consumer.next(10s);
  ASSERT_TRUE(received.has_value() && received->has_value());
  session.disconnect();  // as if the socket died
  auto acked = consumer.ack(**received);
  ASSERT_FALSE(acked.has_value());
  EXPECT_EQ(acked.error().code, "amqp.stale_delivery");
  // The broker gives it again on the new connection, marked redelivered.
  auto again = consumer.next(10s);
  ASSERT_TRUE(again.has_value() && again->has_value());
  EXPECT_TRUE((*again)->delivery.redelivered);
  EXPECT_TRUE(consumer.ack(**again).has_value());
}

// rabbitmq-c only sends heartbeats while we call into it: an idle wait must service
// them, or the broker drops the connection after two missed beats.
TEST(QueueConnect, IdleWaitKeepsTheConnectionAliveThroughHeartbeats) {
  QueueSettings settings = settings_for(test::shared_rabbit_port());
  settings.heartbeat = std::chrono::seconds{1};
  Session session{settings};
  ASSERT_TRUE(session.connect().has_value());
  const auto generation = session.generation();
  ASSERT_TRUE(session.wait(3500ms).has_value());  // several heartbeat intervals
  EXPECT_TRUE(JobPublisher{session}.publish(make_job()).has_value());
  EXPECT_EQ(session.generation(), generation);  // the same connection, not a new one
  testing::delete_topology(session);
}

TEST(QueueConnect, WrongPasswordIsAClearPermanentErrorWithoutThePassword) {
  QueueSettings settings = settings_for(test::shared_rabbit_port());
  settings.password = "not-the-Secret-9f3k";
  Session session{settings};
  auto connected = session.connect();
  ASSERT_FALSE(connected.has_value());
  EXPECT_EQ(connected.error().code, "amqp.access_refused");
  EXPECT_EQ(connected.error().kind, ErrorKind::permanent);
  EXPECT_TRUE(connected.error().message.starts_with("access refused by the broker"))
      << connected.error().message;
  EXPECT_NE(connected.error().message.find("as user 'guest' on vhost '/'"), std::string::npos)
      << connected.error().message;
  EXPECT_EQ(connected.error().message.find("not-the-Secret-9f3k"), std::string::npos)
      << connected.error().message;
}

TEST(QueueConnect, ConflictingQueueArgumentsAreAPreconditionErrorNamingTheQueue) {
  const QueueSettings settings = settings_for(test::shared_rabbit_port());
  Session other{settings};
  ASSERT_TRUE(other.connect().has_value());
  auto raw = other.connection();
  ASSERT_TRUE(raw.has_value());
  // Someone made the priority queue with another maximum priority.
  ASSERT_TRUE((*raw)->delete_queue(settings.priority_queue).has_value());
  ASSERT_TRUE(
      (*raw)->declare_queue(settings.priority_queue, {{"x-max-priority", std::int64_t{9}}}).has_value());

  Session session{settings};
  auto connected = session.connect();
  ASSERT_FALSE(connected.has_value());
  EXPECT_EQ(connected.error().code, "amqp.precondition");
  EXPECT_EQ(connected.error().kind, ErrorKind::permanent);
  EXPECT_NE(connected.error().message.find("'" + settings.priority_queue.str() + "'"), std::string::npos)
      << connected.error().message;

  auto cleanup = other.connection();
  ASSERT_TRUE(cleanup.has_value());
  ASSERT_TRUE((*cleanup)->delete_queue(settings.priority_queue).has_value());
  testing::delete_topology(other);
}

TEST(QueueConnect, RefusedConnectionIsRetryable) {
  QueueSettings settings = settings_for(test::free_loopback_port());  // nobody listens there
  Session session{settings};
  auto connected = session.connect();
  ASSERT_FALSE(connected.has_value());
  EXPECT_EQ(connected.error().code, "amqp.connection");
  EXPECT_TRUE(connected.error().retryable());
}

}  // namespace
}  // namespace teltubby::queue
