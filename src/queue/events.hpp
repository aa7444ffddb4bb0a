#pragma once
// Worker -> bot events (topic exchange teltubby.events; the routing key is the event's
// "type") and bot -> worker control messages (queue teltubby.worker_control). JSON
// with a "type" field; every message is validated on receipt like the job message.
//
//   {"type":"job.progress","at":"2026-11-28T13:44:00Z","job_id":"...","phase":"download",
//    "bytes_done":1048576,"bytes_total":125829120,"percent":0.83,"bytes_per_second":5242880}
//
// Control messages carry login codes and passwords: never log their bodies.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "core/error.hpp"
#include "queue/names.hpp"

namespace teltubby::queue {

inline constexpr std::size_t kMaxEventBytes = 64 * 1024;

enum class ProgressPhase { download, upload };
enum class WorkerState { idle, busy, paused, stopping };
enum class AuthState { needs_code, needs_password, needs_qr, ready, failed, suspended, logged_out };

std::string_view to_string(ProgressPhase phase);
std::string_view to_string(WorkerState state);
std::string_view to_string(AuthState state);

struct JobProcessingEvent {  // job.processing
  std::string job_id;
  std::string worker_id;
  int attempt = 1;  // 1 for the first attempt
  bool operator==(const JobProcessingEvent&) const = default;
};
struct JobProgressEvent {  // job.progress
  std::string job_id;
  ProgressPhase phase = ProgressPhase::download;
  std::int64_t bytes_done = 0;
  std::int64_t bytes_total = 0;  // 0 when unknown
  double percent = 0;            // 0..100
  double bytes_per_second = 0;
  bool operator==(const JobProgressEvent&) const = default;
};
struct JobCompletedEvent {  // job.completed
  std::string job_id;
  std::string s3_key;
  std::string sha256;  // 64 lowercase hex digits
  std::int64_t bytes = 0;
  bool duplicate = false;  // the content was already stored (s3_key is the earlier copy)
  bool operator==(const JobCompletedEvent&) const = default;
};
struct JobFailedEvent {  // job.failed
  std::string job_id;
  std::string reason;
  bool retryable = false;
  bool will_retry = false;
  int attempt = 1;
  bool operator==(const JobFailedEvent&) const = default;
};
struct JobRetryingEvent {  // job.retrying
  std::string job_id;
  int retry_count = 1;  // the retry about to happen (1 for the first)
  std::int64_t delay_ms = 0;
  std::string reason;
  bool operator==(const JobRetryingEvent&) const = default;
};
struct JobCancelledEvent {  // job.cancelled
  std::string job_id;
  std::optional<std::string> reason;
  bool operator==(const JobCancelledEvent&) const = default;
};
struct WorkerHeartbeatEvent {  // worker.heartbeat
  std::string worker_id;
  WorkerState state = WorkerState::idle;
  std::optional<std::string> current_job;
  std::string version;
  std::optional<std::int64_t> cache_bytes;  // bytes in TDLib's files directory, when the worker measures it
  bool operator==(const WorkerHeartbeatEvent&) const = default;
};
struct WorkerAuthEvent {  // worker.auth
  std::string worker_id;
  AuthState state = AuthState::needs_code;
  std::optional<std::int64_t> user_id;              // required when ready
  std::optional<std::string> qr_link;               // required when needs_qr (tg://login?token=...)
  std::optional<std::int64_t> retry_after_seconds;  // flood wait, when known
  std::optional<std::string> reason;                // failed, suspended, logged_out
  std::optional<std::string> account_name;          // with ready: the account's name and @username
  std::optional<std::int64_t> session_since;        // with ready: when this session logged in (Unix seconds)
  bool operator==(const WorkerAuthEvent&) const = default;
};

using Event = std::variant<JobProcessingEvent, JobProgressEvent, JobCompletedEvent, JobFailedEvent,
                           JobRetryingEvent, JobCancelledEvent, WorkerHeartbeatEvent, WorkerAuthEvent>;

struct EventMessage {
  Event event;
  std::chrono::sys_seconds at{};  // when it happened (UTC)
  bool operator==(const EventMessage&) const = default;
};

RoutingKey routing_key(const Event& event);  // "job.progress", "worker.auth", ...
std::string serialize(const EventMessage& message);
// Errors: invalid_input, "event.invalid", naming the field.
Result<EventMessage> parse_event(std::string_view body);

struct AuthCodeControl {  // "auth_code": the login code, digits only
  std::string code;
  bool operator==(const AuthCodeControl&) const = default;
};
struct AuthPasswordControl {  // "auth_password": the 2FA password (secret)
  std::string password;
  bool operator==(const AuthPasswordControl&) const = default;
};
struct QrRequestControl {  // "qr_request": start a QR login
  bool operator==(const QrRequestControl&) const = default;
};
struct CancelJobControl {  // "cancel_job": stop a PROCESSING job at its next checkpoint
  std::string job_id;
  bool operator==(const CancelJobControl&) const = default;
};
using ControlMessage = std::variant<AuthCodeControl, AuthPasswordControl, QrRequestControl, CancelJobControl>;

std::string serialize(const ControlMessage& message);
// Errors: invalid_input, "control.invalid". Never puts the code or password in the text.
Result<ControlMessage> parse_control(std::string_view body);

}  // namespace teltubby::queue
