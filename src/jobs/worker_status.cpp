#include "jobs/worker_status.hpp"

#include <charconv>

#include <nlohmann/json.hpp>

namespace teltubby::jobs {
namespace {

using nlohmann::json;

std::int64_t epoch_seconds(std::chrono::sys_seconds at) { return at.time_since_epoch().count(); }

template <class T>
void put_optional(json& out, const char* name, const std::optional<T>& value) {
  if (value) out[name] = *value;
}

template <class T>
std::optional<T> get_optional(const json& in, const char* name) {
  const auto found = in.find(name);
  if (found == in.end() || found->is_null()) return std::nullopt;
  return found->get<T>();
}

}  // namespace

bool worker_online(const WorkerStatus& status, std::chrono::sys_seconds now, std::chrono::seconds stale_after) {
  return status.heartbeat.has_value() && now - status.heartbeat->at <= stale_after;
}

std::string encode_heartbeat(const WorkerHeartbeat& heartbeat) {
  json out = {{"worker_id", heartbeat.worker_id},
              {"state", heartbeat.state},
              {"version", heartbeat.version},
              {"at", epoch_seconds(heartbeat.at)}};
  put_optional(out, "current_job", heartbeat.current_job);
  put_optional(out, "cache_bytes", heartbeat.cache_bytes);
  return out.dump();
}

std::optional<WorkerHeartbeat> decode_heartbeat(std::string_view text) {
  const json in = json::parse(text, nullptr, false);
  if (!in.is_object()) return std::nullopt;
  try {
    WorkerHeartbeat heartbeat;
    heartbeat.worker_id = in.at("worker_id").get<std::string>();
    heartbeat.state = in.at("state").get<std::string>();
    heartbeat.version = in.at("version").get<std::string>();
    heartbeat.at = std::chrono::sys_seconds{std::chrono::seconds{in.at("at").get<std::int64_t>()}};
    heartbeat.current_job = get_optional<std::string>(in, "current_job");
    heartbeat.cache_bytes = get_optional<std::int64_t>(in, "cache_bytes");
    return heartbeat;
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

std::string encode_auth(const WorkerAuth& auth) {
  json out = {{"worker_id", auth.worker_id}, {"state", auth.state}, {"at", epoch_seconds(auth.at)}};
  put_optional(out, "user_id", auth.user_id);
  put_optional(out, "reason", auth.reason);
  put_optional(out, "retry_after_seconds", auth.retry_after_seconds);
  put_optional(out, "account_name", auth.account_name);
  if (auth.session_since) out["session_since"] = epoch_seconds(*auth.session_since);
  return out.dump();
}

std::optional<WorkerAuth> decode_auth(std::string_view text) {
  const json in = json::parse(text, nullptr, false);
  if (!in.is_object()) return std::nullopt;
  try {
    WorkerAuth auth;
    auth.worker_id = in.at("worker_id").get<std::string>();
    auth.state = in.at("state").get<std::string>();
    auth.at = std::chrono::sys_seconds{std::chrono::seconds{in.at("at").get<std::int64_t>()}};
    auth.user_id = get_optional<std::int64_t>(in, "user_id");
    auth.reason = get_optional<std::string>(in, "reason");
    auth.retry_after_seconds = get_optional<std::int64_t>(in, "retry_after_seconds");
    auth.account_name = get_optional<std::string>(in, "account_name");
    if (auto since = get_optional<std::int64_t>(in, "session_since")) {
      auth.session_since = std::chrono::sys_seconds{std::chrono::seconds{*since}};
    }
    return auth;
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

std::string encode_progress(const WorkerProgress& progress) {
  return json{{"job_id", progress.job_id},
              {"phase", progress.phase},
              {"percent", progress.percent},
              {"bytes_per_second", progress.bytes_per_second},
              {"at", epoch_seconds(progress.at)}}
      .dump();
}

std::optional<WorkerProgress> decode_progress(std::string_view text) {
  const json in = json::parse(text, nullptr, false);
  if (!in.is_object()) return std::nullopt;
  try {
    WorkerProgress progress;
    progress.job_id = in.at("job_id").get<std::string>();
    progress.phase = in.at("phase").get<std::string>();
    progress.percent = in.at("percent").get<double>();
    progress.bytes_per_second = in.at("bytes_per_second").get<double>();
    progress.at = std::chrono::sys_seconds{std::chrono::seconds{in.at("at").get<std::int64_t>()}};
    return progress;
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

WorkerHeartbeat heartbeat_from(const queue::WorkerHeartbeatEvent& event, std::chrono::sys_seconds at) {
  return {event.worker_id, std::string(queue::to_string(event.state)), event.current_job, event.version, at,
          event.cache_bytes};
}

WorkerAuth auth_from(const queue::WorkerAuthEvent& event, std::chrono::sys_seconds at) {
  std::optional<std::chrono::sys_seconds> since;
  if (event.session_since) since = std::chrono::sys_seconds{std::chrono::seconds{*event.session_since}};
  return {event.worker_id, std::string(queue::to_string(event.state)), event.user_id, event.reason,
          event.retry_after_seconds, at, event.account_name, since};
}

WorkerProgress progress_from(const queue::JobProgressEvent& event, std::chrono::sys_seconds at) {
  return {event.job_id, std::string(queue::to_string(event.phase)), event.percent, event.bytes_per_second, at};
}

Result<WorkerStatus> read_worker_status(store::Store& store) {
  WorkerStatus status;
  auto heartbeat = store.get_value(kHeartbeatKey);
  if (!heartbeat) return std::unexpected(heartbeat.error());
  if (*heartbeat) status.heartbeat = decode_heartbeat(**heartbeat);
  auto auth = store.get_value(kAuthKey);
  if (!auth) return std::unexpected(auth.error());
  if (*auth) status.auth = decode_auth(**auth);
  auto user = store.get_value(kWorkerUserIdKey);
  if (!user) return std::unexpected(user.error());
  if (*user) {
    std::int64_t id = 0;
    const std::string& text = **user;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (error == std::errc{} && end == text.data() + text.size() && id > 0) status.worker_user_id = id;
  }
  auto progress = store.get_value(kProgressKey);
  if (!progress) return std::unexpected(progress.error());
  if (*progress) status.progress = decode_progress(**progress);
  return status;
}

Status remember_heartbeat(store::Store& store, const WorkerHeartbeat& heartbeat) {
  return store.set_value(kHeartbeatKey, encode_heartbeat(heartbeat));
}

Status remember_progress(store::Store& store, const WorkerProgress& progress) {
  return store.set_value(kProgressKey, encode_progress(progress));
}

Status remember_auth(store::Store& store, const WorkerAuth& auth) {
  if (auto stored = store.set_value(kAuthKey, encode_auth(auth)); !stored) return stored;
  if (auth.state == "ready" && auth.user_id && *auth.user_id > 0) {
    return store.set_value(kWorkerUserIdKey, std::to_string(*auth.user_id));
  }
  return {};
}

}  // namespace teltubby::jobs
