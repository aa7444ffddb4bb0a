// The Bot API methods against the in-process fake world, through a plain HTTP client.
// Each assertion cites the section of https://core.telegram.org/bots/api it checks.
#include <future>

#include <gtest/gtest.h>

#include "support.hpp"

namespace fake_world::testing {
namespace {

class FakeBotApi : public ::testing::Test {
 protected:
  void SetUp() override { w.populate(); }
  // Drains pending updates; returns them.
  Json updates(const Json& params = Json::object()) {
    const Reply r = w.bot("getUpdates", params);
    EXPECT_EQ(r.status, 200) << r.raw;
    return r.body["result"];
  }
  void confirm_all() {
    const Json all = updates();
    if (!all.empty()) updates({{"offset", all.back()["update_id"].get<std::int64_t>() + 1}});
  }
  WorldFixture w;
};

TEST_F(FakeBotApi, GetMeReturnsTheBotAsAUser) {
  const Reply r = w.bot("getMe");
  // "#making-requests": the response contains "ok" and, on success, "result".
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body["ok"], true);
  // "#getme": "Returns basic information about the bot in form of a User object."
  EXPECT_EQ(r.body["result"]["id"], w.bot_id);
  EXPECT_EQ(r.body["result"]["is_bot"], true);
  EXPECT_EQ(r.body["result"]["username"], "archive_bot");
  EXPECT_EQ(r.body["result"]["first_name"], "Archive");
}

TEST_F(FakeBotApi, WrongTokenIsUnauthorized) {
  const Reply r = w.bot_as("123:wrong", "getMe");
  // "#making-requests": ok false, error_code and description.
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.body, (Json{{"ok", false}, {"error_code", 401}, {"description", "Unauthorized"}}));
}

TEST_F(FakeBotApi, UnknownMethodIsNotFound) {
  const Reply r = w.bot("sendTelepathy");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, (Json{{"ok", false}, {"error_code", 404}, {"description", "Not Found"}}));
}

TEST_F(FakeBotApi, MethodNamesAreCaseInsensitive) {
  // "#making-requests": "All methods in the Bot API are case-insensitive."
  EXPECT_EQ(w.bot("GETME").body["ok"], true);
  EXPECT_EQ(w.bot("getme").body["ok"], true);
}

TEST_F(FakeBotApi, AcceptsQueryStringFormAndJsonParameters) {
  // "#making-requests": URL query string, application/x-www-form-urlencoded, application/json
  // (and multipart/form-data, see FakeBotFiles.SendPhotoUploadsMultipart).
  const std::string chat = std::to_string(w.curator_id);
  const auto by_query = to_reply(w.client().Get("/bot" + w.token + "/sendMessage?chat_id=" + chat + "&text=q"));
  EXPECT_EQ(by_query.body["result"]["text"], "q");
  const auto by_form = to_reply(w.client().Post("/bot" + w.token + "/sendMessage", "chat_id=" + chat + "&text=f",
                                                "application/x-www-form-urlencoded"));
  EXPECT_EQ(by_form.body["result"]["text"], "f");
  EXPECT_EQ(w.bot("sendMessage", {{"chat_id", w.curator_id}, {"text", "j"}}).body["result"]["text"], "j");
}

TEST_F(FakeBotApi, GetUpdatesDeliversMessagesAndOffsetConfirmsThem) {
  w.curator_sends({{"text", "hello"}});
  const Json all = updates();
  // "#getupdates": "Returns an Array of Update objects"; "#update": update_id and one optional field.
  ASSERT_EQ(all.size(), 2U);  // "/start" from populate() and "hello"
  EXPECT_EQ(all[1]["message"]["text"], "hello");
  EXPECT_EQ(all[1]["message"]["chat"]["type"], "private");
  EXPECT_EQ(all[1]["message"]["chat"]["id"], w.curator_id);
  EXPECT_EQ(all[1]["message"]["from"]["id"], w.curator_id);
  EXPECT_EQ(all[1]["update_id"].get<std::int64_t>(), all[0]["update_id"].get<std::int64_t>() + 1);
  // "#getupdates" offset: "An update is considered confirmed as soon as getUpdates is called with an
  // offset higher than its update_id."
  const Json rest = updates({{"offset", all[1]["update_id"]}});
  ASSERT_EQ(rest.size(), 1U);
  EXPECT_EQ(rest[0]["message"]["text"], "hello");
  EXPECT_TRUE(updates({{"offset", all[1]["update_id"].get<std::int64_t>() + 1}}).empty());
}

TEST_F(FakeBotApi, GetUpdatesHonoursLimitAndAllowedUpdates) {
  w.curator_sends({{"text", "a"}});
  // "#getupdates" limit: "Limits the number of updates to be retrieved. Values between 1-100 are accepted."
  EXPECT_EQ(updates({{"limit", 1}}).size(), 1U);
  confirm_all();
  // allowed_updates: only the listed types are received.
  updates({{"allowed_updates", Json::array({"callback_query"})}});
  w.curator_sends({{"text", "filtered out"}});
  EXPECT_TRUE(updates().empty());
}

TEST_F(FakeBotApi, GetUpdatesLongPollAnswersWhenAnUpdateArrives) {
  confirm_all();
  // "#getupdates" timeout: "Timeout in seconds for long polling."
  auto poll = std::async(std::launch::async, [&] { return w.bot_on_own_connection("getUpdates", {{"timeout", 30}}).body["result"]; });
  ASSERT_EQ(w.control_get("/control/bots/" + std::to_string(w.bot_id) + "?wait_long_polls=1").body["waiting_get_updates"], 1);
  w.curator_sends({{"text", "wake up"}});
  const Json got = poll.get();
  ASSERT_EQ(got.size(), 1U);
  EXPECT_EQ(got[0]["message"]["text"], "wake up");
}

TEST_F(FakeBotApi, ASecondGetUpdatesEndsTheFirstWithConflict) {
  confirm_all();
  auto first = std::async(std::launch::async, [&] { return w.bot_on_own_connection("getUpdates", {{"timeout", 30}}); });
  ASSERT_EQ(w.control_get("/control/bots/" + std::to_string(w.bot_id) + "?wait_long_polls=1").body["waiting_get_updates"], 1);
  const Reply second = w.bot("getUpdates");
  EXPECT_EQ(second.status, 200);
  const Reply ended = first.get();
  EXPECT_EQ(ended.status, 409);
  EXPECT_EQ(ended.body["description"], "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running");
}

TEST_F(FakeBotApi, SendMessageReturnsTheMessageAndRecordsItInTheOutbox) {
  const Reply r = w.bot("sendMessage", {{"chat_id", w.curator_id}, {"text", "<b>Saved</b> &amp; done"}, {"parse_mode", "HTML"}});
  ASSERT_EQ(r.status, 200) << r.raw;
  // "#sendmessage": "On success, the sent Message is returned."
  const Json& m = r.body["result"];
  EXPECT_EQ(m["text"], "Saved & done");
  EXPECT_EQ(m["entities"], (Json::array({{{"type", "bold"}, {"offset", 0}, {"length", 5}}})));
  EXPECT_EQ(m["from"]["id"], w.bot_id);
  EXPECT_EQ(m["chat"]["id"], w.curator_id);
  EXPECT_TRUE(m["message_id"].is_number_integer());
  EXPECT_TRUE(m["date"].is_number_integer());
  const Reply outbox = w.control_get("/control/chat/" + std::to_string(w.curator_id) + "/outbox?count=1");
  ASSERT_EQ(outbox.body["events"].size(), 1U);
  EXPECT_EQ(outbox.body["events"][0]["type"], "sent");
  EXPECT_EQ(outbox.body["events"][0]["message"]["text"], "Saved & done");
}

TEST_F(FakeBotApi, SendMessageRejectsBadMarkupWithTelegramsTexts) {
  // "#formatting-options"; texts as Telegram answers them.
  Reply r = w.bot("sendMessage", {{"chat_id", w.curator_id}, {"text", "<p>x</p>"}, {"parse_mode", "HTML"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body["description"], "Bad Request: can't parse entities: Unsupported start tag \"p\" at byte offset 0");
  r = w.bot("sendMessage", {{"chat_id", w.curator_id}, {"text", "v1.0"}, {"parse_mode", "MarkdownV2"}});
  EXPECT_EQ(r.body["description"], "Bad Request: can't parse entities: Character '.' is reserved and must be escaped with the preceding '\\'");
}

TEST_F(FakeBotApi, SendMessageValidatesTextAndChat) {
  EXPECT_EQ(w.bot("sendMessage", {{"chat_id", w.curator_id}, {"text", ""}}).body["description"], "Bad Request: message text is empty");
  EXPECT_EQ(w.bot("sendMessage", {{"chat_id", 999}, {"text", "x"}}).body["description"], "Bad Request: chat not found");
  // "#sendmessage" text: "1-4096 characters after entities parsing"
  EXPECT_EQ(w.bot("sendMessage", {{"chat_id", w.curator_id}, {"text", std::string(4097, 'x')}}).body["description"],
            "Bad Request: message is too long");
  // A user who never wrote to the bot cannot be messaged.
  const Reply r = w.bot("sendMessage", {{"chat_id", w.worker_id}, {"text", "hi"}});
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.body["description"], "Forbidden: bot can't initiate conversation with a user");
}

TEST_F(FakeBotApi, EditMessageTextEditsAndRefusesIdenticalContent) {
  const std::int64_t id = w.bot("sendMessage", {{"chat_id", w.curator_id}, {"text", "v1"}}).body["result"]["message_id"];
  // "#editmessagetext": "On success ... the edited Message is returned"
  const Reply edited = w.bot("editMessageText", {{"chat_id", w.curator_id}, {"message_id", id}, {"text", "v2"}});
  ASSERT_EQ(edited.status, 200) << edited.raw;
  EXPECT_EQ(edited.body["result"]["text"], "v2");
  EXPECT_TRUE(edited.body["result"]["edit_date"].is_number_integer());
  const Reply same = w.bot("editMessageText", {{"chat_id", w.curator_id}, {"message_id", id}, {"text", "v2"}});
  EXPECT_EQ(same.status, 400);
  EXPECT_EQ(same.body["description"],
            "Bad Request: message is not modified: specified new message content and reply markup are exactly the same "
            "as a current content and reply markup of the message");
  EXPECT_EQ(w.bot("editMessageText", {{"chat_id", w.curator_id}, {"message_id", 9999}, {"text", "x"}}).body["description"],
            "Bad Request: message to edit not found");
  const Reply outbox = w.control_get("/control/chat/" + std::to_string(w.curator_id) + "/outbox?count=2");
  EXPECT_EQ(outbox.body["events"][1]["type"], "edited");
}

TEST_F(FakeBotApi, DeleteMessageDeletesOnce) {
  const std::int64_t id = w.bot("sendMessage", {{"chat_id", w.curator_id}, {"text", "bye"}}).body["result"]["message_id"];
  // "#deletemessage": "Returns True on success."
  EXPECT_EQ(w.bot("deleteMessage", {{"chat_id", w.curator_id}, {"message_id", id}}).body["result"], true);
  EXPECT_EQ(w.bot("deleteMessage", {{"chat_id", w.curator_id}, {"message_id", id}}).body["description"],
            "Bad Request: message to delete not found");
  const Reply outbox = w.control_get("/control/chat/" + std::to_string(w.curator_id) + "/outbox?count=2");
  EXPECT_EQ(outbox.body["events"][1]["type"], "deleted");
  EXPECT_EQ(outbox.body["events"][1]["message_id"], id);
}

TEST_F(FakeBotApi, SendChatActionIsRecordedAndValidated) {
  // "#sendchataction": "Returns True on success."; action is one of the listed values.
  EXPECT_EQ(w.bot("sendChatAction", {{"chat_id", w.curator_id}, {"action", "upload_document"}}).body["result"], true);
  EXPECT_EQ(w.bot("sendChatAction", {{"chat_id", w.curator_id}, {"action", "dancing"}}).body["description"],
            "Bad Request: wrong parameter action in request");
  const Reply outbox = w.control_get("/control/chat/" + std::to_string(w.curator_id) + "/outbox?count=1");
  EXPECT_EQ(outbox.body["events"][0]["type"], "chat_action");
  EXPECT_EQ(outbox.body["events"][0]["action"], "upload_document");
}

TEST_F(FakeBotApi, SetMyCommandsStoresValidCommands) {
  // "#botcommand": command "1-32 characters. Can contain only lowercase English letters, digits and underscores."
  const Json commands = Json::array({{{"command", "status"}, {"description", "Show the queue"}}});
  EXPECT_EQ(w.bot("setMyCommands", {{"commands", commands}}).body["result"], true);
  EXPECT_EQ(w.bot("getMyCommands").body["result"], commands);
  // Form encoding sends the array JSON-serialized ("#making-requests").
  EXPECT_EQ(w.bot("setMyCommands", {{"commands", commands.dump()}}).body["result"], true);
  EXPECT_EQ(w.bot("setMyCommands", {{"commands", Json::array({{{"command", "Bad Command"}, {"description", "x"}}})}}).body["description"],
            "Bad Request: BOT_COMMAND_INVALID");
}

TEST_F(FakeBotApi, AnswerCallbackQueryAnswersOnce) {
  const std::int64_t id = w.bot("sendMessage", {{"chat_id", w.curator_id}, {"text", "pick"},
                                               {"reply_markup", {{"inline_keyboard", Json::array({Json::array({{{"text", "OK"}, {"callback_data", "ok"}}})})}}}})
                              .body["result"]["message_id"];
  confirm_all();
  const Reply pressed = w.control("/control/callback", {{"from_user_id", w.curator_id}, {"message_id", id}, {"data", "ok"}});
  ASSERT_EQ(pressed.status, 200) << pressed.raw;
  const Json got = updates();
  ASSERT_EQ(got.size(), 1U);
  // "#callbackquery": id, from, message, chat_instance, data.
  const Json& q = got[0]["callback_query"];
  EXPECT_EQ(q["data"], "ok");
  EXPECT_EQ(q["from"]["id"], w.curator_id);
  EXPECT_EQ(q["message"]["message_id"], id);
  EXPECT_TRUE(q["chat_instance"].is_string());
  // "#answercallbackquery": "On success, True is returned."
  EXPECT_EQ(w.bot("answerCallbackQuery", {{"callback_query_id", q["id"]}, {"text", "Saved"}}).body["result"], true);
  EXPECT_EQ(w.bot("answerCallbackQuery", {{"callback_query_id", q["id"]}}).body["description"],
            "Bad Request: query is too old and response timeout expired or query ID is invalid");
  const Reply outbox = w.control_get("/control/chat/" + std::to_string(w.curator_id) + "/outbox?count=2");
  EXPECT_EQ(outbox.body["events"][1]["type"], "callback_answer");
}

TEST(FakeBotApiRateLimits, TooManyMessagesToOneChatGet429WithRetryAfter) {
  WorldFixture w(true);
  w.populate();
  Reply last;
  for (int i = 0; i < 10 && last.status != 429; ++i) {
    last = w.bot("sendMessage", {{"chat_id", w.curator_id}, {"text", "spam " + std::to_string(i)}});
  }
  // "#responseparameters" retry_after; "#making-requests": parameters in the error.
  ASSERT_EQ(last.status, 429);
  EXPECT_EQ(last.body["description"], "Too Many Requests: retry after 1");
  EXPECT_EQ(last.body["parameters"]["retry_after"], 1);
  w.control("/control/settings", {{"rate_limits", false}});
  EXPECT_EQ(w.bot("sendMessage", {{"chat_id", w.curator_id}, {"text", "now fine"}}).status, 200);
}

TEST_F(FakeBotApi, InjectedFaultsFailTheNextCalls) {
  w.control("/control/faults", {{"method", "sendMessage"}, {"kind", "server_error"}, {"status", 502}, {"count", 1}});
  EXPECT_EQ(w.bot("sendMessage", {{"chat_id", w.curator_id}, {"text", "x"}}).status, 502);
  EXPECT_EQ(w.bot("sendMessage", {{"chat_id", w.curator_id}, {"text", "x"}}).status, 200);
  w.control("/control/faults", {{"method", "getUpdates"}, {"kind", "too_many_requests"}, {"retry_after", 7}});
  const Reply limited = w.bot("getUpdates");
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.body["description"], "Too Many Requests: retry after 7");
  EXPECT_EQ(limited.body["parameters"]["retry_after"], 7);
}

TEST_F(FakeBotApi, InjectedBadRequestIsAFourHundredWithTelegramsText) {
  w.control("/control/faults", {{"method", "getFile"}, {"kind", "bad_request"}});
  const Reply refused = w.bot("getFile", {{"file_id", "whatever"}});
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(refused.body["description"], "Bad Request: wrong file_id or the file is temporarily unavailable");
  w.control("/control/faults", {{"method", "getMe"}, {"kind", "bad_request"}, {"description", "custom words"}});
  EXPECT_EQ(w.bot("getMe").body["description"], "Bad Request: custom words");
  EXPECT_EQ(w.bot("getMe").status, 200) << "a fault applies to the next call only";
}

TEST_F(FakeBotApi, InjectedHangOutlastsTheClientTimeout) {
  w.control("/control/faults", {{"method", "getMe"}, {"kind", "hang"}, {"hang_seconds", 5}});
  httplib::Client impatient(w.server().url());
  impatient.set_read_timeout(0, 200000);  // 0.2 s
  const auto result = impatient.Get("/bot" + w.token + "/getMe");
  EXPECT_FALSE(result);
  EXPECT_EQ(result.error(), httplib::Error::Read);
}

}  // namespace
}  // namespace fake_world::testing
