#include "mtproto/td_objects.hpp"

#include <array>

#include "storage/crypto.hpp"

namespace teltubby::mtproto {

using nlohmann::json;

namespace {

const json& member(const json& object, const char* key) {
  static const json kNull;
  if (!object.is_object()) return kNull;
  auto it = object.find(key);
  return it == object.end() ? kNull : *it;
}
std::string text(const json& object, const char* key) {
  const json& value = member(object, key);
  return value.is_string() ? value.get<std::string>() : std::string{};
}
std::int64_t number(const json& object, const char* key) {
  const json& value = member(object, key);
  return value.is_number_integer() ? value.get<std::int64_t>() : 0;
}
bool flag(const json& object, const char* key) {
  const json& value = member(object, key);
  return value.is_boolean() && value.get<bool>();
}

}  // namespace

std::int64_t tdlib_message_id(std::int64_t server_message_id) { return server_message_id * (std::int64_t{1} << 20); }

// file id:int32 size:int53 expected_size:int53 local:localFile remote:remoteFile = File;
// localFile path:string can_be_downloaded:Bool can_be_deleted:Bool is_downloading_active:Bool
//   is_downloading_completed:Bool download_offset:int53 downloaded_prefix_size:int53 downloaded_size:int53
// remoteFile id:string unique_id:string is_uploading_active:Bool is_uploading_completed:Bool uploaded_size:int53
FileView file_view(const json& file) {
  FileView view;
  view.id = static_cast<std::int32_t>(number(file, "id"));
  view.size = number(file, "size");
  view.expected_size = number(file, "expected_size");
  const json& local = member(file, "local");
  view.local_path = text(local, "path");
  view.downloaded_size = number(local, "downloaded_size");
  view.downloading = flag(local, "is_downloading_active");
  view.completed = flag(local, "is_downloading_completed");
  view.unique_id = text(member(file, "remote"), "unique_id");
  return view;
}

std::vector<json> files_in_message(const json& message) {
  std::vector<json> files;
  const json& content = member(message, "content");
  const std::string type = text(content, "@type");
  auto add = [&files](const json& file) {
    if (file.is_object() && text(file, "@type") == "file") files.push_back(file);
  };
  // messagePhoto photo:photo; photo sizes:vector<photoSize>; photoSize type:string photo:file ...
  if (type == "messagePhoto") {
    const json& sizes = member(member(content, "photo"), "sizes");
    if (sizes.is_array()) {
      for (const json& size : sizes) add(member(size, "photo"));
    }
    return files;
  }
  // messageDocument document:document (document:file), messageVideo video:video (video:file),
  // messageAudio audio:audio (audio:file), messageAnimation animation:animation (animation:file),
  // messageVoiceNote voice_note:voiceNote (voice:file), messageVideoNote video_note:videoNote (video:file),
  // messageSticker sticker:sticker (sticker:file).
  struct Slot {
    const char* content_type;
    const char* object;
    const char* file;
  };
  static constexpr std::array kSlots{
      Slot{"messageDocument", "document", "document"},  Slot{"messageVideo", "video", "video"},
      Slot{"messageAudio", "audio", "audio"},           Slot{"messageAnimation", "animation", "animation"},
      Slot{"messageVoiceNote", "voice_note", "voice"},  Slot{"messageVideoNote", "video_note", "video"},
      Slot{"messageSticker", "sticker", "sticker"},
  };
  for (const Slot& slot : kSlots) {
    if (type == slot.content_type) add(member(member(content, slot.object), slot.file));
  }
  return files;
}

std::optional<json> find_file(const json& message, std::string_view unique_id) {
  if (unique_id.empty()) return std::nullopt;
  for (json& file : files_in_message(message)) {
    if (text(member(file, "remote"), "unique_id") == unique_id) return std::move(file);
  }
  return std::nullopt;
}

// Bot API: MessageOriginChannel type:"channel" date chat:Chat message_id author_signature?
std::optional<ChannelOrigin> public_channel_origin(const json& origin) {
  if (text(origin, "type") != "channel") return std::nullopt;
  ChannelOrigin channel;
  channel.username = text(member(origin, "chat"), "username");
  channel.server_message_id = number(origin, "message_id");
  if (channel.username.empty() || channel.server_message_id <= 0) return std::nullopt;
  return channel;
}

std::string_view to_string(LoginStep step) {
  switch (step) {
    case LoginStep::starting: return "starting";
    case LoginStep::needs_phone: return "needs_phone";
    case LoginStep::needs_code: return "needs_code";
    case LoginStep::needs_password: return "needs_password";
    case LoginStep::needs_qr_scan: return "needs_qr_scan";
    case LoginStep::ready: return "ready";
    case LoginStep::closing: return "closing";
    case LoginStep::closed: return "closed";
    case LoginStep::unsupported: return "unsupported";
  }
  return "unknown";
}

LoginView login_view(const json& state) {
  LoginView view;
  view.type = text(state, "@type");
  const std::string& type = view.type;
  if (type.empty() || type == "authorizationStateWaitTdlibParameters") {
    view.step = LoginStep::starting;
  } else if (type == "authorizationStateWaitPhoneNumber") {
    view.step = LoginStep::needs_phone;
  } else if (type == "authorizationStateWaitCode") {
    // authorizationStateWaitCode code_info:authenticationCodeInfo; authenticationCodeInfo ... type:AuthenticationCodeType
    view.step = LoginStep::needs_code;
    view.code_length = static_cast<int>(number(member(member(state, "code_info"), "type"), "length"));
  } else if (type == "authorizationStateWaitPassword") {
    view.step = LoginStep::needs_password;
    view.password_hint = text(state, "password_hint");
  } else if (type == "authorizationStateWaitOtherDeviceConfirmation") {
    view.step = LoginStep::needs_qr_scan;
    view.qr_link = text(state, "link");
  } else if (type == "authorizationStateReady") {
    view.step = LoginStep::ready;
  } else if (type == "authorizationStateLoggingOut" || type == "authorizationStateClosing") {
    view.step = LoginStep::closing;
  } else if (type == "authorizationStateClosed") {
    view.step = LoginStep::closed;
  } else {
    view.step = LoginStep::unsupported;
  }
  return view;
}

LoginProblem login_problem(const Error& error) {
  const std::string& message = error.message;
  if (message.find("PHONE_CODE_INVALID") != std::string::npos) return LoginProblem::wrong_code;
  if (message.find("PHONE_CODE_EXPIRED") != std::string::npos) return LoginProblem::expired_code;
  if (message.find("PASSWORD_HASH_INVALID") != std::string::npos) return LoginProblem::wrong_password;
  if (error.retry_after.count() > 0 || message.find("FLOOD_WAIT") != std::string::npos) return LoginProblem::flood_wait;
  if (message.find("PHONE_NUMBER_INVALID") != std::string::npos ||
      message.find("PHONE_NUMBER_BANNED") != std::string::npos) {
    return LoginProblem::bad_phone;
  }
  return LoginProblem::other;
}

std::string describe(LoginProblem problem, const Error& error) {
  switch (problem) {
    case LoginProblem::none: return {};
    case LoginProblem::wrong_code: return "The login code was wrong; send the code again.";
    case LoginProblem::expired_code: return "The login code expired; Telegram sent a new one.";
    case LoginProblem::wrong_password: return "The two-step verification password was wrong; send it again.";
    case LoginProblem::flood_wait:
      return "Telegram refuses more login attempts for now; try again in " +
             std::to_string(error.retry_after.count()) + " s.";
    case LoginProblem::bad_phone:
      return "Telegram refused the phone number (MTPROTO_PHONE_NUMBER): " + error.message;
    case LoginProblem::other: return "Login step failed: " + error.message;
  }
  return {};
}

std::string account_suspension(std::string_view message) {
  if (message.find("USER_DEACTIVATED_BAN") != std::string_view::npos) return "the account is banned by Telegram";
  if (message.find("USER_DEACTIVATED") != std::string_view::npos) return "the account is deactivated";
  return {};
}

json request(std::string_view type) {
  json out = json::object();
  out["@type"] = type;
  return out;
}

// setTdlibParameters use_test_dc:Bool database_directory:string files_directory:string
//   database_encryption_key:bytes use_file_database:Bool use_chat_info_database:Bool
//   use_message_database:Bool use_secret_chats:Bool api_id:int32 api_hash:string
//   system_language_code:string device_model:string system_version:string application_version:string = Ok;
json set_tdlib_parameters_request(const TdlibParameters& parameters) {
  json out = request("setTdlibParameters");
  out["use_test_dc"] = false;
  out["database_directory"] = parameters.database_directory;
  out["files_directory"] = parameters.files_directory;
  // bytes are base64 in td_json; our key is text, so it goes as its base64.
  out["database_encryption_key"] = "";
  if (!parameters.database_encryption_key.empty()) {
    out["database_encryption_key"] = storage::to_base64(parameters.database_encryption_key);
  }
  // The file database lets TDLib resume a partial download after a restart; the chat
  // and message databases keep the bot chat and history lookups cheap.
  out["use_file_database"] = true;
  out["use_chat_info_database"] = true;
  out["use_message_database"] = true;
  out["use_secret_chats"] = false;
  out["api_id"] = parameters.api_id;
  out["api_hash"] = parameters.api_hash;
  out["system_language_code"] = "en";
  out["device_model"] = "teltubby worker";
  out["system_version"] = "Linux";
  out["application_version"] = parameters.application_version;
  return out;
}

// setAuthenticationPhoneNumber phone_number:string settings:phoneNumberAuthenticationSettings = Ok;
json phone_number_request(std::string_view phone) {
  json out = request("setAuthenticationPhoneNumber");
  out["phone_number"] = phone;
  out["settings"] = nullptr;
  return out;
}
// checkAuthenticationCode code:string = Ok;
json code_request(std::string_view code) {
  json out = request("checkAuthenticationCode");
  out["code"] = code;
  return out;
}
// checkAuthenticationPassword password:string = Ok;
json password_request(std::string_view password) {
  json out = request("checkAuthenticationPassword");
  out["password"] = password;
  return out;
}
// requestQrCodeAuthentication other_user_ids:vector<int53> = Ok;
json qr_request() {
  json out = request("requestQrCodeAuthentication");
  out["other_user_ids"] = json::array();
  return out;
}
// searchPublicChat username:string = Chat;
json search_public_chat_request(std::string_view username) {
  json out = request("searchPublicChat");
  out["username"] = username;
  return out;
}
// getChatHistory chat_id:int53 from_message_id:int53 offset:int32 limit:int32 only_local:Bool = Messages;
json history_request(std::int64_t chat_id, std::int64_t from_message_id, int limit) {
  json out = request("getChatHistory");
  out["chat_id"] = chat_id;
  out["from_message_id"] = from_message_id;
  out["offset"] = 0;
  out["limit"] = limit;
  out["only_local"] = false;
  return out;
}
// getMessage chat_id:int53 message_id:int53 = Message;
json get_message_request(std::int64_t chat_id, std::int64_t message_id) {
  json out = request("getMessage");
  out["chat_id"] = chat_id;
  out["message_id"] = message_id;
  return out;
}
// sendBotStartMessage bot_user_id:int53 chat_id:int53 parameter:string = Message;
// (a bot's private chat has the bot's user id as chat id)
json bot_start_request(std::int64_t bot_user_id) {
  json out = request("sendBotStartMessage");
  out["bot_user_id"] = bot_user_id;
  out["chat_id"] = bot_user_id;
  out["parameter"] = "";
  return out;
}
// downloadFile file_id:int32 priority:int32 offset:int53 limit:int53 synchronous:Bool = File;
// limit 0 = to the end.
json download_request(std::int32_t file_id, int priority, bool synchronous) {
  json out = request("downloadFile");
  out["file_id"] = file_id;
  out["priority"] = priority;
  out["offset"] = 0;
  out["limit"] = 0;
  out["synchronous"] = synchronous;
  return out;
}
json file_request(std::string_view type, std::int32_t file_id) {
  json out = request(type);
  out["file_id"] = file_id;
  if (type == "cancelDownloadFile") out["only_if_pending"] = false;  // cancelDownloadFile file_id only_if_pending
  return out;
}

}  // namespace teltubby::mtproto
