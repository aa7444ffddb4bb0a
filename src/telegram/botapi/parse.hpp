#pragma once
// Parsing and validation of Bot API JSON into the types of types.hpp, and of the
// response envelope into our Error. Pure: no I/O. A missing or wrongly typed
// required field is an `invalid_input` Error whose message names the field path
// ("message.chat.id: missing"); unknown extra fields are ignored (or kept raw where
// DESIGN.md section 4 wants them as received).
#include <cstdint>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "telegram/botapi/types.hpp"

namespace teltubby::botapi {

// Turns one Bot API HTTP answer into its `result` or an Error:
//   {"ok":true,"result":...}                -> result
//   {"ok":false,"error_code":N,...}         -> code "telegram.N"; 429 retryable with
//                                              parameters.retry_after; 5xx retryable;
//                                              other 4xx permanent
//   not JSON / no "ok" (a proxy's HTML page) -> code "telegram.<http_status>" (5xx and 429
//                                              retryable) or "telegram.bad_response"
//                                              (retryable) when the status was 2xx.
// The description is passed through redact() so a token echoed back never leaks.
Result<nlohmann::json> parse_response(std::string_view body, long http_status);

// The Error for an `ok:false` envelope (exposed for callers that already hold JSON).
Error error_from_envelope(const nlohmann::json& envelope, long http_status);

// getFile answers 400 "Bad Request: file is too big" above the download limit: such
// an item is routed to the large-file queue instead of failing. True for that 400 and
// for the Error code "telegram.file_too_big" that BotApiClient::get_file() gives it.
bool is_file_too_big(const Error& error);

Result<User> parse_user(const nlohmann::json& json);
Result<Chat> parse_chat(const nlohmann::json& json);
Result<MessageOrigin> parse_message_origin(const nlohmann::json& json);
Result<Message> parse_message(const nlohmann::json& json);
Result<Update> parse_update(const nlohmann::json& json);
Result<File> parse_file(const nlohmann::json& json);
Result<WebhookInfo> parse_webhook_info(const nlohmann::json& json);

// One element of a getUpdates batch. A malformed update must not stall polling: its
// update_id (when readable) is still reported so the offset can move past it.
struct ParsedUpdate {
  std::int64_t update_id = 0;  // 0 when the element had no readable update_id
  Result<Update> update;
};
// Fails only when `result` is not an array.
Result<std::vector<ParsedUpdate>> parse_update_batch(const nlohmann::json& result);

}  // namespace teltubby::botapi
