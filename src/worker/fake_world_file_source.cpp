#include "worker/fake_world_file_source.hpp"

#include <nlohmann/json.hpp>

#include "core/log.hpp"
#include "http/http_client.hpp"

namespace teltubby::worker {
namespace {

// Unique ids are URL-safe base64 in Telegram; anything else is refused before it
// reaches a URL.
bool is_url_safe_token(std::string_view text) {
  if (text.empty() || text.size() > 256) return false;
  for (const char c : text) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_';
    if (!ok) return false;
  }
  return true;
}

Result<nlohmann::json> call_json(std::string_view method, std::string_view base_url, std::string_view path,
                                 const nlohmann::json& body) {
  http::HttpClient client;
  http::Request request;
  request.method = std::string(method);
  request.url = std::string(base_url) + std::string(path);
  if (method == "POST") {
    request.headers.set("Content-Type", "application/json");
    request.body = body.dump();
  }
  request.timeout = std::chrono::seconds{10};
  auto response = client.perform(request);
  if (!response) return std::unexpected(response.error());
  if (response->status != 200) return std::unexpected(fake_world_error(response->status, response->body));
  auto parsed = nlohmann::json::parse(response->body, nullptr, false);
  if (parsed.is_discarded() || !parsed.is_object()) {
    return fail(ErrorKind::permanent, "source.bad_answer", "the fake world answered with something not JSON");
  }
  return parsed;
}

Result<nlohmann::json> post_json(std::string_view base_url, std::string_view path, const nlohmann::json& body) {
  return call_json("POST", base_url, path, body);
}

}  // namespace

Error fake_world_error(long http_status, std::string_view body) {
  std::string name = "HTTP_" + std::to_string(http_status);
  std::string message;
  std::chrono::seconds retry_after{0};
  const auto parsed = nlohmann::json::parse(body, nullptr, false);
  if (parsed.is_object()) {
    if (const auto it = parsed.find("error"); it != parsed.end() && it->is_string()) name = it->get<std::string>();
    if (const auto it = parsed.find("message"); it != parsed.end() && it->is_string()) {
      message = redact(it->get<std::string>());
    }
    if (const auto it = parsed.find("retry_after"); it != parsed.end() && it->is_number_integer()) {
      retry_after = std::chrono::seconds{std::max<std::int64_t>(0, it->get<std::int64_t>())};
    }
  }
  const std::string text = name + (message.empty() ? "" : ": " + message);
  const bool retryable = http_status >= 500 || http_status == 420 || http_status == 429 ||
                         name == "FILE_REFERENCE_EXPIRED" || name == "NETWORK_DOWN" || name == "TIMEOUT";
  if (retryable) return Error{ErrorKind::retryable, "source." + name, text, retry_after};
  if (http_status == 401) return Error{ErrorKind::permanent, "source.unauthorized", text, retry_after};
  return Error{ErrorKind::permanent, "source." + name, text, retry_after};
}

FakeWorldFileSource::FakeWorldFileSource(std::string base_url, std::string session, std::chrono::seconds io_timeout)
    : base_url_(std::move(base_url)), session_(std::move(session)), io_timeout_(io_timeout) {
  register_secret(session_);
}

Result<std::string> FakeWorldFileSource::login(std::string_view base_url, std::string_view phone,
                                               std::string_view code) {
  auto started = post_json(base_url, "/control/account/login/phone", {{"phone", phone}});
  if (!started) return std::unexpected(started.error());
  const auto login_id = started->find("login_id");
  if (login_id == started->end() || !login_id->is_string()) {
    return fail(ErrorKind::permanent, "source.bad_answer", "login/phone answered without a login_id");
  }
  auto finished = post_json(base_url, "/control/account/login/code", {{"login_id", *login_id}, {"code", code}});
  if (!finished) return std::unexpected(finished.error());
  const auto session = finished->find("session");
  if (session == finished->end() || !session->is_string()) {
    return fail(ErrorKind::permanent, "source.password_needed",
                "the fake world account needs a 2FA password, which this test source does not support");
  }
  register_secret(session->get<std::string>());
  return session->get<std::string>();
}

Result<std::int64_t> FakeWorldFileSource::account_user_id() const {
  auto state = call_json("GET", base_url_, "/control/account/" + session_ + "/state", nullptr);
  if (!state) return std::unexpected(state.error());
  const auto user = state->find("user");
  if (state->value("valid", false) != true || user == state->end() || !user->is_object() ||
      !user->contains("id") || !(*user)["id"].is_number_integer()) {
    return fail(ErrorKind::permanent, "source.unauthorized", "the fake world session is not valid");
  }
  return (*user)["id"].get<std::int64_t>();
}

Status FakeWorldFileSource::download(const queue::JobMessage& job, const ChunkSink& sink,
                                     const ProgressCallback& progress, const CancelCheck& cancelled) {
  const std::string& unique_id = job.file_info.file_unique_id;
  if (!is_url_safe_token(unique_id)) {
    return fail(ErrorKind::invalid_input, "source.bad_unique_id", "file_unique_id is not a URL-safe token");
  }
  const std::int64_t expected = job.file_info.file_size;
  std::int64_t done = 0;
  bool stopped = false;
  Status sink_failure;
  http::HttpClient client;
  http::Request request;
  request.url = base_url_ + "/control/account/" + session_ + "/file/" + unique_id;
  request.timeout = io_timeout_;
  request.response_sink = [&](std::span<const std::byte> bytes) -> Status {
    if (cancelled && cancelled()) {
      stopped = true;
      return fail(ErrorKind::cancelled, "source.cancelled", "download stopped on request");
    }
    if (auto written = sink(bytes); !written) {
      sink_failure = written;
      return written;
    }
    done += static_cast<std::int64_t>(bytes.size());
    if (progress) progress(done, expected);
    return {};
  };
  auto response = client.perform(request);
  if (stopped) return fail(ErrorKind::cancelled, "source.cancelled", "download stopped on request");
  if (!sink_failure) return std::unexpected(sink_failure.error());
  if (!response) {
    // A cut connection (truncate fault) or timeout: the network's fault, try again.
    if (response.error().kind == ErrorKind::cancelled) return std::unexpected(response.error());
    Error error = response.error();
    error.kind = ErrorKind::retryable;
    return std::unexpected(std::move(error));
  }
  if (response->status != 200 && response->status != 206) {
    return std::unexpected(fake_world_error(response->status, response->body));
  }
  if (expected > 0 && done != expected) {
    return fail(ErrorKind::retryable, "source.short_download",
                "got " + std::to_string(done) + " of " + std::to_string(expected) + " bytes");
  }
  return {};
}

}  // namespace teltubby::worker
