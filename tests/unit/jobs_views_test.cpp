// The texts of the job and worker commands, in Telegram HTML and in plain text.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "jobs/job_views.hpp"

namespace teltubby::jobs {
namespace {

using namespace std::chrono_literals;
using ::testing::HasSubstr;
using ::testing::Not;
using store::JobState;

constexpr std::string_view kId = "3f2b8c1e-9a4d-4f6b-8c2e-1a2b3c4d5e6f";
const std::chrono::sys_seconds kNow{std::chrono::seconds{1'780'000'000}};  // 2026-05-28T20:26:40Z

store::JobRecord job_record(std::string id, JobState state, std::int64_t size = 1'610'612'736) {
  store::JobRecord job;
  job.job_id = std::move(id);
  job.state = state;
  job.file_size = size;
  job.file_unique_id = "AgAD<b>x</b>";
  job.max_retries = 3;
  job.created_at = store::Timestamp{std::chrono::milliseconds{1'780'000'000'000}};
  job.updated_at = job.created_at + 90s;
  return job;
}

bool has_tag(const std::string& text) {
  for (std::string_view tag : {"<b>", "</b>", "<code>", "</code>", "&lt;", "&amp;"}) {
    if (text.find(tag) != std::string::npos) return true;
  }
  return false;
}

QueueOverview overview_with(std::vector<store::JobRecord> active, std::size_t total) {
  QueueOverview overview;
  for (const auto state : store::kAllJobStates) overview.counts[state] = 0;
  overview.counts[JobState::pending] = 2;
  overview.counts[JobState::processing] = 1;
  overview.counts[JobState::failed] = 4;
  overview.active = std::move(active);
  overview.active_total = total;
  return overview;
}

TEST(HumanAge, RoundsDownToTheLargestUsefulUnits) {
  EXPECT_EQ(human_age(-5s), "0 s");
  EXPECT_EQ(human_age(59s), "59 s");
  EXPECT_EQ(human_age(61s), "1 min");
  EXPECT_EQ(human_age(2h + 5min + 3s), "2 h 5 min");
  EXPECT_EQ(human_age(std::chrono::hours{24 * 4 + 3}), "4 d 3 h");
}

TEST(QueueView, CountsEveryStateAndListsActiveJobsWithShortcutsSizeAndPriority) {
  auto urgent = job_record(std::string(kId), JobState::pending);
  urgent.priority = store::JobPriority::urgent;
  auto running = job_record("1a2b3c4d-0000-4000-8000-000000000001", JobState::processing, 2048);
  running.attempt = 2;
  const auto text = render_queue(overview_with({urgent, running}, 2), Format::html);
  EXPECT_THAT(text, HasSubstr("PENDING 2 · PROCESSING 1 · RETRYING 0 · FAILED 4 · CANCELLED 0 · COMPLETED 0"));
  EXPECT_THAT(text, HasSubstr("/jobs_3f2b8c1e PENDING · 1.5 GB · urgent"));
  EXPECT_THAT(text, HasSubstr("/jobs_1a2b3c4d PROCESSING · 2.0 KB · normal · attempt 2"));
  EXPECT_LT(text.find("/jobs_3f2b8c1e"), text.find("/jobs_1a2b3c4d"));  // kept in the given (newest-first) order
  EXPECT_THAT(text, Not(HasSubstr("more")));
}

TEST(QueueView, SaysHowManyActiveJobsAreNotShown) {
  const auto text = render_queue(overview_with({job_record(std::string(kId), JobState::pending)}, 25), Format::html);
  EXPECT_THAT(text, HasSubstr("… and 24 more"));
}

TEST(QueueView, EmptyQueueSaysSo) {
  EXPECT_THAT(render_queue(overview_with({}, 0), Format::text), HasSubstr("No job is pending, running or waiting"));
}

TEST(QueueView, PlainTextHasFullIdsAndNoTags) {
  const auto text = render_queue(overview_with({job_record(std::string(kId), JobState::retrying)}, 1), Format::text);
  EXPECT_THAT(text, HasSubstr(std::string(kId) + " RETRYING"));
  EXPECT_FALSE(has_tag(text)) << text;
  EXPECT_THAT(text, Not(HasSubstr("/jobs_")));
}

std::vector<store::JobEvent> history_of(const std::string& id) {
  store::JobEvent created;
  created.job_id = id;
  created.at = store::Timestamp{std::chrono::milliseconds{1'780'000'000'000}};
  created.to_state = JobState::pending;
  store::JobEvent started = created;
  started.at += 5s;
  started.from_state = JobState::pending;
  started.to_state = JobState::processing;
  started.attempt = 1;
  store::JobEvent failed = started;
  failed.at += 60s;
  failed.from_state = JobState::processing;
  failed.to_state = JobState::failed;
  failed.bytes = 1'048'576;
  failed.error = "s3 said <NoSuchBucket> & gave up";
  return {created, started, failed};
}

TEST(JobView, ShowsEveryFieldAndTheHistoryEscaped) {
  auto job = job_record(std::string(kId), JobState::failed);
  job.attempt = 1;
  job.s3_key = "teltubby/2026/05/chat/99/a<b>.mp4";
  job.last_error = "s3 said <NoSuchBucket> & gave up";
  job.priority = store::JobPriority::high;
  const auto history = history_of(job.job_id);
  const auto text = render_job(job, history, Format::html);
  EXPECT_THAT(text, HasSubstr("<code>" + std::string(kId) + "</code>"));
  EXPECT_THAT(text, HasSubstr("FAILED"));
  EXPECT_THAT(text, HasSubstr("Priority: high"));
  EXPECT_THAT(text, HasSubstr("Attempt: 1 (retries allowed: 3)"));
  EXPECT_THAT(text, HasSubstr("Size: 1.5 GB"));
  EXPECT_THAT(text, HasSubstr("<code>AgAD&lt;b&gt;x&lt;/b&gt;</code>"));
  EXPECT_THAT(text, HasSubstr("<code>teltubby/2026/05/chat/99/a&lt;b&gt;.mp4</code>"));
  EXPECT_THAT(text, HasSubstr("Last error: s3 said &lt;NoSuchBucket&gt; &amp; gave up"));
  EXPECT_THAT(text, HasSubstr("Created: 2026-05-28T20:26:40Z"));
  EXPECT_THAT(text, HasSubstr("Updated: 2026-05-28T20:28:10Z"));
  EXPECT_THAT(text, HasSubstr("2026-05-28T20:26:40Z created → PENDING · attempt 0"));
  EXPECT_THAT(text, HasSubstr("2026-05-28T20:26:45Z PENDING → PROCESSING · attempt 1"));
  EXPECT_THAT(text, HasSubstr("PROCESSING → FAILED · attempt 1 · 1.0 MB · s3 said &lt;NoSuchBucket&gt;"));
  EXPECT_THAT(text, Not(HasSubstr("<NoSuchBucket>")));
}

TEST(JobView, PlainTextKeepsOutsideTextVerbatimWithoutTags) {
  auto job = job_record(std::string(kId), JobState::failed);
  job.last_error = "bad <thing>\x1b[31m";
  const auto history = history_of(job.job_id);
  const auto text = render_job(job, history, Format::text);
  EXPECT_THAT(text, HasSubstr("Last error: bad <thing> [31m"));  // the escape character is blanked
  EXPECT_THAT(text, HasSubstr("File: AgAD<b>x</b>"));
  EXPECT_THAT(text, HasSubstr("Key: —"));
  EXPECT_THAT(text, Not(HasSubstr("<code>")));
  EXPECT_THAT(text, Not(HasSubstr("&lt;")));
}

TEST(JobView, LongHistoriesAndErrorsAreCut) {
  auto job = job_record(std::string(kId), JobState::failed);
  job.last_error = std::string(1000, 'e') + "ü";
  std::vector<store::JobEvent> history(kJobHistoryLimit + 7, history_of(job.job_id)[2]);
  const auto text = render_job(job, history, Format::html);
  EXPECT_THAT(text, HasSubstr("(7 earlier changes not shown)"));
  EXPECT_THAT(text, HasSubstr(std::string(300, 'e') + "…"));
  EXPECT_THAT(text, Not(HasSubstr(std::string(301, 'e'))));
  EXPECT_LT(text.size(), 4096u);  // Telegram's limit for one message
}

TEST(JobView, PendingJobSaysWhetherItIsQueued) {
  auto job = job_record(std::string(kId), JobState::pending);
  EXPECT_THAT(render_job(job, {}, Format::text), HasSubstr("Queued: not yet"));
  job.published = true;
  EXPECT_THAT(render_job(job, {}, Format::text), HasSubstr("Queued: yes"));
}

WorkerStatus reported_worker() {
  WorkerStatus status;
  WorkerHeartbeat beat;
  beat.worker_id = "host<1>-42";
  beat.state = "busy";
  beat.current_job = std::string(kId);
  beat.version = "0.6.0";
  beat.at = kNow - 12s;
  status.heartbeat = beat;
  WorkerAuth auth;
  auth.worker_id = beat.worker_id;
  auth.state = "needs_code";
  auth.reason = "code <expired>";
  auth.at = kNow - 125s;
  status.auth = auth;
  status.worker_user_id = 777000;
  return status;
}

TEST(WorkerView, OnlineWorkerShowsEverythingItReported) {
  const auto text = render_worker_status(reported_worker(), kNow, 30s, Format::html);
  EXPECT_THAT(text, HasSubstr("online"));
  EXPECT_THAT(text, Not(HasSubstr("offline")));
  EXPECT_THAT(text, HasSubstr("<code>host&lt;1&gt;-42</code>"));
  EXPECT_THAT(text, HasSubstr("State: busy"));
  EXPECT_THAT(text, HasSubstr("Current job: /jobs_3f2b8c1e"));
  EXPECT_THAT(text, HasSubstr("Version: 0.6.0"));
  EXPECT_THAT(text, HasSubstr("Last heartbeat: 12 s ago"));
  EXPECT_THAT(text, HasSubstr("Login: needs_code (code &lt;expired&gt;), 2 min ago"));
  EXPECT_THAT(text, HasSubstr("Worker account user id: 777000"));
}

TEST(WorkerView, ALoggedInAccountShowsItsNameSessionAgeJobSpeedAndCache) {
  WorkerStatus status = reported_worker();
  status.heartbeat->cache_bytes = 3 * 1024 * 1024;
  status.auth->state = "ready";
  status.auth->reason.reset();
  status.auth->user_id = 777000;
  status.auth->account_name = "Archive <Worker> (@archive_worker)";
  status.auth->session_since = kNow - 7200s;
  status.progress = WorkerProgress{std::string(kId), "download", 42.7, 12.0 * 1024 * 1024, kNow - 2s};
  const auto text = render_worker_status(status, kNow, 30s, Format::html);
  EXPECT_THAT(text, HasSubstr("Account: Archive &lt;Worker&gt; (@archive_worker) (id 777000)"));
  EXPECT_THAT(text, HasSubstr("Session: logged in 2 h 0 min ago"));
  EXPECT_THAT(text, HasSubstr("Current job: /jobs_3f2b8c1e"));
  EXPECT_THAT(text, HasSubstr("download 42% at 12.0 MB/s"));
  EXPECT_THAT(text, HasSubstr("TDLib cache: 3.0 MB"));
  // Progress of another job, or old, is not this job's speed.
  status.progress->job_id = "00000000-0000-4000-8000-000000000000";
  EXPECT_THAT(render_worker_status(status, kNow, 30s, Format::html), Not(HasSubstr("MB/s")));
}

TEST(WorkerView, StaleHeartbeatMeansOffline) {
  const auto text = render_worker_status(reported_worker(), kNow + 60s, 30s, Format::text);
  EXPECT_THAT(text, HasSubstr("Worker: offline"));
  EXPECT_THAT(text, HasSubstr("Last heartbeat: 1 min ago"));
  EXPECT_THAT(text, HasSubstr("Id: host<1>-42"));
  EXPECT_FALSE(has_tag(text)) << text;
}

TEST(WorkerView, NothingReportedYet) {
  EXPECT_EQ(render_worker_status({}, kNow, 30s, Format::html), "No worker has reported yet.");
  WorkerStatus auth_only = reported_worker();
  auth_only.heartbeat.reset();
  EXPECT_THAT(render_worker_status(auth_only, kNow, 30s, Format::html), HasSubstr("Last heartbeat: never"));
  EXPECT_THAT(render_worker_status(auth_only, kNow, 30s, Format::html), HasSubstr("offline"));
}

AdminOutcome outcome(JobState now, JobState before, store::JobPriority priority = store::JobPriority::normal) {
  AdminOutcome result{job_record(std::string(kId), now), before};
  result.job.priority = priority;
  return result;
}

TEST(AdminResults, RetryNamesTheJobAndItsLane) {
  EXPECT_EQ(render_retried(outcome(JobState::pending, JobState::failed), Format::html),
            "🔁 Job /jobs_3f2b8c1e was FAILED and is PENDING again; it goes to the normal queue.");
  EXPECT_THAT(render_retried(outcome(JobState::pending, JobState::cancelled, store::JobPriority::urgent), Format::text),
              HasSubstr("Job " + std::string(kId) + " was CANCELLED and is PENDING again; it goes to the priority queue."));
}

TEST(AdminResults, CancelOfARunningJobExplainsTheCheckpoint) {
  EXPECT_THAT(render_cancelled(outcome(JobState::cancelled, JobState::processing), Format::html),
              HasSubstr("the worker stops it at its next checkpoint and deletes what it wrote"));
  EXPECT_THAT(render_cancelled(outcome(JobState::cancelled, JobState::pending), Format::html),
              HasSubstr("(it was PENDING); it will not run."));
}

TEST(AdminResults, PrioritySaysWhenItTakesEffect) {
  EXPECT_THAT(render_priority_set(outcome(JobState::pending, JobState::pending, store::JobPriority::urgent), Format::html),
              HasSubstr("now has priority urgent; it moves to the priority queue."));
  EXPECT_THAT(render_priority_set(outcome(JobState::failed, JobState::failed, store::JobPriority::high), Format::html),
              HasSubstr("it applies when the job is queued again (FAILED now)."));
}

TEST(AdminResults, RefusalsAreEscapedAndRetryableOnesSaySo) {
  const Error wrong{ErrorKind::invalid_input, "job.wrong_state", "job <x> is COMPLETED", {}};
  EXPECT_EQ(render_refusal("retry", wrong, Format::html), "Cannot retry: job &lt;x&gt; is COMPLETED");
  EXPECT_EQ(render_refusal("retry", wrong, Format::text), "Cannot retry: job <x> is COMPLETED");
  const Error busy{ErrorKind::retryable, "sqlite.busy", "database is busy", {}};
  EXPECT_THAT(render_refusal("cancel", busy, Format::html), HasSubstr("(try again in a moment)"));
  EXPECT_THAT(render_jobs_not_running("queue", Format::html), HasSubstr("/queue: large-file jobs are not running"));
}

TEST(JobsStatusLines, DepthsCountsAndWorker) {
  JobsStatus status;
  status.depths = Result<queue::QueueDepths>{queue::QueueDepths{3, 1, 2}};
  for (const auto state : store::kAllJobStates) status.counts[state] = 1;
  status.worker = reported_worker();
  const auto text = render_jobs_status(status, kNow, 30s, Format::html);
  EXPECT_THAT(text, HasSubstr("Queues: normal 3 · priority 1 · dead-letter 2"));
  EXPECT_THAT(text, HasSubstr("Jobs: PENDING 1 · PROCESSING 1"));
  EXPECT_THAT(text, HasSubstr("Worker: 🟢 online, login needs_code, last heartbeat 12 s ago"));
}

TEST(JobsStatusLines, UnreachableBrokerAndSilentWorker) {
  JobsStatus status;
  status.depths = Result<queue::QueueDepths>{
      std::unexpected(Error{ErrorKind::retryable, "amqp.connect", "connection refused <127.0.0.1>", {}})};
  const auto text = render_jobs_status(status, kNow, 30s, Format::html);
  EXPECT_THAT(text, HasSubstr("Queues: broker unreachable (connection refused &lt;127.0.0.1&gt;)"));
  EXPECT_THAT(text, HasSubstr("Jobs: unknown"));
  EXPECT_THAT(text, HasSubstr("Worker: no worker has reported yet"));
  JobsStatus not_running;
  EXPECT_THAT(render_jobs_status(not_running, kNow, 30s, Format::text), HasSubstr("Queues: large-file jobs are not running"));
}

}  // namespace
}  // namespace teltubby::jobs
