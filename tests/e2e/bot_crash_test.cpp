// Acceptance, issue 5: kill -9 of the bot after it received a message but before it
// archived it. The polling offset only moves once an update is handled, so after the
// restart Telegram delivers the message again and it is archived exactly once: one
// object, one message.json, one row each, one receipt.
#include <gtest/gtest.h>

#include <algorithm>

#include "e2e/archive_checks.hpp"
#include "e2e/bot_fixture.hpp"
#include "support/wait.hpp"

namespace teltubby::e2e {
namespace {

const std::string kCurator = "alice-curator";

using BotCrash = BotFixture;

TEST_F(BotCrash, KilledMidDownloadArchivesTheMessageOnceAfterRestart) {
  start_bot();
  // The download hangs: the bot has the update and has started on it.
  world().add_fault(Json{{"method", "file"}, {"kind", "hang"}, {"hang_seconds", 120}, {"count", 1}});
  const Json sent =
      send_as_curator(Json{{"kind", "document"},
                           {"date", kMessageDate},
                           {"file", {{"size", 25000}, {"seed", 121}, {"file_name", "crash.pdf"}}}});
  // The fault is used up when the fake receives the download request.
  ASSERT_TRUE(test::wait_until([&] { return world().pending_faults().empty(); }, 60s, 20ms))
      << "the bot never started downloading the file";
  // While work is in progress the curator sees "typing" (the hung download keeps it in
  // progress): an outbox event to wait for.
  const auto typing = [](const std::vector<Json>& events) {
    return std::ranges::any_of(events, [](const Json& event) {
      return event.value("type", "") == "chat_action" && event.value("action", "") == "typing";
    });
  };
  EXPECT_TRUE(test::wait_until([&] { return typing(outbox_now(curator_id_)); }, 10s, 50ms))
      << "no typing action while archiving";
  kill_bot();
  EXPECT_TRUE(object_keys().empty()) << "nothing could have been archived yet";
  world().clear_faults();

  start_bot();
  const BotReply reply = next_reply();
  const std::int64_t id = bot_message_id(sent);
  const std::string base = folder(kCurator, id);
  const std::string key = base + file_name(kCurator, kCurator, id, 1, "pdf");
  EXPECT_EQ(object_keys(), (std::vector<std::string>{key, base + "message.json"}));
  const Json json = message_json(base);
  EXPECT_TRUE(json.value("duplicate_of", Json("x")).is_null()) << "archived twice: " << json.dump();
  EXPECT_EQ(count_rows("messages"), 1);
  EXPECT_EQ(count_rows("files"), 1);
  bot::IngestOutcome outcome;
  outcome.base_path = base;
  outcome.items = {item_outcome(1, bot::MediaType::document, bot::ItemStatus::stored, 25000, key)};
  EXPECT_TRUE(reply_is(reply, expected_receipt(outcome)));
  // Exactly one receipt: the next reply answers the next message.
  EXPECT_TRUE(
      reply_is(send_and_reply(Json{{"kind", "text"}, {"text", "next"}}), bot::render_nothing_to_archive()));
}

}  // namespace
}  // namespace teltubby::e2e
