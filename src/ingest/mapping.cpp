#include "ingest/mapping.hpp"

namespace teltubby::ingest {
namespace {

archive::Person person_of(const botapi::User& user) {
  return archive::Person{user.id, user.username.value_or(""), user.first_name, user.last_name.value_or("")};
}

archive::Chat chat_of(const botapi::Chat& chat) {
  return archive::Chat{chat.id, chat.username.value_or(""), chat.title.value_or("")};
}

archive::Origin origin_of(const botapi::MessageOrigin& origin) {
  archive::Origin result;
  result.author_signature = origin.author_signature.value_or("");
  switch (origin.type) {
    case botapi::MessageOrigin::Type::user:
      if (origin.sender_user) {
        result.kind = archive::OriginKind::user;
        result.user = person_of(*origin.sender_user);
        return result;
      }
      break;
    case botapi::MessageOrigin::Type::chat:
      if (origin.sender_chat) {
        result.kind = archive::OriginKind::chat;
        result.chat = chat_of(*origin.sender_chat);
        return result;
      }
      break;
    case botapi::MessageOrigin::Type::channel:
      if (origin.chat) {
        result.kind = archive::OriginKind::channel;
        result.chat = chat_of(*origin.chat);
        return result;
      }
      break;
    case botapi::MessageOrigin::Type::hidden_user:
    case botapi::MessageOrigin::Type::unknown:
      break;
  }
  // Hidden, newer than this code, or missing its required part: what Telegram shows.
  result.kind = archive::OriginKind::hidden_user;
  result.sender_user_name = origin.sender_user_name.value_or("");
  return result;
}

}  // namespace

archive::Provenance provenance_of(const botapi::Message& message) {
  archive::Provenance provenance;
  if (message.forward_origin) provenance.origin = origin_of(*message.forward_origin);
  if (message.from) {
    provenance.curator = person_of(*message.from);
  } else {
    provenance.curator.id = message.chat.id;
  }
  return provenance;
}

archive::MediaType archive_media_type(const bot::MediaItem& item) {
  switch (item.type) {
    case bot::MediaType::photo: return archive::MediaType::photo;
    case bot::MediaType::video: return archive::MediaType::video;
    case bot::MediaType::document: return archive::MediaType::document;
    case bot::MediaType::audio: return archive::MediaType::audio;
    case bot::MediaType::voice: return archive::MediaType::voice;
    case bot::MediaType::video_note: return archive::MediaType::video_note;
    case bot::MediaType::animation: return archive::MediaType::animation;
    case bot::MediaType::sticker:
      if (item.usual_extension == "tgs") return archive::MediaType::sticker_animated;
      if (item.usual_extension == "webm") return archive::MediaType::sticker_video;
      return archive::MediaType::sticker_static;
  }
  return archive::MediaType::other;
}

archive::ItemStatus archive_status(bot::ItemStatus status) {
  switch (status) {
    case bot::ItemStatus::stored: return archive::ItemStatus::stored;
    case bot::ItemStatus::duplicate: return archive::ItemStatus::duplicate;
    case bot::ItemStatus::skipped: return archive::ItemStatus::skipped;
    case bot::ItemStatus::queued: return archive::ItemStatus::queued;
    case bot::ItemStatus::failed: return archive::ItemStatus::failed;
  }
  return archive::ItemStatus::failed;
}

std::chrono::sys_seconds message_time(const botapi::Message& message) {
  return std::chrono::sys_seconds{std::chrono::seconds{message.date}};
}

archive::TelegramRecord telegram_record(const std::vector<botapi::Message>& messages) {
  archive::TelegramRecord record;
  if (messages.empty()) return record;
  const botapi::Message& first = messages.front();
  record.message_id = first.message_id;
  record.media_group_id = first.media_group_id;
  record.chat_id = first.chat.id;
  record.chat_title = first.chat.title;
  record.chat_username = first.chat.username;
  if (first.from) {
    record.sender_id = first.from->id;
    record.sender_username = first.from->username;
  }
  record.forward_origin = first.forward_origin_raw.is_object() ? first.forward_origin_raw : nlohmann::json(nullptr);
  record.entities = first.entities_raw.is_array() ? first.entities_raw : nlohmann::json::array();
  record.extras = first.extras.is_object() ? first.extras : nlohmann::json::object();
  for (const auto& message : messages) {
    if (message.caption && !message.caption->empty()) {
      record.caption_plain = message.caption;
      record.caption_entities =
          message.caption_entities_raw.is_array() ? message.caption_entities_raw : nlohmann::json::array();
      break;
    }
  }
  return record;
}

}  // namespace teltubby::ingest
