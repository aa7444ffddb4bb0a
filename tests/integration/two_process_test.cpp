// Acceptance: one bot and one worker process may write to the same SQLite file at
// once. Two real processes (the store_writer helper, spawned with posix_spawn: no
// fork of this sanitized, threaded test process) start together on a new file.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <string>
#include <vector>

#include "store/sqlite/database.hpp"
#include "store/sqlite_store.hpp"
#include "store_test_support.hpp"

extern char** environ;

namespace teltubby::store {
namespace {

using store::testing::TempDir;

constexpr int kJobsPerWriter = 500;
constexpr int kSharedFiles = 50;

// Starts store_writer with its standard input on `start_fd` (it begins at end of file).
pid_t spawn_writer(const std::string& db_path, int writer, int start_fd) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, start_fd, STDIN_FILENO);
  std::vector<std::string> args = {STORE_WRITER_PATH, db_path, std::to_string(writer),
                                   std::to_string(kJobsPerWriter), std::to_string(kSharedFiles)};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = -1;
  const int spawned = posix_spawn(&pid, STORE_WRITER_PATH, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  EXPECT_EQ(spawned, 0) << "cannot start " << STORE_WRITER_PATH;
  return spawned == 0 ? pid : -1;
}

// A writer that has not finished by then is stuck (a lost wake-up, a deadlock): the
// test fails instead of hanging. Generous: the writers need a few seconds.
constexpr std::chrono::seconds kWriterDeadline{90};

// Waits for the process to exit (its pidfd becomes readable) until `deadline`; kills
// it when the deadline passes. Returns its exit status, or -1 when it was killed.
int wait_for_exit(pid_t pid, std::chrono::steady_clock::time_point deadline) {
  // Through syscall(): glibc 2.36's <sys/pidfd.h> lacks extern "C" for C++.
  const int pidfd = static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
  if (pidfd >= 0) {
    pollfd ready{pidfd, POLLIN, 0};
    int polled = 0;
    do {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      polled = ::poll(&ready, 1, static_cast<int>(std::max<std::int64_t>(left.count(), 0)));
    } while (polled < 0 && errno == EINTR);
    ::close(pidfd);
    if (polled == 0) {
      ADD_FAILURE() << "writer " << pid << " did not finish within " << kWriterDeadline.count()
                    << " s; killed";
      ::kill(pid, SIGKILL);
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return -1;
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::int64_t count(sqlite::Database& database, const std::string& sql) {
  auto query = database.prepare(sql);
  EXPECT_TRUE(query.has_value());
  EXPECT_EQ(query->step(), true);
  return query->column_int64(0);
}

TEST(TwoProcesses, WriteToOneDatabaseAtOnceWithoutLosingAnything) {
  TempDir dir;
  const auto path = dir.path() / "data" / "teltubby.sqlite";
  std::array<int, 2> start{};
  // Close-on-exec, so that the writers do not hold the write end open themselves
  // (dup2 onto their standard input clears the flag there).
  ASSERT_EQ(::pipe2(start.data(), O_CLOEXEC), 0);
  const pid_t first = spawn_writer(path.string(), 1, start[0]);
  const pid_t second = spawn_writer(path.string(), 2, start[0]);
  ::close(start[0]);
  ::close(start[1]);  // both writers see end of file now and start together
  ASSERT_GT(first, 0);
  ASSERT_GT(second, 0);
  const auto deadline = std::chrono::steady_clock::now() + kWriterDeadline;
  EXPECT_EQ(wait_for_exit(first, deadline), 0) << "writer 1 failed (its error is above)";
  EXPECT_EQ(wait_for_exit(second, deadline), 0) << "writer 2 failed (its error is above)";

  auto store = SqliteStore::open({path, std::chrono::milliseconds{10'000}, {}});
  auto counts = store->count_jobs_by_state();
  ASSERT_TRUE(counts.has_value());
  EXPECT_EQ(counts->at(JobState::completed), 2 * kJobsPerWriter);
  EXPECT_EQ(store->integrity_check(), std::string("ok"));
  auto events = store->job_events("w2-" + std::to_string(kJobsPerWriter - 1));
  ASSERT_TRUE(events.has_value());
  EXPECT_EQ(events->size(), 3u);

  auto database = sqlite::Database::open({path, std::chrono::milliseconds{10'000}});
  ASSERT_TRUE(database.has_value());
  EXPECT_EQ(count(*database, "SELECT COUNT(*) FROM jobs"), 2 * kJobsPerWriter);
  EXPECT_EQ(count(*database, "SELECT COUNT(*) FROM job_events"), 3 * 2 * kJobsPerWriter);
  EXPECT_EQ(count(*database, "SELECT COUNT(*) FROM files"), 2 * kJobsPerWriter + kSharedFiles);
  EXPECT_EQ(count(*database, "SELECT COUNT(*) FROM tg_map"), 2 * kJobsPerWriter + kSharedFiles);
  EXPECT_EQ(count(*database, "SELECT COUNT(*) FROM schema_migrations"), 1);
  // Each shared file kept exactly one of the two writers' keys.
  EXPECT_EQ(count(*database, "SELECT COUNT(*) FROM files WHERE s3_key LIKE 'shared/w_-%'"), kSharedFiles);
}

}  // namespace
}  // namespace teltubby::store
