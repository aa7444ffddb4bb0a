#include <gtest/gtest.h>

#include "bot/router.hpp"
#include "unit/bot_fixtures.hpp"

namespace teltubby::bot {
namespace {

using nlohmann::json;
using teltubby::testing::document_message_json;
using teltubby::testing::kCuratorId;
using teltubby::testing::parse_update_or_die;
using teltubby::testing::text_message_json;
using teltubby::testing::update_json;

const RouterConfig kConfig{{kCuratorId}, "teltubby_bot"};

RouteDecision route(const json& update) { return route_update(parse_update_or_die(update), kConfig); }

IgnoreReason ignored_because(const RouteDecision& decision) {
  const auto* ignore = std::get_if<IgnoreDecision>(&decision);
  if (ignore == nullptr) {
    ADD_FAILURE() << "expected the update to be ignored";
    return IgnoreReason::unsupported_update;
  }
  return ignore->reason;
}

TEST(Router, StrangerIsIgnored) {
  json m = document_message_json(1);
  m["from"]["id"] = 999;
  m["chat"]["id"] = 999;
  EXPECT_EQ(ignored_because(route(update_json(1, m))), IgnoreReason::not_whitelisted);
}

TEST(Router, GroupMessageFromCuratorIsIgnored) {
  json m = document_message_json(1);
  m["chat"] = {{"id", -100123}, {"type", "supergroup"}, {"title", "Team"}};
  EXPECT_EQ(ignored_because(route(update_json(1, m))), IgnoreReason::not_private);
}

TEST(Router, EditedMessagesAndOtherUpdateKindsAreIgnored) {
  EXPECT_EQ(ignored_because(route(update_json(1, document_message_json(1), "edited_message"))),
            IgnoreReason::edited_message);
  json channel_post = document_message_json(2);
  channel_post["chat"] = {{"id", -1005}, {"type", "channel"}, {"title", "C"}};
  channel_post.erase("from");
  auto decision = route(update_json(2, channel_post, "channel_post"));
  EXPECT_EQ(ignored_because(decision), IgnoreReason::unsupported_update);
  EXPECT_EQ(std::get<IgnoreDecision>(decision).update_kind, "channel_post");
  EXPECT_EQ(ignored_because(route({{"update_id", 3}, {"callback_query", {{"id", "q"}}}})),
            IgnoreReason::unsupported_update);
}

TEST(Router, MessageWithoutSenderIsIgnored) {
  json m = document_message_json(1);
  m.erase("from");
  EXPECT_EQ(ignored_because(route(update_json(1, m))), IgnoreReason::no_sender);
}

TEST(Router, IgnoreReasonsAreStableLabels) {
  EXPECT_EQ(to_string(IgnoreReason::not_whitelisted), "not_whitelisted");
  EXPECT_EQ(to_string(IgnoreReason::not_private), "not_private");
  EXPECT_EQ(to_string(IgnoreReason::edited_message), "edited_message");
}

TEST(Router, CommandWithArguments) {
  auto decision = route(update_json(1, text_message_json(1, "/priority 3f2b8c1e-9a4d-4f6b-8c2e-1a2b3c4d5e6f urgent")));
  const auto* command = std::get_if<CommandDecision>(&decision);
  ASSERT_NE(command, nullptr);
  EXPECT_EQ(command->command.name, "priority");
  EXPECT_EQ(command->command.args, "3f2b8c1e-9a4d-4f6b-8c2e-1a2b3c4d5e6f urgent");
}

TEST(Router, CommandAddressedToThisBotIsAccepted) {
  auto decision = route(update_json(1, text_message_json(1, "/status@TelTubby_Bot")));
  const auto* command = std::get_if<CommandDecision>(&decision);
  ASSERT_NE(command, nullptr);
  EXPECT_EQ(command->command.name, "status");
}

TEST(Router, CommandAddressedToAnotherBotIsIgnored) {
  EXPECT_EQ(ignored_because(route(update_json(1, text_message_json(1, "/status@other_bot")))),
            IgnoreReason::other_bot_command);
}

TEST(Router, JobsShortcutBecomesJobsCommandWithId) {
  auto decision = route(update_json(1, text_message_json(1, "/jobs_3f2b8c1e9a4d4f6b8c2e1a2b3c4d5e6f")));
  const auto* command = std::get_if<CommandDecision>(&decision);
  ASSERT_NE(command, nullptr);
  EXPECT_EQ(command->command.name, "jobs");
  EXPECT_EQ(command->command.args, "3f2b8c1e9a4d4f6b8c2e1a2b3c4d5e6f");
}

TEST(Router, ForwardedCommandTextIsContentNotACommand) {
  json m = text_message_json(1, "/help");
  m["forward_origin"] = {{"type", "hidden_user"}, {"date", 1}, {"sender_user_name", "X"}};
  EXPECT_TRUE(std::holds_alternative<NothingToArchiveDecision>(route(update_json(1, m))));
}

TEST(Router, PlainTextHasNothingToArchive) {
  EXPECT_TRUE(std::holds_alternative<NothingToArchiveDecision>(route(update_json(1, text_message_json(1, "hello")))));
}

TEST(Router, LocationHasNothingToArchive) {
  json m = text_message_json(1, "");
  m.erase("text");
  m["location"] = {{"latitude", 52.5}, {"longitude", 13.4}};
  EXPECT_TRUE(std::holds_alternative<NothingToArchiveDecision>(route(update_json(1, m))));
}

TEST(Router, MediaMessageCarriesItsItems) {
  auto decision = route(update_json(1, document_message_json(5)));
  const auto* media = std::get_if<MediaDecision>(&decision);
  ASSERT_NE(media, nullptr);
  EXPECT_EQ(media->message.message_id, 5);
  ASSERT_EQ(media->items.size(), 1U);
  EXPECT_EQ(media->items[0].type, MediaType::document);
}

TEST(Router, MediaGroupMessageIsAnAlbumItem) {
  json m = document_message_json(5);
  m["media_group_id"] = "g-77";
  auto decision = route(update_json(1, m));
  const auto* album = std::get_if<AlbumItemDecision>(&decision);
  ASSERT_NE(album, nullptr);
  EXPECT_EQ(album->media_group_id, "g-77");
}

}  // namespace
}  // namespace teltubby::bot
