// The control API that tests and the demo use (docs/fake-world.md, "Control API").
#include <future>

#include <gtest/gtest.h>

#include "support.hpp"

namespace fake_world::testing {
namespace {

TEST(FakeWorldControl, CreatesUsersBotsAndChatsWithTelegramShapedIds) {
  WorldFixture w;
  const Reply bot = w.control("/control/bots", {{"username", "b_bot"}});
  ASSERT_EQ(bot.status, 200);
  // https://core.telegram.org/bots/api#authorizing-your-bot: token "123456:ABC-DEF1234ghIkl-zyx57W2v1u123ew11".
  const std::string token = bot.body["token"];
  EXPECT_EQ(token.substr(0, token.find(':')), std::to_string(bot.body["id"].get<std::int64_t>()));
  EXPECT_EQ(w.control("/control/users", {{"username", "b_bot"}}).body["error"], "USERNAME_OCCUPIED");
  const Reply group = w.control("/control/chats", {{"type", "group"}, {"title", "G"}});
  const Reply channel = w.control("/control/chats", {{"type", "channel"}, {"title", "C"}, {"username", "c"}});
  // https://core.telegram.org/bots/api#chat id: negative for groups; channels are -100...
  EXPECT_LT(group.body["id"].get<std::int64_t>(), 0);
  EXPECT_TRUE(std::to_string(channel.body["id"].get<std::int64_t>()).starts_with("-100"));
  EXPECT_EQ(w.control("/control/chats", {{"type", "forum"}}).status, 400);
}

TEST(FakeWorldControl, SendValidatesItsInput) {
  WorldFixture w;
  w.populate();
  EXPECT_EQ(w.control("/control/send", {{"from_user_id", 1}, {"chat_id", w.bot_id}, {"text", "x"}}).status, 400);
  EXPECT_EQ(w.control("/control/send", {{"from_user_id", w.curator_id}, {"chat_id", w.bot_id}, {"kind", "hologram"}}).status, 400);
  EXPECT_EQ(w.control("/control/send", {{"from_user_id", w.curator_id}, {"chat_id", w.bot_id},
                                        {"forward_origin", {{"type", "pigeon"}}}, {"text", "x"}}).status, 400);
  const std::int64_t group = w.control("/control/chats", {{"type", "group"}, {"title", "G"}}).body["id"];
  EXPECT_EQ(w.control("/control/send", {{"from_user_id", w.curator_id}, {"chat_id", group}, {"text", "x"}}).body["error"],
            "CHAT_WRITE_FORBIDDEN");
  w.control("/control/chats/" + std::to_string(group) + "/members", {{"user_id", w.curator_id}});
  EXPECT_EQ(w.control("/control/send", {{"from_user_id", w.curator_id}, {"chat_id", group}, {"text", "x"}}).status, 200);
}

TEST(FakeWorldControl, OutboxWaitReturnsOnceTheCountIsReachedOrTimesOut) {
  WorldFixture w;
  w.populate();
  const std::string path = "/control/chat/" + std::to_string(w.curator_id) + "/outbox";
  auto waiting = std::async(std::launch::async, [&] {
    httplib::Client c(w.server().url());
    return to_reply(c.Get(path + "?count=2&timeout_ms=20000"));
  });
  w.bot("sendMessage", {{"chat_id", w.curator_id}, {"text", "one"}});
  w.bot("sendMessage", {{"chat_id", w.curator_id}, {"text", "two"}});
  const Reply done = waiting.get();
  EXPECT_EQ(done.body["timed_out"], false);
  ASSERT_EQ(done.body["events"].size(), 2U);
  EXPECT_EQ(done.body["events"][0]["message"]["text"], "one");
  EXPECT_EQ(done.body["events"][1]["seq"], 2);
  const Reply short_wait = w.control_get(path + "?count=5&timeout_ms=10");
  EXPECT_EQ(short_wait.body["timed_out"], true);
  EXPECT_EQ(short_wait.body["events"].size(), 2U);
}

TEST(FakeWorldControl, PendingFaultsAreListedUntilUsedUp) {
  WorldFixture w;
  w.populate();
  w.control("/control/faults", {{"method", "getMe"}, {"kind", "server_error"}, {"count", 2}});
  Json faults = w.control_get("/control/faults").body["faults"];
  ASSERT_EQ(faults.size(), 1U);
  EXPECT_EQ(faults[0]["target"], "getMe");
  EXPECT_EQ(faults[0]["kind"], "server_error");
  EXPECT_EQ(faults[0]["remaining"], 2);
  w.bot("getMe");
  EXPECT_EQ(w.control_get("/control/faults").body["faults"][0]["remaining"], 1);
  w.bot("getMe");
  EXPECT_TRUE(w.control_get("/control/faults").body["faults"].empty());
}

TEST(FakeWorldControl, SendCanRepeatAnEarlierFile) {
  WorldFixture w;
  w.populate();
  const Reply first = w.control("/control/send", {{"from_user_id", w.curator_id}, {"chat_id", w.bot_id}, {"kind", "document"}});
  const std::string unique_id = first.body["message"]["files"][0]["unique_id"];
  const Reply again = w.control("/control/send", {{"from_user_id", w.curator_id}, {"chat_id", w.bot_id}, {"kind", "document"},
                                                  {"file", {{"unique_id", unique_id}}}});
  ASSERT_EQ(again.status, 200) << again.raw;
  EXPECT_EQ(again.body["message"]["files"][0]["unique_id"], unique_id);
  EXPECT_EQ(again.body["message"]["files"][0]["size"], first.body["message"]["files"][0]["size"]);
  EXPECT_NE(again.body["bot_message_id"], first.body["bot_message_id"]);
  EXPECT_EQ(w.control("/control/send", {{"from_user_id", w.curator_id}, {"chat_id", w.bot_id}, {"kind", "document"},
                                        {"file", {{"unique_id", "AQADnothing"}}}}).status, 400);
}

TEST(FakeWorldControl, SettingsAndFaultsAreValidated) {
  WorldFixture w;
  const Reply settings = w.control("/control/settings", {{"download_speed_bytes_per_second", 1000}, {"rate_limits", true}});
  EXPECT_EQ(settings.body["download_speed_bytes_per_second"], 1000);
  EXPECT_EQ(w.control_get("/control/settings").body["rate_limits"], true);
  EXPECT_EQ(w.control("/control/faults", {{"method", "getMe"}, {"kind", "meteor"}}).status, 400);
  EXPECT_EQ(w.control("/control/faults", {{"kind", "hang"}}).status, 400);
  EXPECT_EQ(w.control("/control/faults", {{"method", "getMe"}, {"kind", "hang"}}).status, 200);
  EXPECT_EQ(to_reply(w.client().Delete("/control/faults")).status, 200);
  EXPECT_EQ(w.control_get("/control/nothing").status, 404);
  EXPECT_EQ(w.control_get("/control/health").body["ok"], true);
}

}  // namespace
}  // namespace fake_world::testing
