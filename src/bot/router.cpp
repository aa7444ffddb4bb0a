#include "bot/router.hpp"

#include <cctype>

namespace teltubby::bot {
namespace {

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  }
  return true;
}

}  // namespace

std::string_view to_string(IgnoreReason reason) {
  switch (reason) {
    case IgnoreReason::unsupported_update: return "unsupported_update";
    case IgnoreReason::edited_message: return "edited_message";
    case IgnoreReason::not_private: return "not_private";
    case IgnoreReason::no_sender: return "no_sender";
    case IgnoreReason::not_whitelisted: return "not_whitelisted";
    case IgnoreReason::other_bot_command: return "other_bot_command";
  }
  return "unsupported_update";
}

RouteDecision route_update(const botapi::Update& update, const RouterConfig& config) {
  if (update.kind == "edited_message") return IgnoreDecision{IgnoreReason::edited_message, update.kind};
  if (update.kind != "message" || !update.message) return IgnoreDecision{IgnoreReason::unsupported_update, update.kind};
  const botapi::Message& message = *update.message;
  if (message.chat.type != "private") return IgnoreDecision{IgnoreReason::not_private, update.kind};
  if (!message.from) return IgnoreDecision{IgnoreReason::no_sender, update.kind};
  if (!config.whitelist.contains(message.from->id)) return IgnoreDecision{IgnoreReason::not_whitelisted, update.kind};

  if (message.text && !message.forward_origin) {
    if (auto command = parse_command_text(*message.text)) {
      if (command->addressed_to && !config.bot_username.empty() &&
          !equals_ignoring_case(*command->addressed_to, config.bot_username)) {
        return IgnoreDecision{IgnoreReason::other_bot_command, update.kind};
      }
      return CommandDecision{message, std::move(*command)};
    }
  }
  if (message.media_group_id) return AlbumItemDecision{message, *message.media_group_id};
  auto items = select_media(message);
  if (items.empty()) return NothingToArchiveDecision{message};
  return MediaDecision{message, std::move(items)};
}

}  // namespace teltubby::bot
