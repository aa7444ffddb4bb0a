#pragma once
// What the bot knows about the worker, learned from its events (worker.heartbeat,
// worker.auth) and kept in the database's key-value table so that it survives a bot
// restart and /status, /mtstatus and `teltubby jobs` can show it. Pure encoding plus
// two store calls.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "queue/events.hpp"
#include "store/store.hpp"

namespace teltubby::jobs {

inline constexpr std::string_view kHeartbeatKey = "worker.last_heartbeat";  // JSON, see encode_heartbeat
inline constexpr std::string_view kAuthKey = "worker.auth";                  // JSON, see encode_auth
// The worker account's Telegram user id (decimal), once a worker.auth "ready" named it:
// the chat the bot copies large messages into.
inline constexpr std::string_view kWorkerUserIdKey = "worker.user_id";
// The bot's @username, written by the bot at start: the worker account looks the bot
// up by it to start its chat with the bot (a bot cannot start a conversation).
inline constexpr std::string_view kBotUsernameKey = "bot.username";
// The latest job.progress the bot received (JSON, see encode_progress): /mtstatus shows
// the running job's speed from it.
inline constexpr std::string_view kProgressKey = "worker.progress";

struct WorkerHeartbeat {
  std::string worker_id;
  std::string state;  // idle | busy | paused | stopping
  std::optional<std::string> current_job;
  std::string version;
  std::chrono::sys_seconds at{};  // when the worker sent it
  std::optional<std::int64_t> cache_bytes;  // TDLib's files directory, bytes
};

struct WorkerAuth {
  std::string worker_id;
  std::string state;  // needs_code | needs_password | needs_qr | ready | failed | suspended | logged_out
  std::optional<std::int64_t> user_id;
  std::optional<std::string> reason;
  std::optional<std::int64_t> retry_after_seconds;
  std::chrono::sys_seconds at{};
  std::optional<std::string> account_name;                // with ready
  std::optional<std::chrono::sys_seconds> session_since;  // with ready: when the session logged in
};

struct WorkerProgress {
  std::string job_id;
  std::string phase;  // download | upload
  double percent = 0;
  double bytes_per_second = 0;
  std::chrono::sys_seconds at{};
};

struct WorkerStatus {
  std::optional<WorkerHeartbeat> heartbeat;  // nullopt: never heard from a worker
  std::optional<WorkerAuth> auth;            // nullopt: no auth event yet
  std::optional<std::int64_t> worker_user_id;
  std::optional<WorkerProgress> progress;  // nullopt: no progress heard yet
};

// Online means a heartbeat no older than `stale_after` (3 heartbeat intervals).
bool worker_online(const WorkerStatus& status, std::chrono::sys_seconds now, std::chrono::seconds stale_after);

std::string encode_heartbeat(const WorkerHeartbeat& heartbeat);
std::optional<WorkerHeartbeat> decode_heartbeat(std::string_view text);  // nullopt when malformed
std::string encode_auth(const WorkerAuth& auth);
std::optional<WorkerAuth> decode_auth(std::string_view text);
std::string encode_progress(const WorkerProgress& progress);
std::optional<WorkerProgress> decode_progress(std::string_view text);

WorkerHeartbeat heartbeat_from(const queue::WorkerHeartbeatEvent& event, std::chrono::sys_seconds at);
WorkerAuth auth_from(const queue::WorkerAuthEvent& event, std::chrono::sys_seconds at);
WorkerProgress progress_from(const queue::JobProgressEvent& event, std::chrono::sys_seconds at);

// Reads the three keys; malformed values are treated as absent.
Result<WorkerStatus> read_worker_status(store::Store& store);
Status remember_heartbeat(store::Store& store, const WorkerHeartbeat& heartbeat);
// Also stores worker.user_id when the state is ready with a user id.
Status remember_auth(store::Store& store, const WorkerAuth& auth);
Status remember_progress(store::Store& store, const WorkerProgress& progress);

}  // namespace teltubby::jobs
