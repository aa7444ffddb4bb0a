#pragma once
// Comparing the bot's replies with the exact texts of src/bot/receipt.hpp.
//
// The bot sends HTML; what arrives in the chat (and in the fake's outbox) is plain text
// plus entities, as Telegram parses it. The expected reply is rendered by the same pure
// functions the bot uses and parsed by the fake's (Telegram-faithful) markup parser, so
// both sides are compared in the chat's form. The receipt's last line, the processing
// time, is the one part that is not reproducible: it must have the documented shape
// ("350 ms", "1.2 s", "2 min 5 s") and is compared as "Time: 0 ms".
#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

#include "bot/receipt.hpp"

namespace teltubby::e2e {

using Json = nlohmann::json;

// One message the bot sent, as it reads in the chat now (later edits applied).
struct BotReply {
  std::int64_t message_id = 0;
  std::string text;
  Json entities = Json::array();
};

// The expected reply for `html` (as a bot render_* function returned it).
BotReply chat_form(const std::string& html);

// Exact comparison of text and entities, with the time line normalised (see above).
::testing::AssertionResult reply_is(const BotReply& actual, const std::string& expected_html);

// The receipt for `outcome` with processing time 0 (see above).
std::string expected_receipt(bot::IngestOutcome outcome);

// Item outcomes as the ingestor reports them.
bot::ItemOutcome item_outcome(int ordinal, bot::MediaType type, bot::ItemStatus status, std::int64_t bytes,
                              std::string key);
bot::ItemOutcome failed_item(int ordinal, bot::MediaType type, std::int64_t bytes, std::string error);

}  // namespace teltubby::e2e
