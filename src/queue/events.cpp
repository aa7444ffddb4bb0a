#include "queue/events.hpp"

#include <array>
#include <utility>

#include <nlohmann/json.hpp>

#include "archive/timestamp.hpp"
#include "queue/json_fields.hpp"
#include "queue/text.hpp"

namespace teltubby::queue {

using json_fields::Reader;
using nlohmann::json;

namespace {

constexpr std::string_view kEventCode = "event.invalid";
constexpr std::string_view kControlCode = "control.invalid";
// Telegram names are at most 64 + 64 characters and a username 32; 512 bytes is ample
// in UTF-8 and keeps a malformed event from filling the key-value table.
constexpr std::size_t kMaxAccountNameBytes = 512;

template <class Enum, std::size_t N>
std::optional<Enum> parse_enum(std::string_view text, const std::array<Enum, N>& values) {
  for (const Enum value : values) {
    if (to_string(value) == text) return value;
  }
  return std::nullopt;
}
constexpr std::array kPhases = {ProgressPhase::download, ProgressPhase::upload};
constexpr std::array kWorkerStates = {WorkerState::idle, WorkerState::busy, WorkerState::paused,
                                      WorkerState::stopping};
constexpr std::array kAuthStates = {AuthState::needs_code, AuthState::needs_password, AuthState::needs_qr,
                                    AuthState::ready,      AuthState::failed,         AuthState::suspended,
                                    AuthState::logged_out};

json optional_json(const auto& value) {
  return value ? json(*value) : json(nullptr);
}

bool is_sha256_hex(std::string_view text) {
  if (text.size() != 64) return false;
  for (const char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

Result<std::string> job_id_of(const Reader& r) {
  TT_QUEUE_TRY(id, r.string("job_id"));
  if (!is_uuid_v4(id)) return std::unexpected(r.error("job_id", "not a uuid v4"));
  return id;
}

Result<int> small_int(const Reader& r, std::string_view key, std::int64_t min) {
  TT_QUEUE_TRY(value, r.integer(key, min));
  if (value > 1'000'000) return std::unexpected(r.error(key, "too large"));
  return static_cast<int>(value);
}

json fields_of(const JobProcessingEvent& e) {
  return {{"job_id", e.job_id}, {"worker_id", e.worker_id}, {"attempt", e.attempt}};
}
json fields_of(const JobProgressEvent& e) {
  return {{"job_id", e.job_id},         {"phase", to_string(e.phase)},
          {"bytes_done", e.bytes_done}, {"bytes_total", e.bytes_total},
          {"percent", e.percent},       {"bytes_per_second", e.bytes_per_second}};
}
json fields_of(const JobCompletedEvent& e) {
  return {{"job_id", e.job_id},
          {"s3_key", e.s3_key},
          {"sha256", e.sha256},
          {"bytes", e.bytes},
          {"duplicate", e.duplicate}};
}
json fields_of(const JobFailedEvent& e) {
  return {{"job_id", e.job_id},
          {"reason", e.reason},
          {"retryable", e.retryable},
          {"will_retry", e.will_retry},
          {"attempt", e.attempt}};
}
json fields_of(const JobRetryingEvent& e) {
  return {
      {"job_id", e.job_id}, {"retry_count", e.retry_count}, {"delay_ms", e.delay_ms}, {"reason", e.reason}};
}
json fields_of(const JobCancelledEvent& e) {
  return {{"job_id", e.job_id}, {"reason", optional_json(e.reason)}};
}
json fields_of(const WorkerHeartbeatEvent& e) {
  return {{"worker_id", e.worker_id},
          {"state", to_string(e.state)},
          {"current_job", optional_json(e.current_job)},
          {"version", e.version},
          {"cache_bytes", optional_json(e.cache_bytes)}};
}
json fields_of(const WorkerAuthEvent& e) {
  return {{"worker_id", e.worker_id},
          {"state", to_string(e.state)},
          {"user_id", e.user_id ? json(std::to_string(*e.user_id)) : json(nullptr)},
          {"qr_link", optional_json(e.qr_link)},
          {"retry_after", optional_json(e.retry_after_seconds)},
          {"reason", optional_json(e.reason)},
          {"account_name", optional_json(e.account_name)},
          {"session_since", optional_json(e.session_since)}};
}

Result<Event> parse_processing(const Reader& r) {
  JobProcessingEvent e;
  TT_QUEUE_TRY(job_id, job_id_of(r));
  TT_QUEUE_TRY(worker_id, r.non_empty_string("worker_id"));
  TT_QUEUE_TRY(attempt, small_int(r, "attempt", 1));
  e.job_id = std::move(job_id);
  e.worker_id = std::move(worker_id);
  e.attempt = attempt;
  return e;
}

Result<Event> parse_progress(const Reader& r) {
  JobProgressEvent e;
  TT_QUEUE_TRY(job_id, job_id_of(r));
  TT_QUEUE_TRY(phase_text, r.string("phase"));
  const auto phase = parse_enum(phase_text, kPhases);
  if (!phase) return std::unexpected(r.error("phase", "expected download or upload"));
  TT_QUEUE_TRY(done, r.integer("bytes_done", 0));
  TT_QUEUE_TRY(total, r.integer("bytes_total", 0));
  if (total > 0 && done > total) return std::unexpected(r.error("bytes_done", "larger than bytes_total"));
  TT_QUEUE_TRY(percent, r.number("percent", 0, 100));
  TT_QUEUE_TRY(speed, r.number("bytes_per_second", 0, 1e15));
  e.job_id = std::move(job_id);
  e.phase = *phase;
  e.bytes_done = done;
  e.bytes_total = total;
  e.percent = percent;
  e.bytes_per_second = speed;
  return e;
}

Result<Event> parse_completed(const Reader& r) {
  JobCompletedEvent e;
  TT_QUEUE_TRY(job_id, job_id_of(r));
  TT_QUEUE_TRY(key, r.non_empty_string("s3_key"));
  TT_QUEUE_TRY(sha, r.string("sha256"));
  if (!is_sha256_hex(sha)) return std::unexpected(r.error("sha256", "expected 64 lowercase hex digits"));
  TT_QUEUE_TRY(bytes, r.integer("bytes", 0));
  TT_QUEUE_TRY(duplicate, r.boolean("duplicate"));
  e.job_id = std::move(job_id);
  e.s3_key = std::move(key);
  e.sha256 = std::move(sha);
  e.bytes = bytes;
  e.duplicate = duplicate;
  return e;
}

Result<Event> parse_failed(const Reader& r) {
  JobFailedEvent e;
  TT_QUEUE_TRY(job_id, job_id_of(r));
  TT_QUEUE_TRY(reason, r.non_empty_string("reason"));
  TT_QUEUE_TRY(retryable, r.boolean("retryable"));
  TT_QUEUE_TRY(will_retry, r.boolean("will_retry"));
  TT_QUEUE_TRY(attempt, small_int(r, "attempt", 1));
  e.job_id = std::move(job_id);
  e.reason = std::move(reason);
  e.retryable = retryable;
  e.will_retry = will_retry;
  e.attempt = attempt;
  return e;
}

Result<Event> parse_retrying(const Reader& r) {
  JobRetryingEvent e;
  TT_QUEUE_TRY(job_id, job_id_of(r));
  TT_QUEUE_TRY(retry_count, small_int(r, "retry_count", 1));
  TT_QUEUE_TRY(delay, r.integer("delay_ms", 0));
  TT_QUEUE_TRY(reason, r.string("reason"));
  e.job_id = std::move(job_id);
  e.retry_count = retry_count;
  e.delay_ms = delay;
  e.reason = std::move(reason);
  return e;
}

Result<Event> parse_cancelled(const Reader& r) {
  JobCancelledEvent e;
  TT_QUEUE_TRY(job_id, job_id_of(r));
  TT_QUEUE_TRY(reason, r.optional_string("reason"));
  e.job_id = std::move(job_id);
  e.reason = std::move(reason);
  return e;
}

Result<Event> parse_heartbeat(const Reader& r) {
  WorkerHeartbeatEvent e;
  TT_QUEUE_TRY(worker_id, r.non_empty_string("worker_id"));
  TT_QUEUE_TRY(state_text, r.string("state"));
  const auto state = parse_enum(state_text, kWorkerStates);
  if (!state) return std::unexpected(r.error("state", "expected idle, busy, paused or stopping"));
  TT_QUEUE_TRY(current, r.optional_string("current_job"));
  if (current && !is_uuid_v4(*current)) return std::unexpected(r.error("current_job", "not a uuid v4"));
  TT_QUEUE_TRY(version, r.string("version"));
  TT_QUEUE_TRY(cache_bytes, r.optional_integer("cache_bytes", 0));
  e.worker_id = std::move(worker_id);
  e.state = *state;
  e.current_job = std::move(current);
  e.version = std::move(version);
  e.cache_bytes = cache_bytes;
  return e;
}

Result<Event> parse_auth(const Reader& r) {
  WorkerAuthEvent e;
  TT_QUEUE_TRY(worker_id, r.non_empty_string("worker_id"));
  TT_QUEUE_TRY(state_text, r.string("state"));
  const auto state = parse_enum(state_text, kAuthStates);
  if (!state) {
    return std::unexpected(r.error("state",
                                   "expected needs_code, needs_password, needs_qr, ready, failed, "
                                   "suspended or logged_out"));
  }
  TT_QUEUE_TRY(user_id, r.optional_id("user_id"));
  TT_QUEUE_TRY(qr_link, r.optional_string("qr_link"));
  TT_QUEUE_TRY(retry_after, r.optional_integer("retry_after", 0));
  TT_QUEUE_TRY(reason, r.optional_string("reason"));
  TT_QUEUE_TRY(account_name, r.optional_string("account_name"));
  TT_QUEUE_TRY(session_since, r.optional_integer("session_since", 0));
  if (account_name && account_name->size() > kMaxAccountNameBytes)
    return std::unexpected(r.error("account_name", "longer than 512 bytes"));
  if (*state == AuthState::ready && !user_id)
    return std::unexpected(r.error("user_id", "required when ready"));
  if (*state == AuthState::needs_qr && !qr_link)
    return std::unexpected(r.error("qr_link", "required when needs_qr"));
  e.worker_id = std::move(worker_id);
  e.state = *state;
  e.user_id = user_id;
  e.qr_link = std::move(qr_link);
  e.retry_after_seconds = retry_after;
  e.reason = std::move(reason);
  e.account_name = std::move(account_name);
  e.session_since = session_since;
  return e;
}

using EventParser = Result<Event> (*)(const Reader&);
struct EventKind {
  std::string_view type;
  EventParser parse;
};
// Indexed like the Event variant's alternatives.
constexpr std::array<EventKind, std::variant_size_v<Event>> kEventKinds = {{
    {"job.processing", parse_processing},
    {"job.progress", parse_progress},
    {"job.completed", parse_completed},
    {"job.failed", parse_failed},
    {"job.retrying", parse_retrying},
    {"job.cancelled", parse_cancelled},
    {"worker.heartbeat", parse_heartbeat},
    {"worker.auth", parse_auth},
}};

}  // namespace

std::string_view to_string(ProgressPhase phase) {
  return phase == ProgressPhase::upload ? "upload" : "download";
}

std::string_view to_string(WorkerState state) {
  switch (state) {
    case WorkerState::idle:
      return "idle";
    case WorkerState::busy:
      return "busy";
    case WorkerState::paused:
      return "paused";
    case WorkerState::stopping:
      return "stopping";
  }
  return "idle";
}

std::string_view to_string(AuthState state) {
  switch (state) {
    case AuthState::needs_code:
      return "needs_code";
    case AuthState::needs_password:
      return "needs_password";
    case AuthState::needs_qr:
      return "needs_qr";
    case AuthState::ready:
      return "ready";
    case AuthState::failed:
      return "failed";
    case AuthState::suspended:
      return "suspended";
    case AuthState::logged_out:
      return "logged_out";
  }
  return "failed";
}

RoutingKey routing_key(const Event& event) {
  return RoutingKey{std::string(kEventKinds.at(event.index()).type)};
}

std::string serialize(const EventMessage& message) {
  json body = std::visit([](const auto& e) { return fields_of(e); }, message.event);
  body["type"] = routing_key(message.event).str();
  body["at"] = archive::format_iso8601_utc(message.at);
  return body.dump();
}

Result<EventMessage> parse_event(std::string_view body) {
  TT_QUEUE_TRY(document, json_fields::parse_object(body, kMaxEventBytes, kEventCode));
  const Reader top{document, "", std::string(kEventCode)};
  TT_QUEUE_TRY(type, top.string("type"));
  TT_QUEUE_TRY(at_text, top.string("at"));
  const auto at = archive::parse_iso8601_utc(at_text);
  if (!at) return std::unexpected(top.error("at", "expected UTC time like 2026-11-28T13:44:00Z"));
  for (const auto& kind : kEventKinds) {
    if (kind.type != type) continue;
    TT_QUEUE_TRY(event, kind.parse(top));
    return EventMessage{std::move(event), *at};
  }
  return std::unexpected(top.error("type", "unknown event type \"" + type + "\""));
}

std::string serialize(const ControlMessage& message) {
  json body = std::visit(
      [](const auto& m) -> json {
        using T = std::decay_t<decltype(m)>;
        if constexpr (std::is_same_v<T, AuthCodeControl>) return {{"type", "auth_code"}, {"code", m.code}};
        if constexpr (std::is_same_v<T, AuthPasswordControl>)
          return {{"type", "auth_password"}, {"password", m.password}};
        if constexpr (std::is_same_v<T, QrRequestControl>) return {{"type", "qr_request"}};
        if constexpr (std::is_same_v<T, CancelJobControl>)
          return {{"type", "cancel_job"}, {"job_id", m.job_id}};
      },
      message);
  return body.dump();
}

Result<ControlMessage> parse_control(std::string_view body) {
  TT_QUEUE_TRY(document, json_fields::parse_object(body, kMaxEventBytes, kControlCode));
  const Reader top{document, "", std::string(kControlCode)};
  TT_QUEUE_TRY(type, top.string("type"));
  if (type == "auth_code") {
    TT_QUEUE_TRY(code, top.string("code"));
    bool digits = code.size() >= 3 && code.size() <= 12;
    for (const char c : code) digits = digits && c >= '0' && c <= '9';
    if (!digits) return std::unexpected(top.error("code", "expected 3 to 12 digits"));  // value not echoed
    return AuthCodeControl{std::move(code)};
  }
  if (type == "auth_password") {
    TT_QUEUE_TRY(password, top.non_empty_string("password"));
    return AuthPasswordControl{std::move(password)};
  }
  if (type == "qr_request") return QrRequestControl{};
  if (type == "cancel_job") {
    TT_QUEUE_TRY(job_id, job_id_of(top));
    return CancelJobControl{std::move(job_id)};
  }
  return std::unexpected(top.error("type", "unknown control message type \"" + type + "\""));
}

}  // namespace teltubby::queue
