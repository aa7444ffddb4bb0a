// Pure parts of the worker: disk admission arithmetic, progress throttling and the
// classification of the fake world's error answers.
#include <gtest/gtest.h>

#include "worker/disk_admission.hpp"
#include "worker/fake_world_file_source.hpp"
#include "worker/job_processor.hpp"
#include "worker/progress_throttle.hpp"

namespace teltubby::worker {
namespace {

using namespace std::chrono_literals;

TEST(DiskAdmission, AdmitsAFileOnlyWhenItsSizePlusTheMarginFitsBesideReservations) {
  EXPECT_TRUE(admits(1000, 0, 700, 300));
  EXPECT_FALSE(admits(1000, 0, 701, 300));
  EXPECT_FALSE(admits(1000, 100, 700, 300));  // another job holds 100
  EXPECT_TRUE(admits(1000, 100, 600, 300));
  EXPECT_FALSE(admits(100, 200, 0, 0));  // more reserved than free (the disk filled up)
  EXPECT_FALSE(admits(1000, 0, UINT64_MAX, 1));  // no overflow
}

TEST(DiskAdmission, KnowsWhenAFileCanNeverFit) {
  EXPECT_TRUE(could_ever_fit(1000, 900, 100));
  EXPECT_FALSE(could_ever_fit(1000, 901, 100));
  EXPECT_FALSE(could_ever_fit(1000, 2000, 0));
}

TEST(DiskAdmission, ReservationsAreGivenBackWhenTheJobEnds) {
  DiskAdmission disk(std::filesystem::temp_directory_path(), 0);
  const auto space = std::filesystem::space(std::filesystem::temp_directory_path());
  const std::uint64_t most = space.available / 2 + 1;  // two of these cannot be held at once
  {
    auto first = disk.try_reserve(most);
    ASSERT_TRUE(first.has_value());
    ASSERT_TRUE(first->has_value());
    auto second = disk.try_reserve(most);
    ASSERT_TRUE(second.has_value());
    EXPECT_FALSE(second->has_value());
  }
  auto again = disk.try_reserve(most);
  ASSERT_TRUE(again.has_value());
  EXPECT_TRUE(again->has_value());
}

TEST(DiskAdmission, AFileLargerThanTheDiskIsAPermanentError) {
  DiskAdmission disk(std::filesystem::temp_directory_path(), 0);
  auto reserved = disk.try_reserve(UINT64_MAX / 2);
  ASSERT_FALSE(reserved.has_value());
  EXPECT_EQ(reserved.error().code, "worker.disk_too_small");
  EXPECT_EQ(reserved.error().kind, ErrorKind::permanent);
}

TEST(ProgressThrottle, ReportsTheFirstThenOncePerIntervalAndAlwaysTheEnd) {
  ProgressThrottle throttle(1000ms);
  const auto t0 = std::chrono::steady_clock::time_point{} + 1h;
  EXPECT_TRUE(throttle.due(t0, 10, 100));
  EXPECT_FALSE(throttle.due(t0 + 500ms, 20, 100));
  EXPECT_TRUE(throttle.due(t0 + 1000ms, 30, 100));
  EXPECT_TRUE(throttle.due(t0 + 1100ms, 100, 100));   // the end, however soon
  EXPECT_FALSE(throttle.due(t0 + 5000ms, 100, 100));  // only once
}

TEST(ProgressThrottle, PercentIsClampedAndZeroWhenTheTotalIsUnknown) {
  EXPECT_DOUBLE_EQ(percent_of(50, 200), 25.0);
  EXPECT_DOUBLE_EQ(percent_of(300, 200), 100.0);
  EXPECT_DOUBLE_EQ(percent_of(50, 0), 0.0);
}

TEST(FakeWorldError, NetworkFloodWaitAndExpiredReferencesAreRetryable) {
  const Error flood = fake_world_error(420, R"({"error":"FLOOD_WAIT","message":"wait","retry_after":7})");
  EXPECT_EQ(flood.kind, ErrorKind::retryable);
  EXPECT_EQ(flood.code, "source.FLOOD_WAIT");
  EXPECT_EQ(flood.retry_after, 7s);
  EXPECT_EQ(fake_world_error(503, R"({"error":"NETWORK_DOWN"})").kind, ErrorKind::retryable);
  EXPECT_EQ(fake_world_error(400, R"({"error":"FILE_REFERENCE_EXPIRED"})").kind, ErrorKind::retryable);
  EXPECT_EQ(fake_world_error(502, "<html>bad gateway</html>").kind, ErrorKind::retryable);
}

TEST(FakeWorldError, UnreachableFilesAndLostSessionsArePermanent) {
  const Error missing = fake_world_error(400, R"({"error":"FILE_ID_INVALID","message":"no such file"})");
  EXPECT_EQ(missing.kind, ErrorKind::permanent);
  EXPECT_EQ(missing.code, "source.FILE_ID_INVALID");
  EXPECT_NE(missing.message.find("no such file"), std::string::npos);
  EXPECT_EQ(fake_world_error(401, R"({"error":"SESSION_REVOKED"})").code, "source.unauthorized");
  EXPECT_EQ(fake_world_error(404, "not json").code, "source.HTTP_404");
}

TEST(JobOutcome, EveryOutcomeHasAName) {
  EXPECT_EQ(to_string(JobOutcome::retry_scheduled), "retry_scheduled");
  EXPECT_EQ(to_string(JobOutcome::requeue), "requeue");
}

}  // namespace
}  // namespace teltubby::worker
