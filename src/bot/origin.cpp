#include "bot/origin.hpp"

#include <optional>
#include <utility>

namespace teltubby::bot {
namespace {

using botapi::Chat;
using botapi::MessageOrigin;
using botapi::User;

struct Named {
  std::string text;
  NameSource source;
};

// Blank values count as absent: they would slug to nothing.
std::optional<std::string> usable(const std::optional<std::string>& value) {
  if (!value) return std::nullopt;
  if (value->find_first_not_of(" \t\r\n") == std::string::npos) return std::nullopt;
  return value;
}

std::optional<std::string> full_name(const User& user) {
  std::string name = user.first_name;
  if (auto last = usable(user.last_name)) name += (name.empty() ? "" : " ") + *last;
  return usable(std::optional<std::string>(std::move(name)));
}

std::optional<Named> user_name(const User& user) {
  if (auto username = usable(user.username)) return Named{*username, NameSource::origin_user_username};
  if (auto name = full_name(user)) return Named{*name, NameSource::origin_user_name};
  return std::nullopt;
}

std::optional<Named> chat_name(const Chat& chat) {
  if (auto username = usable(chat.username)) return Named{*username, NameSource::origin_chat_username};
  if (auto title = usable(chat.title)) return Named{*title, NameSource::origin_chat_title};
  return std::nullopt;
}

const Chat* origin_chat(const MessageOrigin& origin) {
  if (origin.type == MessageOrigin::Type::channel && origin.chat) return &*origin.chat;
  if (origin.type == MessageOrigin::Type::chat && origin.sender_chat) return &*origin.sender_chat;
  return nullptr;
}

Named curator(const botapi::Message& message, bool allow_name) {
  if (message.from) {
    if (auto username = usable(message.from->username)) return {*username, NameSource::curator_username};
    if (allow_name) {
      if (auto name = full_name(*message.from)) return {*name, NameSource::curator_name};
    }
    return {std::to_string(message.from->id), NameSource::curator_id};
  }
  return {std::to_string(message.chat.id), NameSource::curator_id};
}

std::optional<Named> origin_chat_slug(const MessageOrigin& origin) {
  if (const Chat* chat = origin_chat(origin)) return chat_name(*chat);
  if (origin.type == MessageOrigin::Type::user && origin.sender_user) return user_name(*origin.sender_user);
  return std::nullopt;
}

std::optional<Named> origin_sender(const MessageOrigin& origin) {
  switch (origin.type) {
    case MessageOrigin::Type::user:
      if (origin.sender_user) return user_name(*origin.sender_user);
      return std::nullopt;
    case MessageOrigin::Type::hidden_user:
      if (auto name = usable(origin.sender_user_name)) return Named{*name, NameSource::origin_hidden_user_name};
      return std::nullopt;
    case MessageOrigin::Type::chat:
    case MessageOrigin::Type::channel:
      if (auto signature = usable(origin.author_signature)) {
        return Named{*signature, NameSource::origin_author_signature};
      }
      if (const Chat* chat = origin_chat(origin)) return chat_name(*chat);
      return std::nullopt;
    case MessageOrigin::Type::unknown: return std::nullopt;
  }
  return std::nullopt;
}

}  // namespace

std::string_view to_string(NameSource source) {
  switch (source) {
    case NameSource::origin_chat_username: return "origin_chat_username";
    case NameSource::origin_chat_title: return "origin_chat_title";
    case NameSource::origin_user_username: return "origin_user_username";
    case NameSource::origin_user_name: return "origin_user_name";
    case NameSource::origin_hidden_user_name: return "origin_hidden_user_name";
    case NameSource::origin_author_signature: return "origin_author_signature";
    case NameSource::curator_username: return "curator_username";
    case NameSource::curator_name: return "curator_name";
    case NameSource::curator_id: return "curator_id";
  }
  return "curator_id";
}

NamingInputs naming_inputs(const botapi::Message& message) {
  NamingInputs inputs;
  std::optional<Named> chat;
  std::optional<Named> sender;
  if (message.forward_origin) {
    chat = origin_chat_slug(*message.forward_origin);
    sender = origin_sender(*message.forward_origin);
  }
  if (!chat) chat = curator(message, /*allow_name=*/false);
  if (!sender) sender = curator(message, /*allow_name=*/true);
  inputs.chat = std::move(chat->text);
  inputs.chat_source = chat->source;
  inputs.sender = std::move(sender->text);
  inputs.sender_source = sender->source;
  return inputs;
}

}  // namespace teltubby::bot
