#include <gtest/gtest.h>

#include "bot/media.hpp"
#include "unit/bot_fixtures.hpp"

namespace teltubby::bot {
namespace {

using nlohmann::json;
using teltubby::testing::document_message_json;
using teltubby::testing::parse_message_or_die;
using teltubby::testing::photo_message_json;
using teltubby::testing::text_message_json;

json bare_message() {
  json m = text_message_json(9, "");
  m.erase("text");
  return m;
}

TEST(MediaSelection, PhotoKeepsOnlyTheLargestSize) {
  auto items = select_media(parse_message_or_die(photo_message_json(1)));
  ASSERT_EQ(items.size(), 1U);
  EXPECT_EQ(items[0].type, MediaType::photo);
  EXPECT_EQ(items[0].file_id, "p-large");
  EXPECT_EQ(items[0].file_unique_id, "u-large");
  EXPECT_EQ(items[0].width, 1280);
  EXPECT_EQ(items[0].height, 853);
  EXPECT_EQ(items[0].size_bytes, 150000);
  EXPECT_EQ(items[0].content_type(), "image/jpeg");
  EXPECT_EQ(items[0].usual_extension, "jpg");
}

TEST(MediaSelection, PhotoSizeTieOnAreaIsBrokenByFileSize) {
  json m = bare_message();
  m["photo"] = json::array({
      {{"file_id", "a"}, {"file_unique_id", "ua"}, {"width", 100}, {"height", 100}, {"file_size", 900}},
      {{"file_id", "b"}, {"file_unique_id", "ub"}, {"width", 100}, {"height", 100}, {"file_size", 500}},
  });
  auto items = select_media(parse_message_or_die(m));
  ASSERT_EQ(items.size(), 1U);
  EXPECT_EQ(items[0].file_id, "a");
}

TEST(MediaSelection, AbsurdPhotoDimensionsDoNotOverflow) {
  json m = bare_message();
  m["photo"] = json::array({
      {{"file_id", "a"}, {"file_unique_id", "ua"}, {"width", 100}, {"height", 100}},
      {{"file_id", "huge"}, {"file_unique_id", "uh"}, {"width", 9000000000000000000LL}, {"height", 9000000000000000000LL}},
  });
  auto items = select_media(parse_message_or_die(m));
  ASSERT_EQ(items.size(), 1U);
  EXPECT_EQ(items[0].file_id, "huge");
}

TEST(MediaSelection, DocumentKeepsOriginalNameAndMime) {
  auto items = select_media(parse_message_or_die(document_message_json(3, 777, "Отчёт 2024.pdf")));
  ASSERT_EQ(items.size(), 1U);
  EXPECT_EQ(items[0].type, MediaType::document);
  EXPECT_EQ(items[0].original_filename, "Отчёт 2024.pdf");
  EXPECT_EQ(items[0].mime_type, "application/pdf");
  EXPECT_EQ(items[0].size_bytes, 777);
}

TEST(MediaSelection, GifSentAsAnimationAndDocumentIsArchivedOnceAsAnimation) {
  json m = bare_message();
  m["animation"] = {{"file_id", "g"}, {"file_unique_id", "gu"}, {"width", 320}, {"height", 240}, {"duration", 3},
                    {"file_name", "fun.gif.mp4"}, {"mime_type", "video/mp4"}, {"file_size", 4000}};
  m["document"] = {{"file_id", "g"}, {"file_unique_id", "gu"}, {"file_name", "fun.gif.mp4"},
                   {"mime_type", "video/mp4"}, {"file_size", 4000}};
  auto items = select_media(parse_message_or_die(m));
  ASSERT_EQ(items.size(), 1U);
  EXPECT_EQ(items[0].type, MediaType::animation);
  EXPECT_EQ(items[0].duration, 3);
  EXPECT_EQ(items[0].original_filename, "fun.gif.mp4");
}

TEST(MediaSelection, VideoAudioVoiceAndVideoNoteCarryTheirAttributes) {
  json video = bare_message();
  video["video"] = {{"file_id", "v"}, {"file_unique_id", "vu"}, {"width", 1920}, {"height", 1080}, {"duration", 61},
                    {"mime_type", "video/mp4"}, {"file_size", 9000}};
  auto v = select_media(parse_message_or_die(video));
  ASSERT_EQ(v.size(), 1U);
  EXPECT_EQ(v[0].type, MediaType::video);
  EXPECT_EQ(v[0].width, 1920);
  EXPECT_EQ(v[0].duration, 61);

  json audio = bare_message();
  audio["audio"] = {{"file_id", "a"}, {"file_unique_id", "au"}, {"duration", 200}, {"file_name", "song.mp3"}};
  auto a = select_media(parse_message_or_die(audio));
  ASSERT_EQ(a.size(), 1U);
  EXPECT_EQ(a[0].type, MediaType::audio);
  EXPECT_EQ(a[0].original_filename, "song.mp3");
  EXPECT_EQ(a[0].content_type(), "audio/mpeg");
  EXPECT_FALSE(a[0].size_bytes.has_value());

  json voice = bare_message();
  voice["voice"] = {{"file_id", "o"}, {"file_unique_id", "ou"}, {"duration", 4}, {"mime_type", "audio/ogg"}};
  auto o = select_media(parse_message_or_die(voice));
  ASSERT_EQ(o.size(), 1U);
  EXPECT_EQ(o[0].type, MediaType::voice);
  EXPECT_EQ(o[0].usual_extension, "ogg");

  json note = bare_message();
  note["video_note"] = {{"file_id", "n"}, {"file_unique_id", "nu"}, {"length", 240}, {"duration", 9}, {"file_size", 5}};
  auto n = select_media(parse_message_or_die(note));
  ASSERT_EQ(n.size(), 1U);
  EXPECT_EQ(n[0].type, MediaType::video_note);
  EXPECT_EQ(n[0].width, 240);
  EXPECT_EQ(n[0].height, 240);
  EXPECT_EQ(to_string(n[0].type), "video_note");
}

struct StickerCase {
  bool is_animated;
  bool is_video;
  const char* mime;
  const char* extension;
};

class StickerFormats : public ::testing::TestWithParam<StickerCase> {};

TEST_P(StickerFormats, FormatFollowsTheAnimatedAndVideoFlags) {
  const auto& c = GetParam();
  json m = bare_message();
  m["sticker"] = {{"file_id", "s"}, {"file_unique_id", "su"}, {"type", "regular"}, {"width", 512}, {"height", 512},
                  {"is_animated", c.is_animated}, {"is_video", c.is_video}, {"file_size", 30000}};
  auto items = select_media(parse_message_or_die(m));
  ASSERT_EQ(items.size(), 1U);
  EXPECT_EQ(items[0].type, MediaType::sticker);
  EXPECT_EQ(items[0].content_type(), c.mime);
  EXPECT_EQ(items[0].usual_extension, c.extension);
}

INSTANTIATE_TEST_SUITE_P(AllKinds, StickerFormats,
                         ::testing::Values(StickerCase{false, false, "image/webp", "webp"},
                                           StickerCase{true, false, "application/x-tgsticker", "tgs"},
                                           StickerCase{false, true, "video/webm", "webm"}));

TEST(MediaSelection, MessagesWithoutFilesHaveNothingToArchive) {
  EXPECT_TRUE(select_media(parse_message_or_die(text_message_json(1, "just words"))).empty());
  for (const char* field : {"location", "contact", "poll", "venue", "dice"}) {
    json m = bare_message();
    m[field] = {{"x", 1}};
    EXPECT_TRUE(select_media(parse_message_or_die(m)).empty()) << field;
  }
}

MediaItem item_of_size(std::optional<std::int64_t> size) {
  MediaItem item;
  item.size_bytes = size;
  return item;
}

TEST(MediaRouting, SmallFilesGoThroughTheBotApi) {
  RoutingLimits limits{20971520, 4LL << 30};
  EXPECT_EQ(route_item(item_of_size(20971520), limits), Route::bot_api);
  EXPECT_EQ(route_item(item_of_size(0), limits), Route::bot_api);
}

TEST(MediaRouting, FilesAboveTheBotApiLimitAreQueued) {
  RoutingLimits limits{20971520, 4LL << 30};
  EXPECT_EQ(route_item(item_of_size(20971521), limits), Route::queued_large_file);
  EXPECT_EQ(route_item(item_of_size(4LL << 30), limits), Route::queued_large_file);
}

TEST(MediaRouting, FilesAboveMaxFileGbAreSkipped) {
  RoutingLimits limits{20971520, 4LL << 30};
  EXPECT_EQ(route_item(item_of_size((4LL << 30) + 1), limits), Route::exceeds_max_file_gb);
  EXPECT_EQ(to_string(Route::exceeds_max_file_gb), "exceeds_max_file_gb");
  EXPECT_EQ(to_string(Route::queued_large_file), "queued_large_file");
}

TEST(MediaRouting, UnknownSizeTriesTheBotApi) {
  EXPECT_EQ(route_item(item_of_size(std::nullopt), RoutingLimits{1, 2}), Route::bot_api);
}

TEST(MediaRouting, MaxFileGbCountsGibibytes) {
  EXPECT_EQ(max_file_bytes_from_gb(4), 4LL * 1024 * 1024 * 1024);
  EXPECT_EQ(max_file_bytes_from_gb(0.5), 512LL * 1024 * 1024);
  EXPECT_EQ(max_file_bytes_from_gb(-1), 0);
}

}  // namespace
}  // namespace teltubby::bot
