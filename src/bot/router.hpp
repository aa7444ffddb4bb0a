#pragma once
// Update routing: one decision per update. Pure. Strangers, groups and channels are
// ignored without a reply (DESIGN.md section 3); the reason feeds the debug log and
// the ignored-updates counter (a small fixed set, safe as a metric label).
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "bot/commands.hpp"
#include "bot/media.hpp"
#include "telegram/botapi/types.hpp"

namespace teltubby::bot {

enum class IgnoreReason {
  unsupported_update,   // not a new message: callback_query, channel_post, my_chat_member, ...
  edited_message,       // edits are not re-archived
  not_private,          // group, supergroup or channel
  no_sender,            // a message without `from` (sent on behalf of a chat)
  not_whitelisted,      // a stranger
  other_bot_command,    // "/cmd@otherbot": meant for another bot
};
std::string_view to_string(IgnoreReason reason);  // "unsupported_update", ...

struct RouterConfig {
  std::set<std::int64_t> whitelist;  // TELEGRAM_WHITELIST_IDS
  std::string bot_username;          // without '@'; empty = accept any "/cmd@name"
};

struct IgnoreDecision {
  IgnoreReason reason = IgnoreReason::unsupported_update;
  std::string update_kind;  // "message", "callback_query", ... for the debug log
};

struct CommandDecision {
  botapi::Message message;
  ParsedCommand command;  // name lower-case, may be unknown (the handler answers "unknown command")
};

// A single message with at least one file.
struct MediaDecision {
  botapi::Message message;
  std::vector<MediaItem> items;
};

// A message that belongs to an album (media_group_id): goes to the AlbumAggregator.
struct AlbumItemDecision {
  botapi::Message message;
  std::string media_group_id;
};

// Text, location, contact, poll, venue, dice, ...: the one-line "nothing to archive".
struct NothingToArchiveDecision {
  botapi::Message message;
};

using RouteDecision =
    std::variant<IgnoreDecision, CommandDecision, MediaDecision, AlbumItemDecision, NothingToArchiveDecision>;

// Order of checks: update kind, private chat, sender, whitelist, then content.
// A command is a text message starting with '/' that is not itself forwarded (a
// forwarded "/help" is content). A message with media_group_id is an album item even
// when it carries no file of ours (the album then reports it).
RouteDecision route_update(const botapi::Update& update, const RouterConfig& config);

}  // namespace teltubby::bot
