// Acceptance, issue 5, first point: every kind of single message a curator sends —
// each media type archived (object, message.json, database rows, exact receipt), and
// messages without a file answered "nothing to archive" with nothing stored.
#include <gtest/gtest.h>

#include <ostream>

#include "e2e/archive_checks.hpp"
#include "e2e/bot_fixture.hpp"

namespace teltubby::e2e {
namespace {

const std::string kCurator = "alice-curator";  // slug of the curator's username

struct MediaCase {
  std::string name;                              // test name suffix
  Json send;                                     // the /control/send body (kind, file ...)
  std::string type;                              // message.json item type (archive/media_type.hpp names)
  bot::MediaType media;                          // for the receipt
  std::optional<std::string> mime_type;          // as Telegram said (message.json)
  std::optional<std::string> original_filename;  // as Telegram said (message.json)
  std::string extension;                         // of the stored object's name
  std::int64_t size = 0;
};

std::vector<MediaCase> media_cases() {
  return {
      {"Video", Json{{"kind", "video"}, {"file", {{"size", 70000}, {"seed", 11}}}}, "video",
       bot::MediaType::video, "video/mp4", "video.mp4", "mp4", 70000},
      {"DocumentKeepsItsOriginalName",
       Json{{"kind", "document"},
            {"file",
             {{"size", 40000},
              {"seed", 12},
              {"file_name", "Quarterly Report (final).PDF"},
              {"mime_type", "application/pdf"}}}},
       "document", bot::MediaType::document, "application/pdf", "Quarterly Report (final).PDF", "pdf", 40000},
      {"Audio", Json{{"kind", "audio"}, {"file", {{"size", 50000}, {"seed", 13}}}, {"performer", "Band"}},
       "audio", bot::MediaType::audio, "audio/mpeg", "song.mp3", "mp3", 50000},
      {"Voice", Json{{"kind", "voice"}, {"file", {{"size", 20000}, {"seed", 14}}}}, "voice",
       bot::MediaType::voice, "audio/ogg", std::nullopt, "ogg", 20000},
      {"VideoNote", Json{{"kind", "video_note"}, {"file", {{"size", 30000}, {"seed", 15}}}}, "video_note",
       bot::MediaType::video_note, std::nullopt, std::nullopt, "mp4", 30000},
      {"AnimationOnceNotAlsoAsDocument",
       Json{{"kind", "animation"}, {"file", {{"size", 25000}, {"seed", 16}}}}, "animation",
       bot::MediaType::animation, "video/mp4", "animation.gif.mp4", "mp4", 25000},
      {"StaticStickerAsWebp",
       Json{{"kind", "sticker_static"}, {"file", {{"size", 9000}, {"seed", 17}}}, {"emoji", "😀"}},
       "sticker_static", bot::MediaType::sticker, std::nullopt, std::nullopt, "webp", 9000},
      {"AnimatedStickerAsTgs",
       Json{{"kind", "sticker_animated"}, {"file", {{"size", 8000}, {"seed", 18}}}, {"emoji", "🔥"}},
       "sticker_animated", bot::MediaType::sticker, std::nullopt, std::nullopt, "tgs", 8000},
      {"VideoStickerAsWebm", Json{{"kind", "sticker_video"}, {"file", {{"size", 12000}, {"seed", 19}}}},
       "sticker_video", bot::MediaType::sticker, std::nullopt, std::nullopt, "webm", 12000},
  };
}

// gtest prints a failing case's parameter: its name, not its bytes.
void PrintTo(const MediaCase& c, std::ostream* out) {
  *out << c.name;
}

class BotArchivesMedia : public BotFixture, public ::testing::WithParamInterface<MediaCase> {};

TEST_P(BotArchivesMedia, StoresTheFileItsJsonAndRowsAndSendsTheReceipt) {
  const MediaCase& c = GetParam();
  start_bot();
  Json body = c.send;
  body["date"] = kMessageDate;
  const Json sent = send_as_curator(body);
  const std::int64_t message_id = bot_message_id(sent);
  const BotReply reply = next_reply();

  const std::string base = folder(kCurator, message_id);
  const std::string key = base + file_name(kCurator, kCurator, message_id, 1, c.extension);
  EXPECT_EQ(object_keys(), (std::vector<std::string>{key, base + "message.json"}));

  const Json json = message_json(base);
  EXPECT_EQ(json.value("schema_version", ""), "1.1");
  EXPECT_EQ(json.value("bucket", ""), bucket_);
  EXPECT_EQ(json.value("base_path", ""), base);
  EXPECT_EQ(json.value("files_count", 0), 1);
  EXPECT_EQ(json.value("total_bytes_uploaded", std::int64_t{0}), c.size);
  EXPECT_EQ(json.value("keys", Json()), Json::array({key}));
  EXPECT_TRUE(json.value("duplicate_of", Json("x")).is_null());
  EXPECT_TRUE(json.value("dedup_reason", Json("x")).is_null());
  EXPECT_EQ(json.value("message_timestamp_utc", ""), "2026-11-28T12:34:56Z");
  const Json telegram = json.value("telegram", Json::object());
  EXPECT_EQ(telegram.value("message_id", Json()), Json(std::to_string(message_id)));
  EXPECT_EQ(telegram.value("chat_id", Json()), Json(std::to_string(curator_id_)));
  EXPECT_EQ(telegram.value("sender_id", Json()), Json(std::to_string(curator_id_)));
  EXPECT_TRUE(telegram.value("forward_origin", Json("x")).is_null());
  ASSERT_EQ(telegram.value("items", Json::array()).size(), 1u);
  expect_item(
      *this, telegram["items"][0],
      ExpectedItem{1, c.type, c.mime_type, c.size, c.original_filename, sent_file_unique_id(sent), key});

  const auto message = store().find_message(curator_id_, message_id);
  ASSERT_TRUE(message.has_value()) << message.error().describe();
  ASSERT_TRUE(message->has_value());
  EXPECT_EQ((*message)->base_path, base);
  EXPECT_EQ((*message)->json_key, base + "message.json");
  EXPECT_EQ(count_rows("files"), 1);

  bot::IngestOutcome outcome;
  outcome.items = {item_outcome(1, c.media, bot::ItemStatus::stored, c.size, key)};
  outcome.base_path = base;
  EXPECT_TRUE(reply_is(reply, expected_receipt(outcome)));
}

INSTANTIATE_TEST_SUITE_P(EachKind, BotArchivesMedia, ::testing::ValuesIn(media_cases()),
                         [](const ::testing::TestParamInfo<MediaCase>& param_info) {
                           return param_info.param.name;
                         });

using BotMedia = BotFixture;

TEST_F(BotMedia, PhotoStoresOnlyTheLargestSize) {
  start_bot();
  // Sizes smallest first, as Telegram sends them; the largest is not the biggest file
  // of the three by accident: it is the one with most pixels.
  const Json sent = send_as_curator(Json{
      {"kind", "photo"},
      {"date", kMessageDate},
      {"photo_sizes", Json::array({Json{{"width", 90}, {"height", 90}, {"size", 1500}, {"seed", 1}},
                                   Json{{"width", 320}, {"height", 320}, {"size", 9000}, {"seed", 2}},
                                   Json{{"width", 1280}, {"height", 960}, {"size", 48000}, {"seed", 3}}})}});
  const std::int64_t message_id = bot_message_id(sent);
  const BotReply reply = next_reply();

  const std::string base = folder(kCurator, message_id);
  const std::string key = base + file_name(kCurator, kCurator, message_id, 1, "jpg");
  EXPECT_EQ(object_keys(), (std::vector<std::string>{key, base + "message.json"}));
  const Json json = message_json(base);
  ASSERT_EQ(json["telegram"].value("items", Json::array()).size(), 1u);
  const Json item = json["telegram"]["items"][0];
  // A PhotoSize carries no MIME type: message.json keeps what Telegram said (null).
  expect_item(*this, item,
              ExpectedItem{1, "photo", std::nullopt, 48000, std::nullopt, sent_file_unique_id(sent), key});
  EXPECT_EQ(item.value("width", 0), 1280);
  EXPECT_EQ(item.value("height", 0), 960);
  EXPECT_EQ(count_rows("files"), 1);
  EXPECT_EQ(count_rows("tg_map"), 1);
  EXPECT_EQ(count_rows("messages"), 1);

  bot::IngestOutcome outcome;
  outcome.items = {item_outcome(1, bot::MediaType::photo, bot::ItemStatus::stored, 48000, key)};
  outcome.base_path = base;
  EXPECT_TRUE(reply_is(reply, expected_receipt(outcome)));
}

TEST_F(BotMedia, LocationOnlyIsNotArchivedAndSaysSo) {
  start_bot();
  const BotReply reply = send_and_reply(Json{{"kind", "location"}, {"date", kMessageDate}});
  EXPECT_TRUE(reply_is(reply, bot::render_nothing_to_archive()));
  EXPECT_TRUE(object_keys().empty());
  EXPECT_EQ(count_rows("messages"), 0);
  EXPECT_EQ(count_rows("files"), 0);
  EXPECT_EQ(count_rows("deferred_messages"), 0);
}

TEST_F(BotMedia, TextOnlyIsNotArchivedAndSaysSo) {
  start_bot();
  const BotReply reply =
      send_and_reply(Json{{"kind", "text"}, {"text", "just some words"}, {"date", kMessageDate}});
  EXPECT_TRUE(reply_is(reply, bot::render_nothing_to_archive()));
  EXPECT_TRUE(object_keys().empty());
  EXPECT_EQ(count_rows("messages"), 0);
  EXPECT_EQ(count_rows("files"), 0);
}

TEST_F(BotMedia, ContactAndPollAreNotArchived) {
  start_bot();
  EXPECT_TRUE(reply_is(send_and_reply(Json{{"kind", "contact"}}), bot::render_nothing_to_archive()));
  EXPECT_TRUE(reply_is(send_and_reply(Json{{"kind", "poll"}}), bot::render_nothing_to_archive()));
  EXPECT_TRUE(object_keys().empty());
  EXPECT_EQ(count_rows("messages"), 0);
}

}  // namespace
}  // namespace teltubby::e2e
