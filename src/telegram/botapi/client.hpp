#pragma once
// The Bot API client: JSON POSTs to {base}/bot<token>/<method> over http::HttpClient,
// answers turned into typed values or `Error`s by parse_response() (parse.hpp), and file
// downloads streamed to a sink (cloud API) or read from the local disk (a local Bot API
// server, TELEGRAM_LOCAL_MODE).
//
//   BotApiClient client({.api_base_url = "http://127.0.0.1:8081", .token = token});
//   auto me = client.get_me();
//
// The token is part of every URL. It never appears in an error text: HttpClient redacts
// URLs, the token is registered with the log redactor, and every Error leaving this
// client is scrubbed of it once more.
//
// Rate limits are not this class's business: everything the bot sends goes through
// bot::Outbox, which paces it and honours 429 retry_after.
#include <chrono>
#include <functional>
#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "http/http_client.hpp"
#include "telegram/botapi/parse.hpp"
#include "telegram/botapi/types.hpp"

namespace teltubby::metrics {
class Catalog;
}

namespace teltubby::botapi {

struct ClientSettings {
  std::string api_base_url = "https://api.telegram.org";  // TELEGRAM_API_BASE_URL, no trailing '/'
  std::string token;                                      // never in an error text or log line
  std::chrono::seconds io_timeout{30};                    // IO_TIMEOUT_SECONDS: per request, no byte moving
  bool local_mode = false;  // TELEGRAM_LOCAL_MODE: getFile's file_path is an absolute local path
  bool tls_verify = true;
  // Where telegram_requests_total{method, outcome} is counted; nullptr: the process
  // catalog (metrics::process_catalog()).
  metrics::Catalog* metrics = nullptr;
};

// The Error code get_file() answers when Telegram refuses a file above the Bot API
// download limit (20 MB on the cloud API): the item goes to the large-file queue.
inline constexpr std::string_view kFileTooBigCode = "telegram.file_too_big";

// Thread-safe: each call borrows an HttpClient from a small internal pool.
class BotApiClient {
 public:
  // Throws FatalError when the settings cannot work (empty token, a token with
  // characters that do not belong in a URL path, a base URL that is not http(s)).
  explicit BotApiClient(ClientSettings settings);
  ~BotApiClient();
  BotApiClient(const BotApiClient&) = delete;
  BotApiClient& operator=(const BotApiClient&) = delete;

  // POST application/json to {base}/bot{token}/{method}; parse_response() turns the answer
  // into result or Error (telegram.<code>, 429 retryable with retry_after, 5xx retryable).
  // `timeout` 0 = settings.io_timeout. Transport errors come back as http.* errors.
  // Error messages start with the method name ("sendMessage: Bad Request: ...").
  // `should_abort`, when given, is polled while the request runs (see http::Request).
  Result<nlohmann::json> call(std::string_view method, const nlohmann::json& params,
                              std::chrono::seconds timeout = std::chrono::seconds{0},
                              std::function<bool()> should_abort = {});
  Result<User> get_me();
  // Long poll; `timeout` = seconds Telegram may hold the request (the HTTP timeout is
  // this plus io_timeout). `should_abort` returning true ends the poll at once (shutdown)
  // with an Error of kind `cancelled`.
  Result<std::vector<ParsedUpdate>> get_updates(std::int64_t offset, std::chrono::seconds timeout,
                                                const std::vector<std::string>& allowed_updates,
                                                std::function<bool()> should_abort = {});
  // parse_mode HTML; link previews off. Returns the sent message's id.
  Result<std::int64_t> send_message(std::int64_t chat_id, std::string_view html);
  // "message is not modified" counts as success.
  Status edit_message_text(std::int64_t chat_id, std::int64_t message_id, std::string_view html);
  Status delete_message(std::int64_t chat_id, std::int64_t message_id);
  Status send_chat_action(std::int64_t chat_id, std::string_view action);  // "typing"
  Result<std::int64_t> copy_message(std::int64_t to_chat_id, std::int64_t from_chat_id,
                                    std::int64_t message_id);
  // sendPhoto with the image uploaded (multipart/form-data); caption in HTML (at most
  // 1024 characters after parsing). `file_name` only [A-Za-z0-9._-]. Returns the sent
  // message's id.
  Result<std::int64_t> send_photo(std::int64_t chat_id, std::span<const std::byte> image, std::string_view file_name,
                                  std::string_view content_type, std::string_view caption_html);
  // Too big for the Bot API: Error code kFileTooBigCode (permanent; is_file_too_big()
  // recognises it).
  Result<File> get_file(std::string_view file_id);
  // Streams the file named by get_file's file_path to `sink` (cloud: GET
  // {base}/file/bot{token}/{path}; local mode: reads the absolute path, refusing
  // relative paths and "..").
  // Errors: "botapi.bad_file_path" (invalid_input) for a path that is refused; a non-2xx
  // answer is "telegram.<status>" (404 not_found, 429 and 5xx retryable); a connection
  // cut short is "http.network" (retryable); local files: "botapi.local_file" with the
  // kind the errno implies. The sink may have received part of the bytes before an
  // error: a caller that retries starts its output afresh.
  Status download_file(std::string_view file_path, const http::BodySink& sink);
  Status set_webhook(std::string_view url, std::string_view secret_token,
                     const std::vector<std::string>& allowed_updates);
  Status delete_webhook();
  Result<WebhookInfo> get_webhook_info();
  Status set_my_commands(const nlohmann::json& commands);  // bot::bot_commands_json()

 private:
  std::unique_ptr<http::HttpClient> borrow_connection();
  void return_connection(std::unique_ptr<http::HttpClient> connection);
  Result<http::Response> perform(const http::Request& request);
  // POSTs `body` to the method and parses the answer (call() and uploads share it).
  Result<nlohmann::json> post(std::string_view method, std::string content_type, std::string body,
                              std::chrono::seconds timeout, std::function<bool()> should_abort);
  Status download_cloud(std::string_view file_path, const http::BodySink& sink);
  // The token (and its URL-encoded form) replaced in an error's message.
  Error scrub(Error error) const;
  void count(std::string_view method, std::string_view outcome);

  ClientSettings settings_;
  metrics::Catalog* metrics_;
  std::mutex mutex_;  // guards idle_connections_
  std::vector<std::unique_ptr<http::HttpClient>> idle_connections_;
};

}  // namespace teltubby::botapi
