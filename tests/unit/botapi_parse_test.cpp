#include <gtest/gtest.h>

#include "core/log.hpp"
#include "telegram/botapi/parse.hpp"
#include "unit/bot_fixtures.hpp"

namespace teltubby::botapi {
namespace {

using nlohmann::json;
using teltubby::testing::document_message_json;
using teltubby::testing::photo_message_json;
using teltubby::testing::text_message_json;
using teltubby::testing::update_json;

TEST(BotApiResponse, OkEnvelopeYieldsItsResult) {
  auto result = parse_response(R"({"ok":true,"result":{"id":7}})", 200);
  ASSERT_TRUE(result.has_value());
  EXPECT_EQ((*result)["id"], 7);
}

TEST(BotApiResponse, TooManyRequestsIsRetryableAndCarriesRetryAfter) {
  auto result = parse_response(
      R"({"ok":false,"error_code":429,"description":"Too Many Requests: retry after 17","parameters":{"retry_after":17}})",
      429);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, "telegram.429");
  EXPECT_TRUE(result.error().retryable());
  EXPECT_EQ(result.error().retry_after, std::chrono::seconds{17});
  EXPECT_EQ(result.error().message, "Too Many Requests: retry after 17");
}

TEST(BotApiResponse, ServerErrorIsRetryable) {
  auto result = parse_response(R"({"ok":false,"error_code":502,"description":"Bad Gateway"})", 502);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, "telegram.502");
  EXPECT_TRUE(result.error().retryable());
}

TEST(BotApiResponse, ClientErrorIsPermanentWithDescription) {
  auto result = parse_response(R"({"ok":false,"error_code":400,"description":"Bad Request: chat not found"})", 400);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, "telegram.400");
  EXPECT_EQ(result.error().kind, ErrorKind::permanent);
  EXPECT_EQ(result.error().message, "Bad Request: chat not found");
  EXPECT_EQ(result.error().retry_after, std::chrono::seconds{0});
}

TEST(BotApiResponse, ErrorCodeInBodyWinsOverHttpStatus) {
  auto result = parse_response(R"({"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"})",
                               200);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, "telegram.403");
  EXPECT_EQ(result.error().kind, ErrorKind::permanent);
}

TEST(BotApiResponse, NonJsonGatewayPageIsRetryableByHttpStatus) {
  auto result = parse_response("<html><body>502 Bad Gateway</body></html>", 502);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, "telegram.502");
  EXPECT_TRUE(result.error().retryable());
  EXPECT_EQ(result.error().message.find("<html>"), std::string::npos);
}

TEST(BotApiResponse, NonJsonNotFoundIsPermanent) {
  auto result = parse_response("Not Found", 404);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().code, "telegram.404");
  EXPECT_EQ(result.error().kind, ErrorKind::permanent);
}

TEST(BotApiResponse, GarbledSuccessIsARetryableBadResponse) {
  auto truncated = parse_response(R"({"ok":tr)", 200);
  ASSERT_FALSE(truncated.has_value());
  EXPECT_EQ(truncated.error().code, "telegram.bad_response");
  EXPECT_TRUE(truncated.error().retryable());

  auto no_result = parse_response(R"({"ok":true})", 200);
  ASSERT_FALSE(no_result.has_value());
  EXPECT_EQ(no_result.error().code, "telegram.bad_response");
}

TEST(BotApiResponse, DescriptionIsRedacted) {
  const std::string token = "123456789:" + std::string(35, 'A');
  auto result = parse_response(R"({"ok":false,"error_code":401,"description":"Unauthorized )" + token + R"("})", 401);
  ASSERT_FALSE(result.has_value());
  EXPECT_EQ(result.error().message.find(token), std::string::npos);
}

TEST(BotApiResponse, RecognisesGetFileTooBig) {
  auto result = parse_response(R"({"ok":false,"error_code":400,"description":"Bad Request: file is too big"})", 400);
  ASSERT_FALSE(result.has_value());
  EXPECT_TRUE(is_file_too_big(result.error()));
  auto other = parse_response(R"({"ok":false,"error_code":400,"description":"Bad Request: wrong file_id"})", 400);
  EXPECT_FALSE(is_file_too_big(other.error()));
}

TEST(BotApiResponse, RecognisesTheFileTooBigCodeOfTheClient) {
  // BotApiClient::get_file() re-labels the 400; the ingest module routes on the code.
  EXPECT_TRUE(is_file_too_big(Error{ErrorKind::permanent, "telegram.file_too_big", "getFile: refused", {}}));
}

TEST(BotApiMessage, ParsesPhotoMessageWithAllSizes) {
  auto message = parse_message(photo_message_json(42));
  ASSERT_TRUE(message.has_value()) << message.error().describe();
  EXPECT_EQ(message->message_id, 42);
  EXPECT_EQ(message->chat.type, "private");
  ASSERT_TRUE(message->from.has_value());
  EXPECT_EQ(message->from->username, "curator");
  ASSERT_EQ(message->photo.size(), 3U);
  EXPECT_EQ(message->photo[1].file_size, 150000);
}

TEST(BotApiMessage, KeepsSixtyFourBitIdsAndSizes) {
  json m = document_message_json(7, 4LL * 1024 * 1024 * 1024);
  m["chat"]["id"] = -1001234567890123LL;
  m["chat"]["type"] = "supergroup";
  auto message = parse_message(m);
  ASSERT_TRUE(message.has_value()) << message.error().describe();
  EXPECT_EQ(message->chat.id, -1001234567890123LL);
  EXPECT_EQ(message->document->file_size, 4LL * 1024 * 1024 * 1024);
}

TEST(BotApiMessage, MissingRequiredFieldIsNamedInTheError) {
  json m = text_message_json(1, "hi");
  m["chat"].erase("id");
  auto message = parse_message(m);
  ASSERT_FALSE(message.has_value());
  EXPECT_EQ(message.error().kind, ErrorKind::invalid_input);
  EXPECT_EQ(message.error().message, "message.chat.id: missing");
}

TEST(BotApiMessage, WronglyTypedFieldIsNamedInTheError) {
  json m = document_message_json(1);
  m["document"]["file_size"] = "5000";
  auto message = parse_message(m);
  ASSERT_FALSE(message.has_value());
  EXPECT_EQ(message.error().message, "message.document.file_size: expected a 64-bit integer");
}

TEST(BotApiMessage, BadPhotoSizeIsNamedByIndex) {
  json m = photo_message_json(1);
  m["photo"][2].erase("file_unique_id");
  auto message = parse_message(m);
  ASSERT_FALSE(message.has_value());
  EXPECT_EQ(message.error().message, "message.photo[2].file_unique_id: missing");
}

TEST(BotApiMessage, NegativeSizeIsRejected) {
  json m = document_message_json(1, -5);
  auto message = parse_message(m);
  ASSERT_FALSE(message.has_value());
  EXPECT_EQ(message.error().message, "message.document.file_size: must not be negative");
}

TEST(BotApiMessage, NonObjectIsRejected) {
  auto message = parse_message(json::array());
  ASSERT_FALSE(message.has_value());
  EXPECT_EQ(message.error().message, "message: expected an object");
}

TEST(BotApiMessage, UnmodelledFieldsGoToExtrasAsReceived) {
  json m = document_message_json(1);
  m["link_preview_options"] = {{"is_disabled", true}};
  m["reply_markup"] = {{"inline_keyboard", json::array({json::array({{{"text", "A"}, {"url", "https://a.example"}}})})}};
  m["has_media_spoiler"] = true;
  m["some_future_field"] = {{"x", 1}};
  auto message = parse_message(m);
  ASSERT_TRUE(message.has_value()) << message.error().describe();
  EXPECT_EQ(message->extras["link_preview_options"], m["link_preview_options"]);
  EXPECT_EQ(message->extras["reply_markup"], m["reply_markup"]);
  EXPECT_EQ(message->extras["has_media_spoiler"], true);
  EXPECT_EQ(message->extras["some_future_field"], m["some_future_field"]);
  EXPECT_FALSE(message->extras.contains("document"));
  EXPECT_FALSE(message->extras.contains("chat"));
  EXPECT_EQ(message->raw, m);
}

TEST(BotApiMessage, EntitiesAreParsedAndKeptRaw) {
  json m = document_message_json(1);
  m["caption"] = "see <this> & _that_";
  m["caption_entities"] = json::array({{{"type", "bold"}, {"offset", 0}, {"length", 3}, {"future", "kept"}}});
  m["entities"] = json::array({{{"type", "text_link"}, {"offset", 1}, {"length", 2}, {"url", "https://x.example"}}});
  auto message = parse_message(m);
  ASSERT_TRUE(message.has_value()) << message.error().describe();
  EXPECT_EQ(message->caption, "see <this> & _that_");
  ASSERT_EQ(message->caption_entities.size(), 1U);
  EXPECT_EQ(message->caption_entities[0].type, "bold");
  EXPECT_EQ(message->caption_entities_raw, m["caption_entities"]);
  ASSERT_EQ(message->entities.size(), 1U);
  EXPECT_EQ(message->entities[0].url, "https://x.example");
  EXPECT_EQ(message->entities_raw, m["entities"]);
}

TEST(BotApiMessage, AbsentEntitiesAreEmptyArrays) {
  auto message = parse_message(document_message_json(1));
  ASSERT_TRUE(message.has_value());
  EXPECT_EQ(message->entities_raw, json::array());
  EXPECT_EQ(message->caption_entities_raw, json::array());
  EXPECT_TRUE(message->forward_origin_raw.is_null());
}

TEST(BotApiMessage, NumericMediaGroupIdBecomesText) {
  json m = document_message_json(1);
  m["media_group_id"] = 13874562340987LL;
  auto message = parse_message(m);
  ASSERT_TRUE(message.has_value());
  EXPECT_EQ(message->media_group_id, "13874562340987");
}

TEST(BotApiMessage, NonFilePayloadsAreDetectedByPresence) {
  json m = text_message_json(1, "");
  m.erase("text");
  m["location"] = {{"latitude", 1.5}, {"longitude", 2.5}};
  m["dice"] = {{"emoji", "🎲"}, {"value", 3}};
  auto message = parse_message(m);
  ASSERT_TRUE(message.has_value());
  EXPECT_TRUE(message->has_location);
  EXPECT_TRUE(message->has_dice);
  EXPECT_FALSE(message->has_poll);
}

TEST(BotApiMessage, StickerFormatFlagsAreRequired) {
  json m = text_message_json(1, "");
  m.erase("text");
  m["sticker"] = {{"file_id", "s"}, {"file_unique_id", "su"}, {"type", "regular"}, {"width", 512}, {"height", 512},
                  {"is_animated", true}, {"is_video", false}};
  auto message = parse_message(m);
  ASSERT_TRUE(message.has_value()) << message.error().describe();
  EXPECT_TRUE(message->sticker->is_animated);
  m["sticker"].erase("is_video");
  auto broken = parse_message(m);
  ASSERT_FALSE(broken.has_value());
  EXPECT_EQ(broken.error().message, "message.sticker.is_video: missing");
}

TEST(BotApiOrigin, ChannelOriginKeepsChatMessageIdAndSignature) {
  json m = document_message_json(1);
  m["forward_origin"] = {{"type", "channel"},
                         {"date", 1764000000},
                         {"chat", {{"id", -1009876543210LL}, {"type", "channel"}, {"title", "News"}, {"username", "news"}}},
                         {"message_id", 555},
                         {"author_signature", "Ann"},
                         {"unmodelled", 1}};
  auto message = parse_message(m);
  ASSERT_TRUE(message.has_value()) << message.error().describe();
  ASSERT_TRUE(message->forward_origin.has_value());
  const auto& origin = *message->forward_origin;
  EXPECT_EQ(origin.type, MessageOrigin::Type::channel);
  EXPECT_EQ(origin.chat->username, "news");
  EXPECT_EQ(origin.message_id, 555);
  EXPECT_EQ(origin.author_signature, "Ann");
  EXPECT_EQ(message->forward_origin_raw, m["forward_origin"]);
}

TEST(BotApiOrigin, ParsesUserHiddenUserAndChatOrigins) {
  auto user = parse_message_origin({{"type", "user"}, {"date", 1}, {"sender_user", {{"id", 5}, {"is_bot", false}, {"first_name", "Bo"}}}});
  ASSERT_TRUE(user.has_value()) << user.error().describe();
  EXPECT_EQ(user->type, MessageOrigin::Type::user);
  EXPECT_EQ(user->sender_user->id, 5);

  auto hidden = parse_message_origin({{"type", "hidden_user"}, {"date", 1}, {"sender_user_name", "Secret Sam"}});
  ASSERT_TRUE(hidden.has_value());
  EXPECT_EQ(hidden->type, MessageOrigin::Type::hidden_user);
  EXPECT_EQ(hidden->sender_user_name, "Secret Sam");

  auto chat = parse_message_origin(
      {{"type", "chat"}, {"date", 1}, {"sender_chat", {{"id", -100}, {"type", "supergroup"}, {"title", "Group"}}}});
  ASSERT_TRUE(chat.has_value());
  EXPECT_EQ(chat->type, MessageOrigin::Type::chat);
  EXPECT_EQ(chat->sender_chat->title, "Group");
}

TEST(BotApiOrigin, MissingTypeSpecificFieldIsAnError) {
  auto hidden = parse_message_origin({{"type", "hidden_user"}, {"date", 1}});
  ASSERT_FALSE(hidden.has_value());
  EXPECT_EQ(hidden.error().message, "forward_origin.sender_user_name: missing");
  auto channel = parse_message_origin({{"type", "channel"}, {"date", 1}, {"message_id", 3}});
  ASSERT_FALSE(channel.has_value());
  EXPECT_EQ(channel.error().message, "forward_origin.chat: missing");
}

TEST(BotApiOrigin, UnknownOriginTypeIsKeptNotRejected) {
  auto origin = parse_message_origin({{"type", "story_teller"}, {"date", 1}});
  ASSERT_TRUE(origin.has_value());
  EXPECT_EQ(origin->type, MessageOrigin::Type::unknown);
  EXPECT_EQ(origin->type_name, "story_teller");
}

TEST(BotApiUpdate, KindNamesThePayload) {
  auto message = parse_update(update_json(10, text_message_json(1, "hi")));
  ASSERT_TRUE(message.has_value());
  EXPECT_EQ(message->kind, "message");
  EXPECT_TRUE(message->message.has_value());

  auto edited = parse_update(update_json(11, text_message_json(1, "hi"), "edited_message"));
  ASSERT_TRUE(edited.has_value());
  EXPECT_EQ(edited->kind, "edited_message");
  EXPECT_TRUE(edited->message.has_value());

  auto callback = parse_update({{"update_id", 12}, {"callback_query", {{"id", "x"}}}});
  ASSERT_TRUE(callback.has_value());
  EXPECT_EQ(callback->kind, "callback_query");
  EXPECT_FALSE(callback->message.has_value());
}

TEST(BotApiUpdate, BatchReportsIdsOfMalformedUpdatesSoPollingMovesOn) {
  json bad = text_message_json(2, "x");
  bad.erase("date");
  json batch = json::array({update_json(100, text_message_json(1, "ok")), update_json(101, bad), json("junk")});
  auto parsed = parse_update_batch(batch);
  ASSERT_TRUE(parsed.has_value());
  ASSERT_EQ(parsed->size(), 3U);
  EXPECT_TRUE((*parsed)[0].update.has_value());
  EXPECT_EQ((*parsed)[1].update_id, 101);
  ASSERT_FALSE((*parsed)[1].update.has_value());
  EXPECT_EQ((*parsed)[1].update.error().message, "update.message.date: missing");
  EXPECT_EQ((*parsed)[2].update_id, 0);
  EXPECT_FALSE((*parsed)[2].update.has_value());

  EXPECT_FALSE(parse_update_batch(json::object()).has_value());
}

TEST(BotApiFile, ParsesGetFileResult) {
  auto file = parse_file({{"file_id", "f"}, {"file_unique_id", "u"}, {"file_size", 10}, {"file_path", "documents/file_1.pdf"}});
  ASSERT_TRUE(file.has_value());
  EXPECT_EQ(file->file_path, "documents/file_1.pdf");
  EXPECT_EQ(file->file_size, 10);
  auto broken = parse_file({{"file_id", ""}, {"file_unique_id", "u"}});
  ASSERT_FALSE(broken.has_value());
  EXPECT_EQ(broken.error().message, "file.file_id: must not be empty");
}

TEST(BotApiWebhookInfo, ParsesUrlAndAllowedUpdates) {
  auto info = parse_webhook_info({{"url", "https://bot.example/hook"},
                                  {"has_custom_certificate", false},
                                  {"pending_update_count", 3},
                                  {"last_error_message", "Connection refused"},
                                  {"allowed_updates", json::array({"message"})}});
  ASSERT_TRUE(info.has_value()) << info.error().describe();
  EXPECT_EQ(info->url, "https://bot.example/hook");
  EXPECT_EQ(info->pending_update_count, 3);
  EXPECT_EQ(info->last_error_message, "Connection refused");
  EXPECT_EQ(info->allowed_updates, std::vector<std::string>{"message"});
  EXPECT_FALSE(parse_webhook_info({{"url", 5}}).has_value());
}

}  // namespace
}  // namespace teltubby::botapi
