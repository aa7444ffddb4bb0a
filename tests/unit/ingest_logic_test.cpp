// The ingest module's pure parts: retry delays and the translation of Bot API messages
// into archive provenance, media types and the message.json telegram object.
#include <gtest/gtest.h>

#include "archive/naming.hpp"
#include "archive/provenance.hpp"
#include "ingest/backoff.hpp"
#include "ingest/mapping.hpp"
#include "unit/bot_fixtures.hpp"

namespace teltubby::ingest {
namespace {

using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;
using teltubby::testing::parse_message_or_die;
using teltubby::testing::photo_message_json;

botapi::Message forwarded(const json& origin) {
  json message = photo_message_json(5);
  message["forward_origin"] = origin;
  return parse_message_or_die(message);
}

TEST(IngestBackoff, DoublesPerRetryWithinTheJitterBand) {
  EXPECT_EQ(backoff_delay(milliseconds{100}, 1, 0.5, seconds{0}), milliseconds{100});
  EXPECT_EQ(backoff_delay(milliseconds{100}, 2, 0.5, seconds{0}), milliseconds{200});
  EXPECT_EQ(backoff_delay(milliseconds{100}, 3, 0.0, seconds{0}), milliseconds{300});   // 400 - 25 %
  EXPECT_EQ(backoff_delay(milliseconds{100}, 3, 1.0, seconds{0}), milliseconds{500});   // 400 + 25 %
}

TEST(IngestBackoff, WaitsAtLeastWhatTheServerAskedFor) {
  EXPECT_EQ(backoff_delay(milliseconds{100}, 1, 0.5, seconds{7}), milliseconds{7000});
}

TEST(IngestBackoff, HugeRetryCountsDoNotOverflow) {
  EXPECT_GT(backoff_delay(milliseconds{500}, 1000, 0.5, seconds{0}), milliseconds{0});
  EXPECT_EQ(backoff_delay(milliseconds{500}, 0, 0.5, seconds{0}), milliseconds{500});
}

TEST(IngestMapping, PlainCopyIsNamedAfterTheCurator) {
  const auto provenance = provenance_of(parse_message_or_die(photo_message_json(5)));
  EXPECT_EQ(provenance.origin.kind, archive::OriginKind::none);
  EXPECT_EQ(archive::choose_chat_slug(provenance), "curator");
  EXPECT_EQ(provenance.curator.id, teltubby::testing::kCuratorId);
}

TEST(IngestMapping, ChannelForwardIsNamedAfterTheChannel) {
  const auto provenance = provenance_of(forwarded(
      {{"type", "channel"},
       {"date", 1764200000},
       {"chat", {{"id", -100123}, {"type", "channel"}, {"title", "Новости Дня"}, {"username", "news_chan"}}},
       {"message_id", 77},
       {"author_signature", "Иван"}}));
  EXPECT_EQ(provenance.origin.kind, archive::OriginKind::channel);
  EXPECT_EQ(archive::choose_chat_slug(provenance), "news-chan");  // "_" separates name fields
  EXPECT_EQ(archive::choose_sender_slug(provenance), "ivan");
}

TEST(IngestMapping, HiddenUserFallsBackToTheCuratorForTheFolder) {
  const auto provenance =
      provenance_of(forwarded({{"type", "hidden_user"}, {"date", 1764200000}, {"sender_user_name", "Secret Sam"}}));
  EXPECT_EQ(provenance.origin.kind, archive::OriginKind::hidden_user);
  EXPECT_EQ(archive::choose_chat_slug(provenance), "curator");
  EXPECT_EQ(archive::choose_sender_slug(provenance), "secret-sam");
}

TEST(IngestMapping, UserForwardIsNamedAfterThatUser) {
  const auto provenance = provenance_of(forwarded(
      {{"type", "user"}, {"date", 1764200000}, {"sender_user", {{"id", 42}, {"is_bot", false}, {"first_name", "Ann"}, {"username", "ann_b"}}}}));
  EXPECT_EQ(archive::choose_chat_slug(provenance), "ann-b");
}

TEST(IngestMapping, StickerFormatsBecomeTheirArchiveTypes) {
  bot::MediaItem sticker;
  sticker.type = bot::MediaType::sticker;
  sticker.usual_extension = "tgs";
  EXPECT_EQ(archive_media_type(sticker), archive::MediaType::sticker_animated);
  sticker.usual_extension = "webm";
  EXPECT_EQ(archive_media_type(sticker), archive::MediaType::sticker_video);
  sticker.usual_extension = "webp";
  EXPECT_EQ(archive_media_type(sticker), archive::MediaType::sticker_static);
}

TEST(IngestMapping, AlbumCaptionComesFromWhicheverMessageHasIt) {
  json first = photo_message_json(10);
  json second = photo_message_json(11);
  second["caption"] = "Привет <мир>";
  second["caption_entities"] = json::array({{{"type", "bold"}, {"offset", 0}, {"length", 6}}});
  first["link_preview_options"] = {{"is_disabled", true}};
  const auto record = telegram_record({parse_message_or_die(first), parse_message_or_die(second)});
  EXPECT_EQ(record.message_id, 10);
  EXPECT_EQ(record.caption_plain, "Привет <мир>");
  EXPECT_EQ(record.caption_entities.size(), 1U);
  EXPECT_EQ(record.sender_id, teltubby::testing::kCuratorId);
  EXPECT_EQ(record.sender_username, "curator");
  EXPECT_TRUE(record.forward_origin.is_null());
  EXPECT_TRUE(record.extras.contains("link_preview_options"));
}

}  // namespace
}  // namespace teltubby::ingest
