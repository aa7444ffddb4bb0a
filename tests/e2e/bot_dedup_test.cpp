// Acceptance, issue 5: deduplication. The same media forwarded twice (same
// file_unique_id) and the same content arriving from two different chats (new unique
// id, same bytes) are stored once; the second message.json points at the first object
// with duplicate_of and dedup_reason.
#include <gtest/gtest.h>

#include "e2e/archive_checks.hpp"
#include "e2e/bot_fixture.hpp"

namespace teltubby::e2e {
namespace {

Json channel_origin(std::int64_t chat_id, const std::string& title, const std::string& username,
                    int post_id) {
  return Json{{"type", "channel"},         {"chat_id", chat_id},        {"message_id", post_id},
              {"chat_title", title},       {"chat_username", username}, {"chat_type", "channel"},
              {"date", kMessageDate - 600}};
}

using BotDedup = BotFixture;

TEST_F(BotDedup, SamePostForwardedTwiceIsStoredOnceByUniqueId) {
  start_bot();
  const Json origin = channel_origin(-1002000000501, "Daily News", "daily_news", 77);
  const Json first =
      send_as_curator(Json{{"kind", "document"},
                           {"date", kMessageDate},
                           {"forward_origin", origin},
                           {"file", {{"size", 40000}, {"seed", 61}, {"file_name", "report.pdf"}}}});
  const BotReply first_reply = next_reply();
  const std::string unique_id = sent_file_unique_id(first);
  const Json second = send_as_curator(Json{{"kind", "document"},
                                           {"date", kMessageDate},
                                           {"forward_origin", origin},
                                           {"file", {{"unique_id", unique_id}}}});
  ASSERT_EQ(sent_file_unique_id(second), unique_id);
  const BotReply second_reply = next_reply();

  const std::int64_t first_id = bot_message_id(first);
  const std::int64_t second_id = bot_message_id(second);
  const std::string first_base = folder("daily-news", first_id);
  const std::string second_base = folder("daily-news", second_id);
  const std::string key = first_base + file_name("daily-news", "daily-news", first_id, 1, "pdf");
  EXPECT_EQ(object_keys(),
            (std::vector<std::string>{key, first_base + "message.json", second_base + "message.json"}));

  const Json json = message_json(second_base);
  EXPECT_EQ(json.value("duplicate_of", Json()), Json(key));
  EXPECT_EQ(json.value("dedup_reason", Json()), Json("file_unique_id"));
  EXPECT_EQ(json.value("total_bytes_uploaded", std::int64_t{-1}), 0);
  ASSERT_EQ(json["telegram"].value("items", Json::array()).size(), 1u);
  expect_item(
      *this, json["telegram"]["items"][0],
      ExpectedItem{1, "document", "application/pdf", 40000, "report.pdf", unique_id, key, "duplicate"});
  EXPECT_EQ(count_rows("files"), 1);
  EXPECT_EQ(count_rows("messages"), 2);

  bot::IngestOutcome stored;
  stored.base_path = first_base;
  stored.items = {item_outcome(1, bot::MediaType::document, bot::ItemStatus::stored, 40000, key)};
  EXPECT_TRUE(reply_is(first_reply, expected_receipt(stored)));
  bot::IngestOutcome duplicate;
  duplicate.base_path = second_base;
  duplicate.items = {item_outcome(1, bot::MediaType::document, bot::ItemStatus::duplicate, 40000, key)};
  EXPECT_TRUE(reply_is(second_reply, expected_receipt(duplicate)));
}

TEST_F(BotDedup, SameContentFromTwoChatsIsStoredOnceBySha256) {
  start_bot();
  // Two channels posted the same bytes as two different Telegram files.
  const Json spec{{"size", 45000}, {"seed", 62}, {"file_name", "clip.mp4"}, {"mime_type", "video/mp4"}};
  const Json first =
      send_as_curator(Json{{"kind", "video"},
                           {"date", kMessageDate},
                           {"forward_origin", channel_origin(-1002000000601, "First", "first_channel", 5)},
                           {"file", spec}});
  const BotReply first_reply = next_reply();
  const Json second =
      send_as_curator(Json{{"kind", "video"},
                           {"date", kMessageDate},
                           {"forward_origin", channel_origin(-1002000000602, "Second", "second_channel", 9)},
                           {"file", spec}});
  ASSERT_NE(sent_file_unique_id(first), sent_file_unique_id(second));
  const BotReply second_reply = next_reply();

  const std::int64_t first_id = bot_message_id(first);
  const std::int64_t second_id = bot_message_id(second);
  const std::string first_base = folder("first-channel", first_id);
  const std::string second_base = folder("second-channel", second_id);
  const std::string key = first_base + file_name("first-channel", "first-channel", first_id, 1, "mp4");
  std::vector<std::string> expected{key, first_base + "message.json", second_base + "message.json"};
  std::ranges::sort(expected);
  EXPECT_EQ(object_keys(), expected);

  const Json json = message_json(second_base);
  EXPECT_EQ(json.value("duplicate_of", Json()), Json(key));
  EXPECT_EQ(json.value("dedup_reason", Json()), Json("sha256"));
  ASSERT_EQ(json["telegram"].value("items", Json::array()).size(), 1u);
  expect_item(*this, json["telegram"]["items"][0],
              ExpectedItem{1, "video", "video/mp4", 45000, "clip.mp4", sent_file_unique_id(second), key,
                           "duplicate"});
  // One object, and both unique ids now lead to it.
  EXPECT_EQ(count_rows("files"), 1);
  EXPECT_EQ(count_rows("tg_map"), 2);

  bot::IngestOutcome stored;
  stored.base_path = first_base;
  stored.items = {item_outcome(1, bot::MediaType::video, bot::ItemStatus::stored, 45000, key)};
  EXPECT_TRUE(reply_is(first_reply, expected_receipt(stored)));
  bot::IngestOutcome duplicate;
  duplicate.base_path = second_base;
  duplicate.items = {item_outcome(1, bot::MediaType::video, bot::ItemStatus::duplicate, 45000, key)};
  EXPECT_TRUE(reply_is(second_reply, expected_receipt(duplicate)));
}

}  // namespace
}  // namespace teltubby::e2e
