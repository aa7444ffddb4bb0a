#include "telegram/botapi/client.hpp"

#include <algorithm>
#include <random>
#include <utility>

#include "core/log.hpp"
#include "metrics/catalog.hpp"
#include "telegram/botapi/file_path.hpp"
#include "telegram/botapi/multipart.hpp"

namespace teltubby::botapi {
namespace {

using nlohmann::json;

// Connections kept open between calls; more may exist while calls run at once (the
// extra ones are closed when returned). Polling, sending and downloading in parallel
// need a handful.
constexpr std::size_t kMaxIdleConnections = 8;

bool is_token_character(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ':' || c == '_' ||
         c == '-';
}

// Bot API method names are plain words ("sendMessage"): nothing that could change the path.
bool is_method_name(std::string_view method) {
  return !method.empty() && method.size() <= 64 && std::all_of(method.begin(), method.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
  });
}

void replace_all(std::string& text, std::string_view what, std::string_view with) {
  if (what.empty()) return;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size())) {
    text.replace(at, what.size(), with);
  }
}

std::string without_trailing_slashes(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

ClientSettings checked(ClientSettings settings) {
  if (settings.token.empty()) throw FatalError("Bot API client: the bot token is empty");
  if (!std::all_of(settings.token.begin(), settings.token.end(), is_token_character)) {
    // The token itself is not quoted: it is a secret even when malformed.
    throw FatalError("Bot API client: the bot token has characters other than A-Z a-z 0-9 : _ -");
  }
  settings.api_base_url = without_trailing_slashes(std::move(settings.api_base_url));
  if (!settings.api_base_url.starts_with("http://") && !settings.api_base_url.starts_with("https://")) {
    throw FatalError("Bot API client: TELEGRAM_API_BASE_URL must start with http:// or https://");
  }
  if (settings.io_timeout.count() < 1) settings.io_timeout = std::chrono::seconds{1};
  return settings;
}

// Bot API results that are a message id: a Message (sendMessage) or a MessageId (copyMessage).
Result<std::int64_t> message_id_of(const json& result, std::string_view method) {
  if (result.is_object()) {
    if (auto it = result.find("message_id"); it != result.end() && it->is_number_integer()) {
      return it->get<std::int64_t>();
    }
  }
  return fail(ErrorKind::retryable, "telegram.bad_response",
              std::string(method) + ": result without a message_id");
}

Status as_status(const Result<json>& result) {
  if (!result) return std::unexpected(result.error());
  return {};
}

bool is_not_modified(const Error& error) {
  return error.code == "telegram.400" && error.message.find("message is not modified") != std::string::npos;
}

json allowed_updates_json(const std::vector<std::string>& allowed_updates) {
  json list = json::array();
  for (const auto& kind : allowed_updates) list.push_back(kind);
  return list;
}

// "teltubby-" and 32 random hex digits.
std::string random_boundary() {
  static thread_local std::mt19937_64 random{std::random_device{}()};
  static constexpr std::string_view kHex = "0123456789abcdef";
  std::string boundary = "teltubby-";
  for (int half = 0; half < 2; ++half) {
    std::uint64_t bits = random();
    for (int digit = 0; digit < 16; ++digit, bits >>= 4U) boundary += kHex[bits & 0xFU];
  }
  return boundary;
}

}  // namespace

BotApiClient::BotApiClient(ClientSettings settings)
    : settings_(checked(std::move(settings))),
      metrics_(settings_.metrics != nullptr ? settings_.metrics : &metrics::process_catalog()) {
  // Every log line and redact() call masks the token from now on, whatever carries it.
  register_secret(settings_.token);
}

BotApiClient::~BotApiClient() = default;

std::unique_ptr<http::HttpClient> BotApiClient::borrow_connection() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_connections_.empty()) {
      auto connection = std::move(idle_connections_.back());
      idle_connections_.pop_back();
      return connection;
    }
  }
  return std::make_unique<http::HttpClient>(http::ClientOptions{.tls_verify = settings_.tls_verify});
}

void BotApiClient::return_connection(std::unique_ptr<http::HttpClient> connection) {
  std::lock_guard lock(mutex_);
  if (idle_connections_.size() < kMaxIdleConnections) idle_connections_.push_back(std::move(connection));
}

Result<http::Response> BotApiClient::perform(const http::Request& request) {
  auto connection = borrow_connection();
  auto response = connection->perform(request);
  // A connection that failed (timeout, reset) is dropped rather than reused.
  if (!response) return std::unexpected(scrub(std::move(response.error())));
  return_connection(std::move(connection));
  return response;
}

Error BotApiClient::scrub(Error error) const {
  // HttpClient redacts URLs and parse_response() descriptions already; this also
  // covers texts from anywhere else (curl's own error buffer, a sink's error).
  const std::string& token = settings_.token;
  replace_all(error.message, token, kRedacted);
  std::string encoded = token;
  replace_all(encoded, ":", "%3A");
  replace_all(error.message, encoded, kRedacted);
  replace_all(encoded, "%3A", "%3a");
  replace_all(error.message, encoded, kRedacted);
  error.message = redact(error.message);
  return error;
}

void BotApiClient::count(std::string_view method, std::string_view outcome) {
  metrics_->telegram_requests_total.labels(method, outcome).inc();
}

Result<json> BotApiClient::call(std::string_view method, const json& params, std::chrono::seconds timeout,
                                std::function<bool()> should_abort) {
  return post(method, "application/json", params.dump(-1, ' ', false, json::error_handler_t::replace), timeout,
              std::move(should_abort));
}

Result<json> BotApiClient::post(std::string_view method, std::string content_type, std::string body,
                                std::chrono::seconds timeout, std::function<bool()> should_abort) {
  if (!is_method_name(method)) {
    return fail(ErrorKind::invalid_input, "botapi.bad_method", "Bot API method name must be letters only");
  }
  http::Request request;
  request.method = "POST";
  request.url = settings_.api_base_url + "/bot" + settings_.token + "/" + std::string(method);
  request.headers.add("Content-Type", content_type);
  request.body = std::move(body);
  request.timeout = timeout.count() > 0 ? timeout : settings_.io_timeout;
  request.should_abort = std::move(should_abort);

  Result<json> result = [&]() -> Result<json> {
    auto response = perform(request);
    if (!response) return std::unexpected(std::move(response.error()));
    auto parsed = parse_response(response->body, response->status);
    if (!parsed) {
      Error error = std::move(parsed.error());
      error.message = std::string(method) + ": " + error.message;
      return std::unexpected(scrub(std::move(error)));
    }
    return parsed;
  }();
  count(method, metrics::outcome_of(result));
  return result;
}

Result<User> BotApiClient::get_me() {
  auto result = call("getMe", json::object());
  if (!result) return std::unexpected(std::move(result.error()));
  return parse_user(*result);
}

Result<std::vector<ParsedUpdate>> BotApiClient::get_updates(std::int64_t offset, std::chrono::seconds timeout,
                                                            const std::vector<std::string>& allowed_updates,
                                                            std::function<bool()> should_abort) {
  const auto poll = std::max(timeout, std::chrono::seconds{0});
  json params = {{"offset", offset},
                 {"timeout", poll.count()},
                 {"allowed_updates", allowed_updates_json(allowed_updates)}};
  // The server holds the request up to `poll` without sending a byte.
  auto result = call("getUpdates", params, poll + settings_.io_timeout, std::move(should_abort));
  if (!result) return std::unexpected(std::move(result.error()));
  return parse_update_batch(*result);
}

Result<std::int64_t> BotApiClient::send_message(std::int64_t chat_id, std::string_view html) {
  json params = {{"chat_id", chat_id},
                 {"text", std::string(html)},
                 {"parse_mode", "HTML"},
                 {"link_preview_options", {{"is_disabled", true}}}};
  auto result = call("sendMessage", params);
  if (!result) return std::unexpected(std::move(result.error()));
  return message_id_of(*result, "sendMessage");
}

Status BotApiClient::edit_message_text(std::int64_t chat_id, std::int64_t message_id, std::string_view html) {
  json params = {{"chat_id", chat_id},
                 {"message_id", message_id},
                 {"text", std::string(html)},
                 {"parse_mode", "HTML"},
                 {"link_preview_options", {{"is_disabled", true}}}};
  auto result = call("editMessageText", params);
  // The text is already what we want it to be (a repeated progress edit).
  if (!result && is_not_modified(result.error())) return {};
  return as_status(result);
}

Status BotApiClient::delete_message(std::int64_t chat_id, std::int64_t message_id) {
  return as_status(call("deleteMessage", {{"chat_id", chat_id}, {"message_id", message_id}}));
}

Status BotApiClient::send_chat_action(std::int64_t chat_id, std::string_view action) {
  return as_status(call("sendChatAction", {{"chat_id", chat_id}, {"action", std::string(action)}}));
}

Result<std::int64_t> BotApiClient::copy_message(std::int64_t to_chat_id, std::int64_t from_chat_id,
                                                std::int64_t message_id) {
  auto result = call("copyMessage",
                     {{"chat_id", to_chat_id}, {"from_chat_id", from_chat_id}, {"message_id", message_id}});
  if (!result) return std::unexpected(std::move(result.error()));
  return message_id_of(*result, "copyMessage");
}

Result<std::int64_t> BotApiClient::send_photo(std::int64_t chat_id, std::span<const std::byte> image,
                                              std::string_view file_name, std::string_view content_type,
                                              std::string_view caption_html) {
  const std::vector<FormField> fields{{"chat_id", std::to_string(chat_id)},
                                      {"caption", std::string(caption_html)},
                                      {"parse_mode", "HTML"}};
  const std::vector<FormFile> files{{"photo", std::string(file_name), std::string(content_type), image}};
  // A boundary that occurs in the image is replaced by another one; a random 128 bits
  // make that all but impossible, so a few tries suffice.
  for (int attempt = 0; attempt < 4; ++attempt) {
    const std::string boundary = random_boundary();
    auto body = multipart_body(boundary, fields, files);
    if (!body) {
      if (body.error().code == "botapi.multipart_boundary") continue;
      return std::unexpected(std::move(body.error()));
    }
    auto result = post("sendPhoto", multipart_content_type(boundary), std::move(*body), std::chrono::seconds{0}, {});
    if (!result) return std::unexpected(std::move(result.error()));
    return message_id_of(*result, "sendPhoto");
  }
  return fail(ErrorKind::permanent, "botapi.multipart_boundary", "sendPhoto: no boundary fits the image");
}

Result<File> BotApiClient::get_file(std::string_view file_id) {
  if (file_id.empty()) return fail(ErrorKind::invalid_input, "botapi.bad_file_id", "getFile: empty file_id");
  auto result = call("getFile", {{"file_id", std::string(file_id)}});
  if (!result) {
    Error error = std::move(result.error());
    if (is_file_too_big(error)) error.code = std::string(kFileTooBigCode);
    return std::unexpected(std::move(error));
  }
  return parse_file(*result);
}

Status BotApiClient::download_file(std::string_view file_path, const http::BodySink& sink) {
  if (!sink) return fail(ErrorKind::invalid_input, "botapi.no_sink", "download_file needs a sink");
  if (settings_.local_mode) {
    auto streamed = stream_local_file(file_path, sink);
    count("downloadFile", metrics::outcome_of(streamed));
    if (!streamed) return std::unexpected(scrub(std::move(streamed.error())));
    return streamed;
  }
  auto downloaded = download_cloud(file_path, sink);
  count("downloadFile", metrics::outcome_of(downloaded));
  return downloaded;
}

Status BotApiClient::download_cloud(std::string_view file_path, const http::BodySink& sink) {
  if (auto path_ok = check_cloud_file_path(file_path); !path_ok) return path_ok;
  http::Request request;
  request.method = "GET";
  request.url = settings_.api_base_url + "/file/bot" + settings_.token + "/" + encode_url_path(file_path);
  request.response_sink = sink;
  request.timeout = settings_.io_timeout;  // no byte moving for this long; a big file may take longer overall
  auto response = perform(request);
  if (!response) return std::unexpected(std::move(response.error()));
  if (response->status >= 200 && response->status < 300) return {};
  // The body of a refusal is a Bot API envelope, or whatever a proxy put there.
  auto parsed = parse_response(response->body, response->status);
  Error error = parsed ? Error{ErrorKind::permanent, "telegram." + std::to_string(response->status), "", {}}
                       : std::move(parsed.error());
  if (response->status == 404) error.kind = ErrorKind::not_found;
  error.message = "download of " + std::string(file_path) + " failed with HTTP " +
                  std::to_string(response->status) + (error.message.empty() ? "" : ": " + error.message);
  return std::unexpected(scrub(std::move(error)));
}

Status BotApiClient::set_webhook(std::string_view url, std::string_view secret_token,
                                 const std::vector<std::string>& allowed_updates) {
  json params = {{"url", std::string(url)}, {"allowed_updates", allowed_updates_json(allowed_updates)}};
  if (!secret_token.empty()) {
    register_secret(secret_token);  // WEBHOOK_SECRET: as secret as the token
    params["secret_token"] = std::string(secret_token);
  }
  return as_status(call("setWebhook", params));
}

Status BotApiClient::delete_webhook() {
  return as_status(call("deleteWebhook", json::object()));
}

Result<WebhookInfo> BotApiClient::get_webhook_info() {
  auto result = call("getWebhookInfo", json::object());
  if (!result) return std::unexpected(std::move(result.error()));
  return parse_webhook_info(*result);
}

Status BotApiClient::set_my_commands(const json& commands) {
  return as_status(call("setMyCommands", {{"commands", commands}}));
}

}  // namespace teltubby::botapi
