#include <gtest/gtest.h>

#include "bot/origin.hpp"
#include "unit/bot_fixtures.hpp"

namespace teltubby::bot {
namespace {

using nlohmann::json;
using teltubby::testing::document_message_json;
using teltubby::testing::kCuratorId;
using teltubby::testing::parse_message_or_die;

NamingInputs inputs_for(const json& forward_origin, bool curator_has_username = true) {
  json m = document_message_json(1);
  if (!forward_origin.is_null()) m["forward_origin"] = forward_origin;
  if (!curator_has_username) m["from"].erase("username");
  return naming_inputs(parse_message_or_die(m));
}

TEST(NamingInputs, ChannelWithUsernameUsesTheUsername) {
  auto inputs = inputs_for({{"type", "channel"}, {"date", 1}, {"message_id", 9}, {"author_signature", "Ann Lee"},
                            {"chat", {{"id", -1001}, {"type", "channel"}, {"title", "Daily News"}, {"username", "dailynews"}}}});
  EXPECT_EQ(inputs.chat, "dailynews");
  EXPECT_EQ(inputs.chat_source, NameSource::origin_chat_username);
  EXPECT_EQ(inputs.sender, "Ann Lee");
  EXPECT_EQ(inputs.sender_source, NameSource::origin_author_signature);
}

TEST(NamingInputs, ChannelWithoutUsernameUsesTheTitle) {
  auto inputs = inputs_for({{"type", "channel"}, {"date", 1}, {"message_id", 9},
                            {"chat", {{"id", -1001}, {"type", "channel"}, {"title", "Новости дня"}}}});
  EXPECT_EQ(inputs.chat, "Новости дня");
  EXPECT_EQ(inputs.chat_source, NameSource::origin_chat_title);
  EXPECT_EQ(inputs.sender, "Новости дня");
}

TEST(NamingInputs, ChatOriginUsesTheSenderChat) {
  auto inputs = inputs_for({{"type", "chat"}, {"date", 1},
                            {"sender_chat", {{"id", -100}, {"type", "supergroup"}, {"title", "Club"}}}});
  EXPECT_EQ(inputs.chat, "Club");
  EXPECT_EQ(inputs.chat_source, NameSource::origin_chat_title);
}

TEST(NamingInputs, UserOriginUsesTheUsersName) {
  auto with_username = inputs_for({{"type", "user"}, {"date", 1},
                                   {"sender_user", {{"id", 5}, {"is_bot", false}, {"first_name", "Bo"}, {"username", "bo_b"}}}});
  EXPECT_EQ(with_username.chat, "bo_b");
  EXPECT_EQ(with_username.chat_source, NameSource::origin_user_username);
  EXPECT_EQ(with_username.sender, "bo_b");

  auto without = inputs_for({{"type", "user"}, {"date", 1},
                             {"sender_user", {{"id", 5}, {"is_bot", false}, {"first_name", "Bo"}, {"last_name", "Brown"}}}});
  EXPECT_EQ(without.chat, "Bo Brown");
  EXPECT_EQ(without.chat_source, NameSource::origin_user_name);
}

TEST(NamingInputs, HiddenUserFallsBackToTheCurator) {
  auto inputs = inputs_for({{"type", "hidden_user"}, {"date", 1}, {"sender_user_name", "Secret Sam"}});
  EXPECT_EQ(inputs.chat, "curator");
  EXPECT_EQ(inputs.chat_source, NameSource::curator_username);
  EXPECT_EQ(inputs.sender, "Secret Sam");
  EXPECT_EQ(inputs.sender_source, NameSource::origin_hidden_user_name);
}

TEST(NamingInputs, PlainCopyUsesTheCurator) {
  auto inputs = inputs_for(json(nullptr));
  EXPECT_EQ(inputs.chat, "curator");
  EXPECT_EQ(inputs.sender, "curator");
  EXPECT_EQ(inputs.sender_source, NameSource::curator_username);
}

TEST(NamingInputs, CuratorWithoutUsernameIsNamedByIdForTheChat) {
  auto inputs = inputs_for(json(nullptr), /*curator_has_username=*/false);
  EXPECT_EQ(inputs.chat, std::to_string(kCuratorId));
  EXPECT_EQ(inputs.chat_source, NameSource::curator_id);
  EXPECT_EQ(inputs.sender, "Cura");
  EXPECT_EQ(inputs.sender_source, NameSource::curator_name);
}

TEST(NamingInputs, UnknownOriginAndBlankNamesFallBackToTheCurator) {
  auto unknown = inputs_for({{"type", "story_teller"}, {"date", 1}});
  EXPECT_EQ(unknown.chat, "curator");
  auto blank = inputs_for({{"type", "channel"}, {"date", 1}, {"message_id", 9},
                           {"chat", {{"id", -1001}, {"type", "channel"}, {"title", "   "}}}});
  EXPECT_EQ(blank.chat, "curator");
  EXPECT_EQ(blank.chat_source, NameSource::curator_username);
}

}  // namespace
}  // namespace teltubby::bot
