#pragma once
// The e2e fixture for large-file jobs (issue 6): BotFixture plus the shared RabbitMQ
// (queue, exchange and event names unique to the test, through the JOB_* variables, so
// tests on one broker never meet) and a real `teltubby worker` process that logs into
// a worker account of the fake world and downloads through its account API. Bot and
// worker share the SQLite file, as they do on one host.
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "e2e/bot_fixture.hpp"
#include "e2e/bot_process.hpp"
#include "store/records.hpp"

namespace teltubby::e2e {

// 25 MiB: above the Bot API's 20 MiB, so the bot hands it to the worker.
inline constexpr std::int64_t kLargeBytes = 25LL * 1024 * 1024;

class JobsFixture : public BotFixture {
 public:
  void SetUp() override;
  void TearDown() override;

  // Starts `teltubby worker` and waits for its /healthz.
  void start_worker();
  std::optional<int> stop_worker();
  // SIGKILL, as a crash or the OOM killer would.
  void kill_worker();
  // Waits until the bot has learnt the worker account (its worker.auth "ready" event).
  void wait_worker_known(std::chrono::milliseconds timeout = std::chrono::seconds{60});

  // A document message of `size` bytes (contents from `seed`).
  Json send_document(std::int64_t size, std::uint64_t seed, const std::string& file_name);

  // The job row for an item (waits until it exists).
  store::JobRecord job_for(std::int64_t bot_message_id, std::chrono::milliseconds timeout = std::chrono::seconds{60});
  // Waits until the job is in `state`; returns the row.
  store::JobRecord wait_job_state(const std::string& job_id, store::JobState state,
                                  std::chrono::milliseconds timeout = std::chrono::seconds{120});

  // The receipt ("Queued: ...") and the job's status message ("📦 ..."), in whichever
  // order they came (the worker may be faster than the receipt).
  struct QueuedReplies {
    BotReply receipt;
    BotReply status;
  };
  QueuedReplies receipt_and_status();
  // Waits until the bot has published the job to the broker.
  void wait_published(const std::string& job_id, std::chrono::milliseconds timeout = std::chrono::seconds{60});

  // Every text the status message `message_id` had, oldest first (as sent, then each
  // edit), once its last text contains `final_marker`; fails the test at the deadline.
  std::vector<std::string> status_texts_until(std::int64_t message_id, const std::string& final_marker,
                                              std::chrono::milliseconds timeout = std::chrono::seconds{120});

  // Environment tweaks for the worker (wins over the defaults).
  Environment worker_extra_;
  std::int64_t worker_account_id_ = 0;

  // Set before SetUp (in a derived fixture's constructor): the worker downloads through
  // TDLib (the stand-in libtdjson) and logs its account in by itself, asking the admins
  // through the bot, instead of getting a ready session of the fake world.
  bool tdlib_worker_ = false;
  std::string worker_password_;     // the account's 2FA password ("" = none)
  std::string worker_phone_ = "+15550007777";
  std::string worker_login_code_;   // what the fake world sends to the account
  std::filesystem::path worker_session_dir() const { return run_dir_ / "mtproto-session"; }
  std::filesystem::path worker_work_dir() const { return run_dir_ / "worker-work"; }

 private:
  std::string worker_session_;
  std::unique_ptr<BotProcess> worker_;
  std::uint16_t worker_health_port_ = 0;
};

}  // namespace teltubby::e2e
