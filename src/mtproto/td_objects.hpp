#pragma once
// Reading the td_api objects the worker relies on (messages, files, authorization
// states, errors), and building its requests. Pure functions: TDLib's JSON is input
// from outside, so every reader tolerates missing or mistyped fields (a field that is
// not there reads as 0 / "" / false) and never throws. Shapes are quoted from td_api.tl
// next to the code that reads them.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace teltubby::mtproto {

// TDLib numbers messages as the server id times 2^20 (td_api: "message identifiers are
// ... multiplied by 2^20"); the Bot API and forward origins carry the server id.
[[nodiscard]] std::int64_t tdlib_message_id(std::int64_t server_message_id);

// What the worker needs of a td_api `file`.
struct FileView {
  std::int32_t id = 0;               // TDLib's file id, valid in this client only
  std::string unique_id;             // remote.unique_id == the Bot API file_unique_id
  std::int64_t size = 0;             // bytes; 0 when unknown
  std::int64_t expected_size = 0;    // size, or an estimate when size is 0
  std::string local_path;            // local.path; "" until bytes are on disk
  std::int64_t downloaded_size = 0;  // local.downloaded_size: bytes of the file's prefix on disk
  bool downloading = false;          // local.is_downloading_active
  bool completed = false;            // local.is_downloading_completed
};
[[nodiscard]] FileView file_view(const nlohmann::json& file);

// Every `file` in a message's content (document, video, audio, animation, voice note,
// video note, sticker, and every size of a photo), in content order.
[[nodiscard]] std::vector<nlohmann::json> files_in_message(const nlohmann::json& message);
// The file of `message` whose remote.unique_id is `unique_id`.
[[nodiscard]] std::optional<nlohmann::json> find_file(const nlohmann::json& message, std::string_view unique_id);

// A public channel the curator's message was forwarded from (Bot API MessageOrigin of
// type "channel" whose chat has a username): where the worker can open the original
// when the bot could not copy it (protected content).
struct ChannelOrigin {
  std::string username;
  std::int64_t server_message_id = 0;
  bool operator==(const ChannelOrigin&) const = default;
};
[[nodiscard]] std::optional<ChannelOrigin> public_channel_origin(const nlohmann::json& bot_api_origin);

// TDLib's authorization states, as the worker acts on them.
enum class LoginStep {
  starting,        // no state yet, or authorizationStateWaitTdlibParameters
  needs_phone,     // authorizationStateWaitPhoneNumber
  needs_code,      // authorizationStateWaitCode
  needs_password,  // authorizationStateWaitPassword
  needs_qr_scan,   // authorizationStateWaitOtherDeviceConfirmation (link to show as QR)
  ready,           // authorizationStateReady
  closing,         // authorizationStateLoggingOut / authorizationStateClosing
  closed,          // authorizationStateClosed: this client is done
  unsupported,     // registration, email login, premium purchase: not something a worker can do
};
[[nodiscard]] std::string_view to_string(LoginStep step);

struct LoginView {
  LoginStep step = LoginStep::starting;
  std::string type;           // the state's "@type", for logs
  std::string qr_link;        // needs_qr_scan: tg://login?token=...
  std::string password_hint;  // needs_password
  int code_length = 0;        // needs_code, when TDLib says
};
[[nodiscard]] LoginView login_view(const nlohmann::json& authorization_state);

// What a failed login step means for the person typing (no secret is ever in it).
enum class LoginProblem { none, wrong_code, expired_code, wrong_password, flood_wait, bad_phone, other };
[[nodiscard]] LoginProblem login_problem(const Error& error);
// A sentence for admins and the terminal: "The code was wrong." ... (never the code itself).
[[nodiscard]] std::string describe(LoginProblem problem, const Error& error);

// The account was ended from elsewhere for good (not a plain logout): TDLib's texts
// USER_DEACTIVATED / USER_DEACTIVATED_BAN. Empty when not.
[[nodiscard]] std::string account_suspension(std::string_view tdlib_message);

// Request builders (td_api.tl next to each in the .cpp).
struct TdlibParameters {
  std::string database_directory;
  std::string files_directory;
  std::string database_encryption_key;  // "" = not encrypted
  std::int32_t api_id = 0;
  std::string api_hash;
  std::string application_version;
};
[[nodiscard]] nlohmann::json set_tdlib_parameters_request(const TdlibParameters& parameters);
[[nodiscard]] nlohmann::json request(std::string_view type);
[[nodiscard]] nlohmann::json phone_number_request(std::string_view phone);
[[nodiscard]] nlohmann::json code_request(std::string_view code);
[[nodiscard]] nlohmann::json password_request(std::string_view password);
[[nodiscard]] nlohmann::json qr_request();
[[nodiscard]] nlohmann::json search_public_chat_request(std::string_view username);
[[nodiscard]] nlohmann::json history_request(std::int64_t chat_id, std::int64_t from_message_id, int limit);
[[nodiscard]] nlohmann::json get_message_request(std::int64_t chat_id, std::int64_t message_id);
[[nodiscard]] nlohmann::json bot_start_request(std::int64_t bot_user_id);
// synchronous: TDLib answers when the file is complete (or with the reason it failed);
// progress comes as updateFile either way.
[[nodiscard]] nlohmann::json download_request(std::int32_t file_id, int priority, bool synchronous);
[[nodiscard]] nlohmann::json file_request(std::string_view type, std::int32_t file_id);  // deleteFile, cancelDownloadFile, getFile

}  // namespace teltubby::mtproto
