// File names and keys (DESIGN.md section 3), including every cap at its boundary.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <set>
#include <string>

#include "archive/naming.hpp"
#include "archive/provenance.hpp"

namespace teltubby::archive {
namespace {

using std::chrono::sys_seconds;
using namespace std::string_literals;

// 2026-11-28 13:44:05 UTC
constexpr sys_seconds kTime{std::chrono::seconds{1795873445}};

FileNameParts basic_parts() {
  FileNameParts parts;
  parts.message_time = kTime;
  parts.chat_slug = "durov";
  parts.sender_slug = "alice";
  parts.message_id = 42;
  parts.ordinal = 1;
  parts.caption_words = "hello-world";
  parts.extension = "jpg";
  return parts;
}

std::string name_of(const FileNameParts& parts) {
  auto name = build_file_name(parts);
  EXPECT_TRUE(name.has_value()) << (name ? "" : name.error().describe());
  return name.value_or("");
}

// Only [a-z0-9._-], exactly one '.', which starts the extension.
bool is_safe_name(const std::string& name) {
  const bool charset = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
  });
  return charset && std::count(name.begin(), name.end(), '.') == 1 && name.find('.') != 0;
}

// "aaaa-aaaa-..." of exactly `length` characters, never ending in '-'.
std::string words_of_length(std::size_t length) {
  std::string text;
  while (text.size() < length) text += (text.size() % 5 == 4) ? '-' : 'a';
  if (text.back() == '-') text.back() = 'b';
  return text;
}

TEST(FileName, FollowsThePattern) {
  EXPECT_EQ(name_of(basic_parts()), "20261128-134405_durov_alice_m42_001_hello-world.jpg");
}

TEST(FileName, IncludesTheMediaGroupAndPadsTheOrdinal) {
  auto parts = basic_parts();
  parts.media_group_id = "13579246801357924";
  parts.ordinal = 7;
  EXPECT_EQ(name_of(parts), "20261128-134405_durov_alice_m42-g13579246801357924_007_hello-world.jpg");
  parts.ordinal = 12;
  EXPECT_NE(name_of(parts).find("_012_"), std::string::npos);
  parts.ordinal = 1000;
  EXPECT_NE(name_of(parts).find("_1000_"), std::string::npos);
}

TEST(FileName, LeavesOutAnEmptyCaption) {
  auto parts = basic_parts();
  parts.caption_words.clear();
  EXPECT_EQ(name_of(parts), "20261128-134405_durov_alice_m42_001.jpg");
}

TEST(FileName, TakesTheDateFromTheMessageTimeInUtc) {
  auto parts = basic_parts();
  parts.message_time = sys_seconds{};
  EXPECT_EQ(name_of(parts).substr(0, 16), "19700101-000000_");
  parts.message_time = sys_seconds{std::chrono::seconds{1767225599}};  // last second of 2025
  EXPECT_EQ(name_of(parts).substr(0, 16), "20251231-235959_");
}

TEST(FileName, SanitisesTheMediaGroupId) {
  auto parts = basic_parts();
  parts.media_group_id = "AB/../12";
  EXPECT_NE(name_of(parts).find("_m42-gab12_001"), std::string::npos);
}

TEST(FileName, KeepsANameOfExactly120Characters) {
  auto parts = basic_parts();
  parts.caption_words.clear();
  const std::size_t without_caption = name_of(parts).size();
  parts.caption_words = words_of_length(120 - without_caption - 1);  // '_' + caption fills to 120
  const std::string name = name_of(parts);
  EXPECT_EQ(name.size(), 120u);
  EXPECT_NE(name.find(parts.caption_words), std::string::npos);
}

TEST(FileName, CutsTheCaptionOfA121CharacterName) {
  auto parts = basic_parts();
  parts.caption_words.clear();
  const std::size_t without_caption = name_of(parts).size();
  const std::size_t room = 120 - without_caption - 1;
  parts.caption_words = std::string(room + 1, 'x');  // one word: no boundary, cut mid-word
  const std::string name = name_of(parts);
  EXPECT_EQ(name.size(), 120u);
  EXPECT_EQ(name, "20261128-134405_durov_alice_m42_001_" + std::string(room, 'x') + ".jpg");
}

TEST(FileName, CutsTheCaptionAtAWordBoundary) {
  auto parts = basic_parts();
  parts.caption_words.clear();
  const std::size_t room = 120 - name_of(parts).size() - 1;
  // Words of 9 letters: the cut lands inside a word, which is dropped whole.
  std::string caption;
  while (caption.size() < room + 20) caption += (caption.empty() ? "" : "-") + std::string("abcdefghi");
  parts.caption_words = caption;
  const std::string name = name_of(parts);
  EXPECT_LE(name.size(), 120u);
  const std::string kept = name.substr(name.find("_001_") + 5, name.size() - name.find("_001_") - 5 - 4);
  EXPECT_EQ(caption.rfind(kept, 0), 0u) << "kept part must be a prefix: " << kept;
  EXPECT_EQ(kept.size() % 10, 9u) << "must end with a whole word: " << kept;
  EXPECT_GT(kept.size() + 10, room);  // no more than one word lost

  // When the cut falls exactly before a '-', every word up to it is kept.
  parts.caption_words = std::string(room, 'a') + "-tail";
  EXPECT_EQ(name_of(parts).size(), 120u);
  EXPECT_EQ(name_of(parts).find("tail"), std::string::npos);
}

TEST(FileName, ShortensChatAndSenderOnlyOnceTheCaptionIsGone) {
  auto parts = basic_parts();
  parts.chat_slug = words_of_length(80);
  parts.sender_slug = words_of_length(80);
  parts.caption_words = "caption";
  const std::string name = name_of(parts);
  // 120, less any '-' left at the end of a cut part (those are trimmed).
  EXPECT_LE(name.size(), 120u);
  EXPECT_GE(name.size(), 118u);
  EXPECT_EQ(name.find("caption"), std::string::npos);
  EXPECT_TRUE(name.ends_with("_m42_001.jpg")) << name;
  EXPECT_TRUE(name.starts_with("20261128-134405_aaaa")) << name;
  EXPECT_TRUE(is_safe_name(name)) << name;
}

TEST(FileName, ShortensTheLongerOfChatAndSenderFirst) {
  auto parts = basic_parts();
  parts.caption_words.clear();
  parts.chat_slug = std::string(200, 'c');
  parts.sender_slug = "bob";
  std::string name = name_of(parts);
  EXPECT_EQ(name.size(), 120u);
  EXPECT_NE(name.find("_bob_m42"), std::string::npos) << name;

  parts.chat_slug = std::string(200, 'c');
  parts.sender_slug = std::string(200, 's');
  name = name_of(parts);
  EXPECT_EQ(name.size(), 120u);
  const auto chat_length = std::count(name.begin(), name.end(), 'c');
  const auto sender_length = std::count(name.begin(), name.end(), 's');
  EXPECT_LE(std::abs(chat_length - sender_length), 1) << name;
}

TEST(FileName, NeverCutsExtensionDateIdsOrOrdinal) {
  auto parts = basic_parts();
  parts.chat_slug = std::string(300, 'c');
  parts.sender_slug = std::string(300, 's');
  parts.caption_words = words_of_length(300);
  parts.message_id = 9223372036854775807;  // largest id
  parts.media_group_id = std::string(32, '9');
  parts.ordinal = 999;
  parts.extension = "abcdefghij";  // longest extension
  const std::string name = name_of(parts);
  EXPECT_LE(name.size(), 120u);
  EXPECT_TRUE(name.starts_with("20261128-134405_c")) << name;
  EXPECT_TRUE(name.ends_with("_m9223372036854775807-g" + std::string(32, '9') + "_999.abcdefghij")) << name;
  EXPECT_TRUE(is_safe_name(name)) << name;
}

TEST(FileName, StaysUniqueAcrossOrdinalsUnderTheCap) {
  auto parts = basic_parts();
  parts.chat_slug = std::string(300, 'c');
  parts.sender_slug = std::string(300, 's');
  parts.caption_words = words_of_length(300);
  parts.media_group_id = "1234567890123456789";
  std::set<std::string> names;
  for (int ordinal = 1; ordinal <= 10; ++ordinal) {
    parts.ordinal = ordinal;
    names.insert(name_of(parts));
  }
  EXPECT_EQ(names.size(), 10u);
}

TEST(FileName, RejectsInvalidParts) {
  auto parts = basic_parts();
  parts.message_id = 0;
  EXPECT_FALSE(build_file_name(parts));
  parts = basic_parts();
  parts.ordinal = 0;
  EXPECT_FALSE(build_file_name(parts));
  parts = basic_parts();
  parts.extension = "";
  EXPECT_FALSE(build_file_name(parts));
  parts.extension = "j.pg";
  EXPECT_FALSE(build_file_name(parts));
  parts = basic_parts();
  parts.chat_slug = "../x";
  EXPECT_FALSE(build_file_name(parts));
  parts = basic_parts();
  parts.sender_slug = "";
  EXPECT_FALSE(build_file_name(parts));
  parts = basic_parts();
  parts.message_time = sys_seconds{std::chrono::seconds{-1}};
  const auto result = build_file_name(parts);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().code, "archive.name");
  EXPECT_EQ(result.error().kind, ErrorKind::invalid_input);
}

TEST(BasePath, FollowsTheKeyLayout) {
  EXPECT_EQ(build_base_path(kTime, "durov", 42).value(), "teltubby/2026/11/durov/42/");
}

TEST(BasePath, KeepsExactly392AndCutsTheChatOf393) {
  // "teltubby/2026/11/" + chat + "/42/" = 21 + chat
  const std::string chat(392 - 21, 'c');
  const auto exact = build_base_path(kTime, chat, 42).value();
  EXPECT_EQ(exact.size(), 392u);
  EXPECT_EQ(exact, "teltubby/2026/11/" + chat + "/42/");
  const auto cut = build_base_path(kTime, chat + "c", 42).value();
  EXPECT_EQ(cut, exact);
}

TEST(BasePath, DoesNotEndAChatItCutWithADash) {
  const std::string chat = std::string(392 - 21 - 1, 'c') + "-dd";
  const auto path = build_base_path(kTime, chat, 42).value();
  EXPECT_EQ(path, "teltubby/2026/11/" + std::string(392 - 21 - 1, 'c') + "/42/");
}

TEST(Key, KeepsAKeyOfExactly512AndCutsA513OneBackTo512) {
  auto parts = basic_parts();
  parts.caption_words = std::string(400, 'x');  // one word: cut hard, to exactly 120
  const std::string name = name_of(parts);
  ASSERT_EQ(name.size(), 120u);

  const std::string chat(392 - 21, 'c');
  const auto exact = build_key(build_base_path(kTime, chat, 42).value(), name).value();
  EXPECT_EQ(exact.size(), 512u);
  EXPECT_EQ(exact, "teltubby/2026/11/" + chat + "/42/" + name);

  // One more character of chat would make 513: the chat is cut instead.
  const auto cut = build_key(build_base_path(kTime, chat + "c", 42).value(), name).value();
  EXPECT_EQ(cut.size(), 512u);
  EXPECT_EQ(cut, exact);
}

TEST(Key, RefusesToJoinPartsLongerThan512) {
  EXPECT_TRUE(build_key(std::string(400, 'p'), std::string(112, 'n')));
  const auto refused = build_key(std::string(400, 'p'), std::string(113, 'n'));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, "archive.key");
}

Provenance channel_forward() {
  Provenance provenance;
  provenance.origin.kind = OriginKind::channel;
  provenance.origin.chat = {-1001006503122, "", "Новости дня"};
  provenance.curator = {111, "curator_one", "Cu", "Rator"};
  return provenance;
}

TEST(ChatSlug, PrefersTheOriginChatsUsernameThenItsTitle) {
  auto provenance = channel_forward();
  EXPECT_EQ(choose_chat_slug(provenance), "novosti-dnya");
  provenance.origin.chat.username = "news_daily";
  EXPECT_EQ(choose_chat_slug(provenance), "news-daily");
  provenance.origin.kind = OriginKind::chat;
  EXPECT_EQ(choose_chat_slug(provenance), "news-daily");
}

TEST(ChatSlug, FallsBackToTheChatIdWhenTheTitleIsEmojiOnly) {
  auto provenance = channel_forward();
  provenance.origin.chat.title = "🔥🔥🔥";
  EXPECT_EQ(choose_chat_slug(provenance), "1001006503122");
}

TEST(ChatSlug, UsesTheOriginUsersUsernameThenName) {
  Provenance provenance;
  provenance.origin.kind = OriginKind::user;
  provenance.origin.user = {555, "", "Иван", "Петров"};
  provenance.curator = {111, "curator_one", "", ""};
  EXPECT_EQ(choose_chat_slug(provenance), "ivan-petrov");
  provenance.origin.user.username = "ivanp";
  EXPECT_EQ(choose_chat_slug(provenance), "ivanp");
  provenance.origin.user = {555, "", "🙂", ""};
  EXPECT_EQ(choose_chat_slug(provenance), "555");
}

TEST(ChatSlug, UsesTheCuratorForHiddenOrAbsentOrigins) {
  Provenance provenance;
  provenance.curator = {111, "curator_one", "Cu", "Rator"};
  provenance.origin.kind = OriginKind::hidden_user;
  provenance.origin.sender_user_name = "Secret Person";
  EXPECT_EQ(choose_chat_slug(provenance), "curator-one");
  provenance.origin.kind = OriginKind::none;
  EXPECT_EQ(choose_chat_slug(provenance), "curator-one");
  provenance.curator.username.clear();
  EXPECT_EQ(choose_chat_slug(provenance), "111");
}

TEST(SenderSlug, NamesWhoWroteTheContent) {
  auto provenance = channel_forward();
  EXPECT_EQ(choose_sender_slug(provenance), "novosti-dnya");
  provenance.origin.author_signature = "Мария К.";
  EXPECT_EQ(choose_sender_slug(provenance), "mariya-k");

  provenance.origin.kind = OriginKind::hidden_user;
  provenance.origin.sender_user_name = "Secret Person";
  EXPECT_EQ(choose_sender_slug(provenance), "secret-person");
  provenance.origin.sender_user_name = "👻";
  EXPECT_EQ(choose_sender_slug(provenance), "hidden");

  provenance.origin.kind = OriginKind::none;
  EXPECT_EQ(choose_sender_slug(provenance), "curator-one");
  provenance.curator.username.clear();
  EXPECT_EQ(choose_sender_slug(provenance), "cu-rator");
  provenance.curator.first_name.clear();
  provenance.curator.last_name.clear();
  EXPECT_EQ(choose_sender_slug(provenance), "111");
}

ItemNaming album_item(int ordinal, std::string original_filename, std::string caption) {
  ItemNaming item;
  item.provenance = channel_forward();
  item.folder_time = kTime;
  item.folder_message_id = 1000;
  item.message_time = kTime + std::chrono::seconds{ordinal};
  item.message_id = 1000 + ordinal - 1;
  item.media_group_id = "13579246801357924";
  item.ordinal = ordinal;
  item.caption = std::move(caption);
  item.original_filename = std::move(original_filename);
  item.mime_type = "image/jpeg";
  item.media_type = MediaType::photo;
  return item;
}

TEST(NameItem, NamesARussianChannelAlbum) {
  const auto first = name_item(album_item(1, "", "Привет, мир! Это наш новый альбом из поездки")).value();
  EXPECT_EQ(first.chat_slug, "novosti-dnya");
  EXPECT_EQ(first.base_path, "teltubby/2026/11/novosti-dnya/1000/");
  EXPECT_EQ(first.file_name,
            "20261128-134406_novosti-dnya_novosti-dnya_m1000-g13579246801357924_001_privet-mir-eto-nash-"
            "novyy-albom.jpg");
  EXPECT_EQ(first.key, first.base_path + first.file_name);

  const auto second = name_item(album_item(2, "Фото.PNG", std::string(5000, 'z'))).value();
  EXPECT_EQ(second.base_path, first.base_path) << "an album shares one folder";
  EXPECT_TRUE(second.file_name.ends_with(".png")) << second.file_name;
  EXPECT_NE(second.file_name.find("_m1001-g13579246801357924_002_"), std::string::npos);
  EXPECT_EQ(second.file_name.size(), 120u);
}

TEST(NameItem, KeepsEveryAlbumItemInOneFolderEvenWithAHugeChatTitle) {
  std::string title;
  while (title.size() < 2000) title += "北京欢迎你 ";
  auto a = album_item(1, "", "");
  a.provenance.origin.chat.title = title;
  auto b = album_item(2, "", std::string(5000, 'q'));
  b.provenance.origin.chat.title = title;
  const auto first = name_item(a).value();
  const auto second = name_item(b).value();
  EXPECT_EQ(first.base_path, second.base_path);
  EXPECT_LE(first.key.size(), kMaxKeyLength);
  EXPECT_LE(second.key.size(), kMaxKeyLength);
  EXPECT_LE(second.file_name.size(), kMaxFileNameLength);
  EXPECT_EQ(first.base_path.size(), kMaxBasePathLength);
}

TEST(NameItem, MakesHostileInputsSafe) {
  auto item = album_item(1, "../../etc/passwd", "../../.. \0 /etc/shadow \x01\x7f"s);
  item.provenance.origin.chat.title = "../..";
  item.provenance.origin.chat.id = -100777;
  const auto named = name_item(item).value();
  EXPECT_EQ(named.base_path, "teltubby/2026/11/100777/1000/");
  EXPECT_TRUE(is_safe_name(named.file_name)) << named.file_name;
  EXPECT_EQ(named.key.find(".."), std::string::npos);
  EXPECT_TRUE(named.file_name.ends_with("_001_etc-shadow.jpg")) << named.file_name;
}

TEST(NameItem, ReportsInvalidIdsAsErrors) {
  auto item = album_item(1, "", "");
  item.folder_message_id = -5;
  const auto result = name_item(item);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::invalid_input);
}

}  // namespace
}  // namespace teltubby::archive
