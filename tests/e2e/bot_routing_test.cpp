// Acceptance, issue 5: who gets an answer. A stranger (not whitelisted) and any group
// message get no reply at all — not even a chat action — and nothing is stored.
// "Nothing happened" is established by an event: a later message from the curator
// gets its reply, so the earlier ones were seen and passed over.
#include <gtest/gtest.h>

#include "e2e/bot_fixture.hpp"

namespace teltubby::e2e {
namespace {

using BotRouting = BotFixture;

TEST_F(BotRouting, StrangerAndGroupMessagesGetNoReplyAtAll) {
  start_bot();
  // The stranger started the chat with the bot too (so the bot *could* answer).
  send_as(stranger_id_, Json{{"kind", "text"}, {"text", "/start"}});
  send_as(stranger_id_, Json{{"kind", "photo"}, {"date", kMessageDate}});
  send_as(stranger_id_, Json{{"kind", "text"}, {"text", "/status"}});
  const std::int64_t group =
      world().create_chat(Json{{"type", "group"},
                               {"title", "Friends"},
                               {"members", Json::array({curator_id_, stranger_id_, bot_id_})}});
  // Even the curator is ignored outside the private chat.
  send_as_curator(Json{{"chat_id", group}, {"kind", "photo"}, {"date", kMessageDate}});
  send_as_curator(Json{{"chat_id", group}, {"kind", "text"}, {"text", "/help"}});
  send_as(stranger_id_, Json{{"chat_id", group}, {"kind", "document"}});

  // Updates are handled in order: once this one is answered, the ones above were seen.
  EXPECT_TRUE(
      reply_is(send_and_reply(Json{{"kind", "text"}, {"text", "hello"}}), bot::render_nothing_to_archive()));

  EXPECT_TRUE(outbox_now(stranger_id_).empty()) << "the stranger got something from the bot";
  EXPECT_TRUE(outbox_now(group).empty()) << "the group got something from the bot";
  EXPECT_TRUE(object_keys().empty());
  EXPECT_EQ(count_rows("messages"), 0);
  EXPECT_EQ(count_rows("deferred_messages"), 0);
  // The curator's chat holds the /start answer and the one reply, nothing else sent.
  std::size_t sent = 0;
  for (const auto& event : outbox_now(curator_id_)) sent += event.value("type", "") == "sent" ? 1U : 0U;
  EXPECT_EQ(sent, 2u);
}

}  // namespace
}  // namespace teltubby::e2e
