#pragma once
// Pure translations from what the bot received (Bot API messages, selected media) to
// what the archive code takes (provenance, media types, the message.json telegram
// object). No I/O.
#include <chrono>
#include <vector>

#include "archive/media_type.hpp"
#include "archive/message_json.hpp"
#include "archive/provenance.hpp"
#include "bot/media.hpp"
#include "bot/receipt.hpp"
#include "telegram/botapi/types.hpp"

namespace teltubby::ingest {

// Who the content came from, for naming (archive::choose_chat_slug /
// choose_sender_slug): the forward origin as received (an origin type newer than this
// code counts as hidden), and the curator (message.from; the chat id stands in when
// `from` is absent).
[[nodiscard]] archive::Provenance provenance_of(const botapi::Message& message);

// The message.json `type`: stickers split by format (.tgs animated, .webm video, else
// static .webp), the other types one to one.
[[nodiscard]] archive::MediaType archive_media_type(const bot::MediaItem& item);

[[nodiscard]] archive::ItemStatus archive_status(bot::ItemStatus status);

[[nodiscard]] std::chrono::sys_seconds message_time(const botapi::Message& message);

// The message.json `telegram` object without items, for a unit (one message or an
// album's messages ordered by message_id; not empty): ids, chat, sender and extras of
// the first message; the caption (and its entities) of the first message that has one,
// since Telegram puts an album's caption on any one of its items.
[[nodiscard]] archive::TelegramRecord telegram_record(const std::vector<botapi::Message>& messages);

}  // namespace teltubby::ingest
