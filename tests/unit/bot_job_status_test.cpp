#include <gtest/gtest.h>

#include <limits>

#include "bot/job_status.hpp"

namespace teltubby::bot {
namespace {

using namespace std::chrono_literals;

JobStatusView view(JobPhase phase) {
  JobStatusView v;
  v.job_id = "3f2b8c1e-9a4d-4f6b-8c2e-1a2b3c4d5e6f";
  v.type = MediaType::document;
  v.ordinal = 4;
  v.size_bytes = 150LL << 20;
  v.phase = phase;
  return v;
}

const std::string kHeader = "📦 <b>Large file</b> #4 📄 document (150.0 MB)\nJob: /jobs_3f2b8c1e9a4d4f6b8c2e1a2b3c4d5e6f\n";

TEST(JobStatus, QueuedShowsTheEstimate) {
  auto v = view(JobPhase::queued);
  v.eta = 150s;
  EXPECT_EQ(render_job_status(v), kHeader + "⏳ Queued, about 3 min");
  v.eta.reset();
  EXPECT_EQ(render_job_status(v), kHeader + "⏳ Queued, time unknown");
}

TEST(JobStatus, ProgressPhases) {
  EXPECT_EQ(render_job_status(view(JobPhase::started)), kHeader + "⚙️ Processing started");
  auto down = view(JobPhase::downloading);
  down.percent = 42;
  EXPECT_EQ(render_job_status(down), kHeader + "⬇️ Downloading 42%");
  auto up = view(JobPhase::uploading);
  up.percent = 140;  // clamped
  EXPECT_EQ(render_job_status(up), kHeader + "⬆️ Uploading 100%");
}

TEST(JobStatus, ArchivedShowsTheKeyEscaped) {
  auto v = view(JobPhase::archived);
  v.key = "teltubby/2026/11/a&b/42/file<1>.mp4";
  EXPECT_EQ(render_job_status(v), kHeader + "✅ Archived: <code>teltubby/2026/11/a&amp;b/42/file&lt;1&gt;.mp4</code>");
}

TEST(JobStatus, FailedPointsToTheJobsCommand) {
  auto v = view(JobPhase::failed);
  v.error = "have no valid file reference";
  EXPECT_EQ(render_job_status(v),
            kHeader + "❌ Failed: have no valid file reference — see /jobs 3f2b8c1e-9a4d-4f6b-8c2e-1a2b3c4d5e6f");
}

TEST(JobStatus, RetryingShowsAttemptAndReason) {
  auto v = view(JobPhase::retrying);
  v.attempt = 2;
  v.max_attempts = 3;
  v.error = "s3 <timeout>";
  EXPECT_EQ(render_job_status(v), kHeader + "🔁 Retrying (attempt 2 of 3): s3 &lt;timeout&gt;");
}

TEST(JobStatus, CancelledAndFinalPhases) {
  EXPECT_EQ(render_job_status(view(JobPhase::cancelled)), kHeader + "🚫 Cancelled");
  EXPECT_TRUE(is_final(JobPhase::archived));
  EXPECT_TRUE(is_final(JobPhase::failed));
  EXPECT_TRUE(is_final(JobPhase::cancelled));
  EXPECT_FALSE(is_final(JobPhase::retrying));
  EXPECT_FALSE(is_final(JobPhase::uploading));
}

TEST(JobStatus, HeaderOmitsUnknownOrdinalAndSize) {
  auto v = view(JobPhase::started);
  v.ordinal = 0;
  v.size_bytes = 0;
  v.type = MediaType::video_note;
  EXPECT_EQ(render_job_status(v),
            "📦 <b>Large file</b> ⏺ video note\nJob: /jobs_3f2b8c1e9a4d4f6b8c2e1a2b3c4d5e6f\n⚙️ Processing started");
}

TEST(JobProgress, PercentIsFlooredAndClamped) {
  EXPECT_EQ(progress_percent(0, 100), 0);
  EXPECT_EQ(progress_percent(999, 1000), 99);
  EXPECT_EQ(progress_percent(1000, 1000), 100);
  EXPECT_EQ(progress_percent(2000, 1000), 100);
  EXPECT_EQ(progress_percent(5, 0), 0);
  EXPECT_EQ(progress_percent(-5, 10), 0);
  const auto big = std::numeric_limits<std::int64_t>::max();
  EXPECT_EQ(progress_percent(big / 2, big), 50);
}

TEST(JobProgress, QuantizedToSteps) {
  EXPECT_EQ(quantize_percent(42), 40);
  EXPECT_EQ(quantize_percent(99), 95);
  EXPECT_EQ(quantize_percent(100), 100);
  EXPECT_EQ(quantize_percent(-3), 0);
  EXPECT_EQ(quantize_percent(42, 10), 40);
  EXPECT_EQ(quantize_percent(42, 0), 42);
}

}  // namespace
}  // namespace teltubby::bot
