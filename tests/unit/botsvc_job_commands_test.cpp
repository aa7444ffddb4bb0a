// The bot's job and worker commands end to end over a real SqliteStore, with a fake
// QueueControl standing in for the broker (the one part that cannot be real here).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "bot/commands.hpp"
#include "botsvc/commands/command_context.hpp"
#include "integration/store_fixture.hpp"
#include "jobs/worker_status.hpp"
#include "storage/s3_client.hpp"

namespace teltubby::botsvc {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using store::JobState;

constexpr std::string_view kId = "3f2b8c1e-9a4d-4f6b-8c2e-1a2b3c4d5e6f";

class FakeQueueControl final : public jobs::QueueControl {
 public:
  Result<queue::QueueDepths> depths() override {
    if (!reachable) return fail(ErrorKind::retryable, "amqp.connect", "connection refused");
    return queue::QueueDepths{4, 2, 1};
  }
  void publish_soon() override { ++publish_requests; }
  void job_changed(const std::string& job_id) override { changed.push_back(job_id); }
  bool reachable = true;
  int publish_requests = 0;
  std::vector<std::string> changed;  // job ids, in order
};

class FakeWorkerControl final : public jobs::WorkerControl {
 public:
  Status send_to_worker(const queue::ControlMessage& message) override {
    if (!reachable) return fail(ErrorKind::retryable, "amqp.connect", "connection refused");
    sent.push_back(message);
    return {};
  }
  bool reachable = true;
  std::vector<queue::ControlMessage> sent;
};

storage::S3Settings unused_s3() {
  storage::S3Settings settings;
  settings.endpoint = "http://127.0.0.1:9";  // never contacted by these commands
  settings.access_key = "test";
  settings.secret_key = "test-secret";
  settings.bucket = "unused";
  return settings;
}

class JobCommandsTest : public store::testing::StoreTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store_.create_job(store::testing::sample_job(std::string(kId), 3'000'000'000, "AgADbig")).has_value());
    config_.worker_health_check_interval = std::chrono::seconds{10};
  }
  std::string run(std::string_view text, bool with_jobs = true) {
    auto parsed = bot::parse_command_text(text);
    EXPECT_TRUE(parsed.has_value()) << text;
    CommandContext context{
        .config = config_,
        .store = store_,
        .usage = usage_,
        .health = health_,
        .started_at = std::chrono::steady_clock::now(),
        .messages_waiting = 0,
        .queue_control = with_jobs ? &queue_ : nullptr,
        .worker_control = with_jobs ? &worker_ : nullptr,
        .chat_id = kChat,
        .message_id = ++message_id_,
        .delete_message = [this](std::int64_t chat, std::int64_t message) -> Status {
          if (!can_delete) return fail(ErrorKind::permanent, "telegram.400", "Bad Request: message can't be deleted");
          deleted.emplace_back(chat, message);
          return {};
        }};
    return answer_command(context, *parsed);
  }
  void fail_job() {
    ASSERT_TRUE(store_.transition_job(kId, {JobState::pending}, JobState::processing, {}).has_value());
    store::JobEventDetails details;
    details.error = "download <timed out>";
    ASSERT_TRUE(store_.transition_job(kId, {JobState::processing}, JobState::failed, details).has_value());
  }

  Config config_;
  storage::S3Client s3_{unused_s3()};
  storage::BucketUsage usage_{s3_, 0, std::chrono::seconds{3600}};
  observability::HealthRegistry health_;
  FakeQueueControl queue_;
  FakeWorkerControl worker_;
  static constexpr std::int64_t kChat = 7001;
  std::int64_t message_id_ = 500;  // the last command's message id
  bool can_delete = true;
  std::vector<std::pair<std::int64_t, std::int64_t>> deleted;  // (chat, message)
};

TEST_F(JobCommandsTest, QueueListsTheJobWithItsShortcutAndTheQueueDepths) {
  const auto text = run("/queue");
  EXPECT_THAT(text, HasSubstr("/jobs_3f2b8c1e PENDING · 2.8 GB · normal"));
  EXPECT_THAT(text, HasSubstr("Queues: normal 4 · priority 2 · dead-letter 1"));
  queue_.reachable = false;
  EXPECT_THAT(run("/queue"), HasSubstr("Queues: broker unreachable (connection refused)"));
}

TEST_F(JobCommandsTest, TheOneTapShortcutOpensTheJob) {
  fail_job();
  const auto text = run("/jobs_3f2b8c1e");
  EXPECT_THAT(text, HasSubstr("<code>" + std::string(kId) + "</code>"));
  EXPECT_THAT(text, HasSubstr("Last error: download &lt;timed out&gt;"));
  EXPECT_THAT(text, HasSubstr("PROCESSING → FAILED"));
  EXPECT_EQ(run("/jobs 3f2b8c1e-9a4d"), text);
  EXPECT_THAT(run("/jobs@teltubby_bot 3f2b8c1e"), HasSubstr("PROCESSING → FAILED"));
}

TEST_F(JobCommandsTest, BadIdsAreAnsweredWithoutEchoingMarkup) {
  EXPECT_THAT(run("/jobs <b>"), HasSubstr("Cannot show the job: a job id has only hex digits"));
  EXPECT_THAT(run("/jobs_ffffffff"), HasSubstr("Cannot show the job: no job ffffffff"));
  EXPECT_THAT(run("/retry"), HasSubstr("usage: /retry &lt;job id&gt;"));
}

TEST_F(JobCommandsTest, RetryOfAFailedJobAsksTheBotToPublishAtOnce) {
  EXPECT_THAT(run("/retry 3f2b8c1e"), HasSubstr("Cannot retry: job 3f2b8c1e is PENDING"));
  EXPECT_EQ(queue_.publish_requests, 0);
  fail_job();
  EXPECT_THAT(run("/retry 3f2b8c1e"), HasSubstr("was FAILED and is PENDING again"));
  EXPECT_EQ(queue_.publish_requests, 1);
  EXPECT_EQ(queue_.changed, std::vector<std::string>{std::string(kId)}) << "the status message is not told";
  EXPECT_EQ(store_.get_job(kId)->state, JobState::pending);
}

TEST_F(JobCommandsTest, CancelAndPriority) {
  EXPECT_THAT(run("/priority 3f2b8c1e urgent"), HasSubstr("now has priority urgent; it moves to the priority queue."));
  EXPECT_EQ(queue_.publish_requests, 1);
  EXPECT_THAT(run("/priority 3f2b8c1e soon"), HasSubstr("priority must be normal, high or urgent"));
  EXPECT_THAT(run("/cancel 3f2b8c1e"), HasSubstr("is cancelled (it was PENDING)"));
  EXPECT_EQ(queue_.changed, std::vector<std::string>{std::string(kId)}) << "the status message is not told";
  EXPECT_THAT(run("/cancel 3f2b8c1e"), HasSubstr("Cannot cancel: job 3f2b8c1e is CANCELLED"));
}

TEST_F(JobCommandsTest, JobCommandsSayWhenJobsAreNotRunning) {
  for (std::string_view command : {"/queue", "/jobs 3f2b8c1e", "/retry 3f2b8c1e", "/cancel 3f2b8c1e",
                                   "/priority 3f2b8c1e high"}) {
    EXPECT_THAT(run(command, false), HasSubstr("large-file jobs are not running")) << command;
  }
  EXPECT_EQ(store_.get_job(kId)->state, JobState::pending);
}

TEST_F(JobCommandsTest, MtstatusShowsTheStoredHeartbeat) {
  EXPECT_EQ(run("/mtstatus"), "No worker has reported yet.");
  jobs::WorkerHeartbeat beat;
  beat.worker_id = "box-1";
  beat.state = "idle";
  beat.version = "0.6.0";
  beat.at = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  ASSERT_TRUE(jobs::remember_heartbeat(store_, beat).has_value());
  const auto text = run("/mtstatus", false);
  EXPECT_THAT(text, HasSubstr("online"));
  EXPECT_THAT(text, HasSubstr("<code>box-1</code>"));
}

TEST_F(JobCommandsTest, StatusShowsDepthsJobsAndWorker) {
  const auto text = run("/status");
  EXPECT_THAT(text, HasSubstr("Queues: normal 4 · priority 2 · dead-letter 1"));
  EXPECT_THAT(text, HasSubstr("Jobs: PENDING 1 · PROCESSING 0"));
  EXPECT_THAT(text, HasSubstr("Worker: no worker has reported yet"));
  queue_.reachable = false;
  EXPECT_THAT(run("/status"), HasSubstr("Queues: broker unreachable"));
  EXPECT_THAT(run("/status", false), HasSubstr("Queues: large-file jobs are not running"));
}

TEST_F(JobCommandsTest, MtcodeSendsTheDigitsDeletesTheMessageAndNeverRepeatsTheCode) {
  const auto reply = run("/mtcode 1-2-3-4-5");
  ASSERT_EQ(worker_.sent.size(), 1U);
  EXPECT_EQ(worker_.sent[0], queue::ControlMessage{queue::AuthCodeControl{"12345"}});
  EXPECT_EQ(deleted, (std::vector<std::pair<std::int64_t, std::int64_t>>{{kChat, message_id_}}));
  EXPECT_THAT(reply, HasSubstr("Login code passed to the worker"));
  EXPECT_THAT(reply, HasSubstr("I deleted your message"));
  for (const auto* piece : {"12345", "1-2-3-4-5", "1-2"}) EXPECT_THAT(reply, Not(HasSubstr(piece)));
}

TEST_F(JobCommandsTest, AnInvalidCodeIsRefusedButItsMessageIsDeletedAnyway) {
  const auto reply = run("/mtcode 12-34x9");
  EXPECT_TRUE(worker_.sent.empty());
  EXPECT_EQ(deleted.size(), 1U) << "a mistyped code is still a code";
  EXPECT_THAT(reply, HasSubstr("Not sent: the code may contain only digits"));
  EXPECT_THAT(reply, HasSubstr("/mtcode 1-2-3-4-5"));
  EXPECT_THAT(reply, Not(HasSubstr("34x9")));
  EXPECT_THAT(run("/mtcode 1-2-3"), HasSubstr("a login code has 5 to 8 digits"));
  EXPECT_EQ(deleted.size(), 2U);
}

TEST_F(JobCommandsTest, MtpassSendsThePasswordAsTypedAndNeverRepeatsIt) {
  const auto reply = run("/mtpass  correct <horse> ");
  ASSERT_EQ(worker_.sent.size(), 1U);
  EXPECT_EQ(worker_.sent[0], queue::ControlMessage{queue::AuthPasswordControl{"correct <horse> "}});
  EXPECT_EQ(deleted.size(), 1U);
  EXPECT_THAT(reply, HasSubstr("Password passed to the worker"));
  for (const auto* piece : {"correct", "horse"}) EXPECT_THAT(reply, Not(HasSubstr(piece)));
  EXPECT_THAT(run("/mtpass"), HasSubstr("Not sent: the password is missing"));
  EXPECT_EQ(worker_.sent.size(), 1U);
}

TEST_F(JobCommandsTest, AMessageThatCannotBeDeletedIsLeftToTheCurator) {
  can_delete = false;
  const auto reply = run("/mtpass hunter2");
  EXPECT_EQ(worker_.sent.size(), 1U);
  EXPECT_THAT(reply, HasSubstr("could not delete your message: please delete it yourself, it holds the password"));
  EXPECT_THAT(reply, Not(HasSubstr("hunter2")));
}

TEST_F(JobCommandsTest, ABrokerThatDoesNotTakeTheCodeIsReported) {
  worker_.reachable = false;
  const auto reply = run("/mtcode 1 2 3 4 5");
  EXPECT_THAT(reply, HasSubstr("Could not pass the code to the worker (the job queue is unreachable: connection refused)"));
  EXPECT_THAT(reply, Not(HasSubstr("1 2 3")));
  EXPECT_EQ(deleted.size(), 1U);
  EXPECT_THAT(run("/mtqr"), HasSubstr("Could not ask the worker for a QR login"));
}

TEST_F(JobCommandsTest, MtqrAsksTheWorkerForAQrLogin) {
  EXPECT_THAT(run("/mtqr"), HasSubstr("The QR code comes here as a picture"));
  ASSERT_EQ(worker_.sent.size(), 1U);
  EXPECT_EQ(worker_.sent[0], queue::ControlMessage{queue::QrRequestControl{}});
  EXPECT_TRUE(deleted.empty()) << "/mtqr holds no secret";
}

TEST_F(JobCommandsTest, LoginCommandsSayWhenJobsAreNotRunningAndStillDeleteSecrets) {
  for (std::string_view command : {"/mtcode 1-2-3-4-5", "/mtpass x", "/mtqr"}) {
    EXPECT_THAT(run(command, false), HasSubstr("large-file jobs are not running in this bot")) << command;
  }
  EXPECT_TRUE(worker_.sent.empty());
  EXPECT_EQ(deleted.size(), 2U) << "/mtcode and /mtpass messages are deleted even then";
}

TEST(StatusView, JobLinesFollowTheDependenciesOrSayTheyAreUnknown) {
  StatusView view;
  view.mode = "polling";
  view.health.ok = true;
  EXPECT_THAT(render_status(view), HasSubstr("Jobs and worker: unknown (the database did not answer)"));
  jobs::JobsStatus lines;
  lines.depths = Result<queue::QueueDepths>{queue::QueueDepths{0, 5, 0}};
  view.job_lines = lines;
  const auto text = render_status(view);
  EXPECT_THAT(text, HasSubstr("Messages waiting to be archived: 0\nQueues: normal 0 · priority 5 · dead-letter 0\n"));
  EXPECT_THAT(text, HasSubstr("Worker: no worker has reported yet"));
}

}  // namespace
}  // namespace teltubby::botsvc
