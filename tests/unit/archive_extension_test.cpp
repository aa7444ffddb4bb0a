// Extension choice (DESIGN.md section 3): original name, else MIME, else media type.
#include <gtest/gtest.h>

#include "archive/extension.hpp"

namespace teltubby::archive {
namespace {

TEST(Extension, TakesTheOriginalNamesExtensionLowercased) {
  EXPECT_EQ(extension_from_filename("Report.PDF"), "pdf");
  EXPECT_EQ(extension_from_filename("IMG_2026.jpeg"), "jpeg");
  EXPECT_EQ(extension_from_filename("  movie.MKV  "), "mkv");
  EXPECT_EQ(extension_from_filename("backup.tar.gz"), "gz");
  EXPECT_EQ(extension_from_filename("split.7z.001"), "001");
  EXPECT_EQ(extension_from_filename("Отчёт за год.docx"), "docx");
}

TEST(Extension, IgnoresDirectoryParts) {
  EXPECT_EQ(extension_from_filename("dir/name.jpg"), "jpg");
  EXPECT_EQ(extension_from_filename("C:\\Users\\me\\photo.PNG"), "png");
  EXPECT_EQ(extension_from_filename("dir.d/name"), std::nullopt);
  EXPECT_EQ(extension_from_filename("../../x.sh"), "sh");
}

TEST(Extension, FindsNoneInNamesWithoutAUsableOne) {
  EXPECT_EQ(extension_from_filename(""), std::nullopt);
  EXPECT_EQ(extension_from_filename("README"), std::nullopt);
  EXPECT_EQ(extension_from_filename(".bashrc"), std::nullopt);
  EXPECT_EQ(extension_from_filename("trailing."), std::nullopt);
  EXPECT_EQ(extension_from_filename("video.mp4?download=1"), std::nullopt);
  EXPECT_EQ(extension_from_filename("файл.док"), std::nullopt);
  EXPECT_EQ(extension_from_filename("a.b c"), std::nullopt);
  EXPECT_EQ(extension_from_filename(std::string("evil.jp\0g", 9)), std::nullopt);
}

TEST(Extension, AcceptsUpToTenCharactersAndNoMore) {
  EXPECT_EQ(extension_from_filename("x.abcdefghij"), "abcdefghij");
  EXPECT_EQ(extension_from_filename("x.abcdefghijk"), std::nullopt);
  EXPECT_EQ(extension_from_filename("report.final2024draft"), std::nullopt);
}

TEST(Extension, MapsCommonMimeTypes) {
  EXPECT_EQ(extension_from_mime("image/jpeg"), "jpg");
  EXPECT_EQ(extension_from_mime("image/png"), "png");
  EXPECT_EQ(extension_from_mime("image/webp"), "webp");
  EXPECT_EQ(extension_from_mime("video/mp4"), "mp4");
  EXPECT_EQ(extension_from_mime("video/webm"), "webm");
  EXPECT_EQ(extension_from_mime("video/quicktime"), "mov");
  EXPECT_EQ(extension_from_mime("audio/mpeg"), "mp3");
  EXPECT_EQ(extension_from_mime("audio/ogg"), "ogg");
  EXPECT_EQ(extension_from_mime("application/x-tgsticker"), "tgs");
  EXPECT_EQ(extension_from_mime("application/pdf"), "pdf");
  EXPECT_EQ(extension_from_mime("application/zip"), "zip");
}

TEST(Extension, IgnoresMimeCaseAndParameters) {
  EXPECT_EQ(extension_from_mime("Audio/OGG; codecs=opus"), "ogg");
  EXPECT_EQ(extension_from_mime(" IMAGE/JPEG "), "jpg");
}

TEST(Extension, FindsNoneForUnknownOrMalformedMime) {
  EXPECT_EQ(extension_from_mime(""), std::nullopt);
  EXPECT_EQ(extension_from_mime("application/octet-stream"), std::nullopt);
  EXPECT_EQ(extension_from_mime("nonsense"), std::nullopt);
  EXPECT_EQ(extension_from_mime(std::string(5000, 'a')), std::nullopt);
}

TEST(Extension, KnowsEachMediaTypesUsualExtension) {
  EXPECT_EQ(default_extension(MediaType::photo), "jpg");
  EXPECT_EQ(default_extension(MediaType::video), "mp4");
  EXPECT_EQ(default_extension(MediaType::voice), "ogg");
  EXPECT_EQ(default_extension(MediaType::video_note), "mp4");
  EXPECT_EQ(default_extension(MediaType::animation), "mp4");
  EXPECT_EQ(default_extension(MediaType::sticker_static), "webp");
  EXPECT_EQ(default_extension(MediaType::sticker_animated), "tgs");
  EXPECT_EQ(default_extension(MediaType::sticker_video), "webm");
  EXPECT_EQ(default_extension(MediaType::audio), "mp3");
  EXPECT_EQ(default_extension(MediaType::document), "bin");
  EXPECT_EQ(default_extension(MediaType::other), "bin");
}

TEST(Extension, PrefersOriginalNameThenMimeThenMediaType) {
  EXPECT_EQ(choose_extension("clip.MOV", "video/mp4", MediaType::video), "mov");
  EXPECT_EQ(choose_extension("", "video/quicktime", MediaType::video), "mov");
  EXPECT_EQ(choose_extension("README", "text/plain", MediaType::document), "txt");
  EXPECT_EQ(choose_extension("", "", MediaType::voice), "ogg");
  EXPECT_EQ(choose_extension("", "application/octet-stream", MediaType::document), "bin");
  EXPECT_EQ(choose_extension("weird.name.with spaces", "application/pdf", MediaType::document), "pdf");
  EXPECT_EQ(choose_extension("", "", MediaType::sticker_animated), "tgs");
}

// The documented choice: a misleading original name still wins; the true MIME type is
// kept in message.json and as the object's Content-Type.
TEST(Extension, KeepsAMisleadingOriginalExtension) {
  EXPECT_EQ(choose_extension("photo.jpg", "video/mp4", MediaType::document), "jpg");
  EXPECT_EQ(choose_extension("song.txt", "audio/mpeg", MediaType::audio), "txt");
}

TEST(MediaType, NamesRoundTrip) {
  for (const auto type :
       {MediaType::photo, MediaType::video, MediaType::document, MediaType::audio, MediaType::voice,
        MediaType::video_note, MediaType::animation, MediaType::sticker_static, MediaType::sticker_animated,
        MediaType::sticker_video, MediaType::other}) {
    EXPECT_EQ(media_type_from_name(media_type_name(type)), type);
  }
  EXPECT_EQ(media_type_from_name("Photo"), std::nullopt);
  EXPECT_EQ(media_type_from_name(""), std::nullopt);
}

}  // namespace
}  // namespace teltubby::archive
