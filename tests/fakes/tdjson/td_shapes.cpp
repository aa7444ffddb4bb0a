#include "fakes/tdjson/td_shapes.hpp"

namespace teltubby::fake_tdjson {

using nlohmann::json;

namespace {

std::string str(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string{};
}
std::int64_t num(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}
bool flag(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_boolean() && it->get<bool>();
}

// formattedText text:string entities:vector<textEntity> = FormattedText;
// Entities are passed through when the server gives td_api-shaped ones, else dropped.
json formatted_text(const std::string& text, const json& entities) {
  json list = json::array();
  if (entities.is_array()) {
    for (const auto& entity : entities) {
      if (entity.is_object() && entity.contains("@type")) list.push_back(entity);
    }
  }
  return {{"@type", "formattedText"}, {"text", text}, {"entities", list}};
}

json first_file(const json& message) {
  auto it = message.find("files");
  if (it == message.end() || !it->is_array() || it->empty()) return json::object();
  return it->back();  // the largest photo size is last; other kinds have one file
}

std::int32_t int32_of(const json& object, const char* key) { return static_cast<std::int32_t>(num(object, key)); }

// MessageOrigin (td_api.tl):
//   messageOriginUser sender_user_id:int53 = MessageOrigin;
//   messageOriginHiddenUser sender_name:string = MessageOrigin;
//   messageOriginChat sender_chat_id:int53 author_signature:string = MessageOrigin;
//   messageOriginChannel chat_id:int53 message_id:int53 author_signature:string = MessageOrigin;
// messageForwardInfo origin:MessageOrigin date:int32 source:forwardSource public_service_announcement_type:string
json forward_info(const json& origin, std::int64_t date) {
  if (!origin.is_object()) return nullptr;
  const std::string type = str(origin, "type");
  json td_origin;
  if (type == "user") {
    td_origin = {{"@type", "messageOriginUser"}, {"sender_user_id", num(origin, "sender_user_id")}};
  } else if (type == "hidden_user") {
    td_origin = {{"@type", "messageOriginHiddenUser"}, {"sender_name", str(origin, "sender_user_name")}};
  } else if (type == "chat") {
    td_origin = {{"@type", "messageOriginChat"},
                 {"sender_chat_id", num(origin, "sender_chat_id")},
                 {"author_signature", str(origin, "author_signature")}};
  } else if (type == "channel") {
    td_origin = {{"@type", "messageOriginChannel"},
                 {"chat_id", num(origin, "chat_id")},
                 {"message_id", td_message_id(num(origin, "message_id"))},
                 {"author_signature", str(origin, "author_signature")}};
  } else {
    return nullptr;
  }
  const std::int64_t origin_date = num(origin, "date") != 0 ? num(origin, "date") : date;
  return {{"@type", "messageForwardInfo"},
          {"origin", td_origin},
          {"date", origin_date},
          {"source", nullptr},
          {"public_service_announcement_type", ""}};
}

json content_for(const json& message, const FileMapper& file) {
  const std::string kind = str(message, "kind");
  const json caption = formatted_text(str(message, "caption"), message.value("caption_entities", json::array()));
  const json world_file = first_file(message);
  if (kind == "text") {
    // messageText text:formattedText link_preview:linkPreview link_preview_options:linkPreviewOptions
    return {{"@type", "messageText"},
            {"text", formatted_text(str(message, "text"), message.value("entities", json::array()))},
            {"link_preview", nullptr},
            {"link_preview_options", nullptr}};
  }
  if (kind == "photo") {
    // photo has_stickers:Bool minithumbnail:minithumbnail sizes:vector<photoSize> = Photo;
    // photoSize type:string photo:file width:int32 height:int32 progressive_sizes:vector<int32>
    json sizes = json::array();
    static const char* kSizeTypes[] = {"s", "m", "x", "y", "w"};
    std::size_t index = 0;
    for (const auto& size : message.value("files", json::array())) {
      sizes.push_back({{"@type", "photoSize"},
                       {"type", kSizeTypes[std::min<std::size_t>(index++, 4)]},
                       {"photo", file(size)},
                       {"width", int32_of(size, "width")},
                       {"height", int32_of(size, "height")},
                       {"progressive_sizes", json::array()}});
    }
    // messagePhoto photo:photo caption:formattedText show_caption_above_media:Bool has_spoiler:Bool is_secret:Bool
    return {{"@type", "messagePhoto"},
            {"photo", {{"@type", "photo"}, {"has_stickers", false}, {"minithumbnail", nullptr}, {"sizes", sizes}}},
            {"caption", caption},
            {"show_caption_above_media", false},
            {"has_spoiler", false},
            {"is_secret", false}};
  }
  if (kind == "video") {
    // video duration:int32 width:int32 height:int32 file_name:string mime_type:string has_stickers:Bool
    //   supports_streaming:Bool minithumbnail:minithumbnail thumbnail:thumbnail video:file = Video;
    json video = {{"@type", "video"},
                  {"duration", int32_of(world_file, "duration")},
                  {"width", int32_of(world_file, "width")},
                  {"height", int32_of(world_file, "height")},
                  {"file_name", str(world_file, "file_name")},
                  {"mime_type", str(world_file, "mime_type")},
                  {"has_stickers", false},
                  {"supports_streaming", true},
                  {"minithumbnail", nullptr},
                  {"thumbnail", nullptr},
                  {"video", file(world_file)}};
    // messageVideo video:video alternative_videos:vector<alternativeVideo> storyboards:vector<videoStoryboard>
    //   cover:photo start_timestamp:int32 caption:formattedText show_caption_above_media:Bool has_spoiler:Bool is_secret:Bool
    return {{"@type", "messageVideo"}, {"video", video}, {"alternative_videos", json::array()},
            {"storyboards", json::array()}, {"cover", nullptr}, {"start_timestamp", 0}, {"caption", caption},
            {"show_caption_above_media", false}, {"has_spoiler", false}, {"is_secret", false}};
  }
  if (kind == "document") {
    // document file_name:string mime_type:string minithumbnail:minithumbnail thumbnail:thumbnail document:file
    // messageDocument document:document caption:formattedText = MessageContent;
    return {{"@type", "messageDocument"},
            {"document",
             {{"@type", "document"}, {"file_name", str(world_file, "file_name")},
              {"mime_type", str(world_file, "mime_type")}, {"minithumbnail", nullptr}, {"thumbnail", nullptr},
              {"document", file(world_file)}}},
            {"caption", caption}};
  }
  if (kind == "audio") {
    // audio duration:int32 title:string performer:string file_name:string mime_type:string
    //   album_cover_minithumbnail:minithumbnail album_cover_thumbnail:thumbnail external_album_covers:vector<thumbnail> audio:file
    // messageAudio audio:audio caption:formattedText = MessageContent;
    return {{"@type", "messageAudio"},
            {"audio",
             {{"@type", "audio"}, {"duration", int32_of(world_file, "duration")},
              {"title", str(message.value("extra", json::object()), "title")},
              {"performer", str(message.value("extra", json::object()), "performer")},
              {"file_name", str(world_file, "file_name")}, {"mime_type", str(world_file, "mime_type")},
              {"album_cover_minithumbnail", nullptr}, {"album_cover_thumbnail", nullptr},
              {"external_album_covers", json::array()}, {"audio", file(world_file)}}},
            {"caption", caption}};
  }
  if (kind == "voice") {
    // voiceNote duration:int32 waveform:bytes mime_type:string speech_recognition_result:SpeechRecognitionResult voice:file
    // messageVoiceNote voice_note:voiceNote caption:formattedText is_listened:Bool = MessageContent;
    return {{"@type", "messageVoiceNote"},
            {"voice_note",
             {{"@type", "voiceNote"}, {"duration", int32_of(world_file, "duration")}, {"waveform", ""},
              {"mime_type", str(world_file, "mime_type")}, {"speech_recognition_result", nullptr},
              {"voice", file(world_file)}}},
            {"caption", caption},
            {"is_listened", false}};
  }
  if (kind == "video_note") {
    // videoNote duration:int32 waveform:bytes length:int32 minithumbnail:minithumbnail thumbnail:thumbnail
    //   speech_recognition_result:SpeechRecognitionResult video:file = VideoNote;
    // messageVideoNote video_note:videoNote is_viewed:Bool is_secret:Bool = MessageContent;
    return {{"@type", "messageVideoNote"},
            {"video_note",
             {{"@type", "videoNote"}, {"duration", int32_of(world_file, "duration")}, {"waveform", ""},
              {"length", int32_of(world_file, "width")}, {"minithumbnail", nullptr}, {"thumbnail", nullptr},
              {"speech_recognition_result", nullptr}, {"video", file(world_file)}}},
            {"is_viewed", false},
            {"is_secret", false}};
  }
  if (kind == "animation") {
    // animation duration:int32 width:int32 height:int32 file_name:string mime_type:string has_stickers:Bool
    //   minithumbnail:minithumbnail thumbnail:thumbnail animation:file = Animation;
    // messageAnimation animation:animation caption:formattedText show_caption_above_media:Bool has_spoiler:Bool is_secret:Bool
    return {{"@type", "messageAnimation"},
            {"animation",
             {{"@type", "animation"}, {"duration", int32_of(world_file, "duration")},
              {"width", int32_of(world_file, "width")}, {"height", int32_of(world_file, "height")},
              {"file_name", str(world_file, "file_name")}, {"mime_type", str(world_file, "mime_type")},
              {"has_stickers", false}, {"minithumbnail", nullptr}, {"thumbnail", nullptr},
              {"animation", file(world_file)}}},
            {"caption", caption},
            {"show_caption_above_media", false},
            {"has_spoiler", false},
            {"is_secret", false}};
  }
  if (kind.starts_with("sticker_")) {
    // stickerFormatWebp / stickerFormatTgs / stickerFormatWebm = StickerFormat;
    const char* format = kind == "sticker_animated" ? "stickerFormatTgs"
                         : kind == "sticker_video"  ? "stickerFormatWebm"
                                                    : "stickerFormatWebp";
    // sticker id:int64 set_id:int64 width:int32 height:int32 emoji:string format:StickerFormat
    //   full_type:StickerFullType thumbnail:thumbnail sticker:file = Sticker;
    // messageSticker sticker:sticker is_premium:Bool = MessageContent;
    return {{"@type", "messageSticker"},
            {"sticker",
             {{"@type", "sticker"}, {"id", "0"}, {"set_id", "0"}, {"width", int32_of(world_file, "width")},
              {"height", int32_of(world_file, "height")}, {"emoji", ""}, {"format", {{"@type", format}}},
              {"full_type", {{"@type", "stickerFullTypeRegular"}, {"premium_animation", nullptr}}},
              {"thumbnail", nullptr}, {"sticker", file(world_file)}}},
            {"is_premium", false}};
  }
  if (kind == "location") {
    // location latitude:double longitude:double horizontal_accuracy:double = Location;
    // messageLocation location:location live_period:int32 expires_in:int32 heading:int32 proximity_alert_radius:int32
    // The server puts kind-specific data in "extra" (docs/fake-world-protocol.md).
    json where = message.value("extra", message.value("location", json::object()));
    if (!where.is_object()) where = json::object();
    return {{"@type", "messageLocation"},
            {"location",
             {{"@type", "location"}, {"latitude", where.value("latitude", 0.0)},
              {"longitude", where.value("longitude", 0.0)}, {"horizontal_accuracy", 0.0}}},
            {"live_period", 0},
            {"expires_in", 0},
            {"heading", 0},
            {"proximity_alert_radius", 0}};
  }
  if (kind == "contact") {
    // contact phone_number:string first_name:string last_name:string vcard:string user_id:int53 = Contact;
    json who = message.value("extra", message.value("contact", json::object()));
    if (!who.is_object()) who = json::object();
    return {{"@type", "messageContact"},
            {"contact",
             {{"@type", "contact"}, {"phone_number", str(who, "phone_number")}, {"first_name", str(who, "first_name")},
              {"last_name", str(who, "last_name")}, {"vcard", ""}, {"user_id", num(who, "user_id")}}}};
  }
  // Polls and anything newer: TDLib's own fallback for content it cannot show.
  // messageUnsupported = MessageContent;
  return {{"@type", "messageUnsupported"}};
}

}  // namespace

json td_error(int code, const std::string& message) { return {{"@type", "error"}, {"code", code}, {"message", message}}; }

json td_ok() { return {{"@type", "ok"}}; }

json td_file(std::int32_t file_id, const json& world_file, const LocalFileState& local) {
  const std::int64_t size = num(world_file, "size");
  // localFile path:string can_be_downloaded:Bool can_be_deleted:Bool is_downloading_active:Bool
  //   is_downloading_completed:Bool download_offset:int53 downloaded_prefix_size:int53 downloaded_size:int53
  // remoteFile id:string unique_id:string is_uploading_active:Bool is_uploading_completed:Bool uploaded_size:int53
  // file id:int32 size:int53 expected_size:int53 local:localFile remote:remoteFile = File;
  return {{"@type", "file"},
          {"id", file_id},
          {"size", size},
          {"expected_size", size},
          {"local",
           {{"@type", "localFile"},
            {"path", local.is_downloading_completed ? local.path : (local.downloaded_size > 0 ? local.path : "")},
            {"can_be_downloaded", true},
            {"can_be_deleted", local.downloaded_size > 0},
            {"is_downloading_active", local.is_downloading_active},
            {"is_downloading_completed", local.is_downloading_completed},
            {"download_offset", 0},
            {"downloaded_prefix_size", local.downloaded_size},
            {"downloaded_size", local.downloaded_size}}},
          {"remote",
           {{"@type", "remoteFile"},
            {"id", str(world_file, "remote_id")},
            {"unique_id", str(world_file, "unique_id")},
            {"is_uploading_active", false},
            {"is_uploading_completed", true},
            {"uploaded_size", size}}}};
}

json td_user(const json& user) {
  const std::string username = str(user, "username");
  json active = json::array();
  if (!username.empty()) active.push_back(username);
  // usernames active_usernames:vector<string> disabled_usernames:vector<string> editable_username:string
  //   collectible_usernames:vector<string> = Usernames;
  json usernames = {{"@type", "usernames"}, {"active_usernames", active}, {"disabled_usernames", json::array()},
                    {"editable_username", username}, {"collectible_usernames", json::array()}};
  // userTypeRegular = UserType; userTypeBot can_be_edited:Bool can_join_groups:Bool ... = UserType;
  json type = flag(user, "is_bot")
                  ? json{{"@type", "userTypeBot"}, {"can_be_edited", false}, {"can_join_groups", true},
                         {"can_read_all_group_messages", false}, {"has_main_web_app", false}, {"has_topics", false},
                         {"allows_users_to_create_topics", false}, {"can_manage_bots", false}, {"is_inline", false},
                         {"inline_query_placeholder", ""}, {"need_location", false},
                         {"can_connect_to_business", false}, {"can_be_added_to_attachment_menu", false},
                         {"active_user_count", 0}}
                  : json{{"@type", "userTypeRegular"}};
  // user id:int53 first_name:string last_name:string usernames:usernames phone_number:string
  //   status:UserStatus profile_photo:profilePhoto ... is_premium:Bool ... have_access:Bool type:UserType
  //   language_code:string ... = User;   (subset: see docs/tdlib.md)
  return {{"@type", "user"},
          {"id", num(user, "id")},
          {"first_name", str(user, "first_name")},
          {"last_name", str(user, "last_name")},
          {"usernames", usernames},
          {"phone_number", str(user, "phone")},
          {"status", {{"@type", "userStatusEmpty"}}},
          {"profile_photo", nullptr},
          {"is_contact", false},
          {"is_mutual_contact", false},
          {"is_close_friend", false},
          {"is_premium", flag(user, "is_premium")},
          {"is_support", false},
          {"restriction_info", nullptr},
          {"have_access", true},
          {"type", type},
          {"language_code", ""},
          {"added_to_attachment_menu", false}};
}

json td_chat(const json& chat) {
  const std::int64_t id = num(chat, "id");
  const std::string type = str(chat, "type");
  // chatTypePrivate user_id:int53; chatTypeBasicGroup basic_group_id:int53;
  // chatTypeSupergroup supergroup_id:int53 is_channel:Bool = ChatType;
  constexpr std::int64_t kChannelIdBase = 1000000000000;  // -100xxxxxxxxxx ids, as the Bot API
  json td_type;
  if (type == "private") {
    td_type = {{"@type", "chatTypePrivate"}, {"user_id", id}};
  } else if (type == "group") {
    td_type = {{"@type", "chatTypeBasicGroup"}, {"basic_group_id", -id}};
  } else {
    const std::int64_t supergroup_id = id < -kChannelIdBase ? -id - kChannelIdBase : -id;
    td_type = {{"@type", "chatTypeSupergroup"}, {"supergroup_id", supergroup_id}, {"is_channel", type == "channel"}};
  }
  std::string title = str(chat, "title");
  // chat id:int53 type:ChatType title:string photo:chatPhotoInfo ... has_protected_content:Bool ...
  //   last_message:message ... = Chat;   (subset: see docs/tdlib.md)
  return {{"@type", "chat"},
          {"id", id},
          {"type", td_type},
          {"title", title},
          {"photo", nullptr},
          {"has_protected_content", flag(chat, "has_protected_content")},
          {"is_marked_as_unread", false},
          {"unread_count", 0},
          {"last_message", nullptr},
          {"positions", json::array()}};
}

json td_message(const json& message, std::int64_t my_user_id, const FileMapper& file) {
  const std::int64_t sender_user = num(message, "sender_user_id");
  const std::int64_t sender_chat = num(message, "sender_chat_id");
  // messageSenderUser user_id:int53 = MessageSender; messageSenderChat chat_id:int53 = MessageSender;
  json sender = sender_chat != 0 ? json{{"@type", "messageSenderChat"}, {"chat_id", sender_chat}}
                                 : json{{"@type", "messageSenderUser"}, {"user_id", sender_user}};
  const std::int64_t date = num(message, "date");
  const std::int64_t album = num(message, "media_group_id") != 0
                                 ? num(message, "media_group_id")
                                 : static_cast<std::int64_t>(std::hash<std::string>{}(str(message, "media_group_id")) >> 1);
  const bool has_album = message.contains("media_group_id") && !message["media_group_id"].is_null() &&
                         !(message["media_group_id"].is_string() && str(message, "media_group_id").empty());
  const bool is_protected = flag(message, "has_protected_content");
  // message id:int53 sender_id:MessageSender chat_id:int53 sending_state:MessageSendingState
  //   scheduling_state:MessageSchedulingState is_outgoing:Bool is_pinned:Bool ... can_be_saved:Bool ...
  //   is_channel_post:Bool ... date:int32 edit_date:int32 forward_info:messageForwardInfo ...
  //   media_album_id:int64 ... content:MessageContent reply_markup:ReplyMarkup = Message;
  //   (subset: see docs/tdlib.md)
  return {{"@type", "message"},
          {"id", td_message_id(num(message, "id"))},
          {"sender_id", sender},
          {"chat_id", num(message, "chat_id")},
          {"sending_state", nullptr},
          {"scheduling_state", nullptr},
          {"is_outgoing", sender_user != 0 && sender_user == my_user_id},
          {"is_pinned", false},
          {"is_from_offline", false},
          {"can_be_saved", !is_protected},
          {"has_timestamped_media", false},
          {"is_channel_post", sender_chat != 0 && sender_chat == num(message, "chat_id")},
          {"contains_unread_mention", false},
          {"date", date},
          {"edit_date", num(message, "edit_date")},
          {"forward_info", forward_info(message.value("forward_origin", json()), date)},
          {"reply_to", nullptr},
          {"self_destruct_type", nullptr},
          {"self_destruct_in", 0.0},
          {"auto_delete_in", 0.0},
          {"via_bot_user_id", 0},
          {"author_signature", ""},
          {"media_album_id", has_album ? std::to_string(album) : "0"},
          {"restriction_info", nullptr},
          {"content", content_for(message, file)},
          {"reply_markup", nullptr}};
}

bool kind_matches_filter(const std::string& kind, const std::string& filter) {
  if (filter.empty() || filter == "searchMessagesFilterEmpty") return true;
  if (filter == "searchMessagesFilterAnimation") return kind == "animation";
  if (filter == "searchMessagesFilterAudio") return kind == "audio";
  if (filter == "searchMessagesFilterDocument") return kind == "document";
  if (filter == "searchMessagesFilterPhoto") return kind == "photo";
  if (filter == "searchMessagesFilterVideo") return kind == "video";
  if (filter == "searchMessagesFilterVoiceNote") return kind == "voice";
  if (filter == "searchMessagesFilterPhotoAndVideo") return kind == "photo" || kind == "video";
  if (filter == "searchMessagesFilterVideoNote") return kind == "video_note";
  if (filter == "searchMessagesFilterVoiceAndVideoNote") return kind == "voice" || kind == "video_note";
  return false;
}

std::string files_subdirectory(const std::string& kind) {
  if (kind == "photo") return "photos";
  if (kind == "video") return "videos";
  if (kind == "audio") return "music";
  if (kind == "voice") return "voice";
  if (kind == "video_note") return "video_notes";
  if (kind == "animation") return "animations";
  if (kind.starts_with("sticker_")) return "stickers";
  return "documents";
}

}  // namespace teltubby::fake_tdjson
