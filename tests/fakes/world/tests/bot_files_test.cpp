// Media, files, copy/forward and chats as the bot sees them.
// Each assertion cites the section of https://core.telegram.org/bots/api it checks.
#include <gtest/gtest.h>

#include "seeded_bytes.hpp"
#include "support.hpp"

namespace fake_world::testing {
namespace {

class FakeBotFiles : public ::testing::Test {
 protected:
  void SetUp() override { w.populate(); }
  // Sends as the curator and returns the bot's view of the message (from the update).
  Json sent(Json body) {
    const std::int64_t id = w.curator_sends(std::move(body));
    const Json all = w.bot("getUpdates").body["result"];
    EXPECT_FALSE(all.empty());
    w.bot("getUpdates", {{"offset", all.back()["update_id"].get<std::int64_t>() + 1}});
    EXPECT_EQ(all.back()["message"]["message_id"], id);
    return all.back()["message"];
  }
  std::string download(const std::string& file_id, const httplib::Headers& headers = {}) {
    const Reply info = w.bot("getFile", {{"file_id", file_id}});
    EXPECT_EQ(info.status, 200) << info.raw;
    const auto result = w.client().Get("/file/bot" + w.token + "/" + info.body["result"]["file_path"].get<std::string>(), headers);
    EXPECT_TRUE(result);
    return result ? result->body : "";
  }
  WorldFixture w;
};

TEST_F(FakeBotFiles, PhotoHasSeveralSizesAndDownloadsItsSeededBytes) {
  const Json m = sent({{"kind", "photo"}, {"caption", "sunset"}});
  // "#message" photo: "Array of PhotoSize"; "#photosize": file_id, file_unique_id, width, height, file_size.
  ASSERT_EQ(m["photo"].size(), 3U);
  EXPECT_LT(m["photo"][0]["width"].get<int>(), m["photo"][2]["width"].get<int>());
  EXPECT_EQ(m["caption"], "sunset");
  const Json& big = m["photo"][2];
  for (const char* key : {"file_id", "file_unique_id", "width", "height", "file_size"}) EXPECT_TRUE(big.contains(key)) << key;
  // "#getfile": "On success, a File object is returned"; "#file": file_path for the download link.
  const Reply info = w.bot("getFile", {{"file_id", big["file_id"]}});
  EXPECT_EQ(info.body["result"]["file_unique_id"], big["file_unique_id"]);
  EXPECT_EQ(info.body["result"]["file_size"], big["file_size"]);
  const std::string bytes = download(big["file_id"]);
  ASSERT_EQ(bytes.size(), big["file_size"].get<std::size_t>());
}

TEST_F(FakeBotFiles, DownloadedBytesAreTheSeededContent) {
  const Reply r = w.control("/control/send", {{"from_user_id", w.curator_id}, {"chat_id", w.bot_id}, {"kind", "document"},
                                              {"file", {{"size", 5000}, {"seed", 99}, {"file_name", "a.bin"}}}});
  const Json all = w.bot("getUpdates").body["result"];
  const Json& doc = all.back()["message"]["document"];
  // "#document": file_id, file_unique_id, file_name, mime_type, file_size.
  EXPECT_EQ(doc["file_name"], "a.bin");
  EXPECT_EQ(doc["file_size"], 5000);
  std::string expected;
  fill_seeded_bytes(99, 0, 5000, expected);
  EXPECT_EQ(download(doc["file_id"]), expected);
  EXPECT_EQ(r.body["message"]["files"][0]["seed"], 99);
  // Range requests give 206 and the slice.
  const auto partial = w.client().Get(
      "/file/bot" + w.token + "/" + w.bot("getFile", {{"file_id", doc["file_id"]}}).body["result"]["file_path"].get<std::string>(),
      {{"Range", "bytes=100-199"}});
  ASSERT_TRUE(partial);
  EXPECT_EQ(partial->status, 206);
  EXPECT_EQ(partial->get_header_value("Content-Range"), "bytes 100-199/5000");
  EXPECT_EQ(partial->body, expected.substr(100, 100));
}

TEST_F(FakeBotFiles, GetFileRefusesFilesOverTwentyMegabytes) {
  const Json m = sent({{"kind", "video"}, {"file", {{"size", 30 * 1024 * 1024}}}});
  // "#getfile": "For the moment, bots can download files of up to 20MB in size."
  const Reply r = w.bot("getFile", {{"file_id", m["video"]["file_id"]}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body["description"], "Bad Request: file is too big");
  EXPECT_EQ(w.bot("getFile", {{"file_id", "nonsense"}}).body["description"], "Bad Request: invalid file_id");
}

TEST_F(FakeBotFiles, TruncatedDownloadFaultCutsTheConnection) {
  const Json m = sent({{"kind", "document"}, {"file", {{"size", 300000}}}});
  w.control("/control/faults", {{"method", "file"}, {"kind", "truncate"}, {"truncate_bytes", 1000}});
  const Reply info = w.bot("getFile", {{"file_id", m["document"]["file_id"]}});
  const auto result = w.client().Get("/file/bot" + w.token + "/" + info.body["result"]["file_path"].get<std::string>());
  // Content-Length promised 300000 bytes; the body stops early, which the client reports as an error.
  EXPECT_TRUE(!result || result->body.size() < 300000U);
  EXPECT_EQ(download(m["document"]["file_id"]).size(), 300000U) << "only the next call is cut";
}

TEST_F(FakeBotFiles, EveryMediaKindHasItsDocumentedFields) {
  // "#video", "#audio", "#voice", "#videonote", "#animation", "#sticker", "#location", "#contact", "#poll"
  EXPECT_TRUE(sent({{"kind", "video"}})["video"].contains("duration"));
  EXPECT_EQ(sent({{"kind", "audio"}, {"performer", "Band"}, {"title", "Song"}})["audio"]["performer"], "Band");
  EXPECT_EQ(sent({{"kind", "voice"}})["voice"]["mime_type"], "audio/ogg");
  EXPECT_EQ(sent({{"kind", "video_note"}})["video_note"]["length"], 240);
  const Json animation = sent({{"kind", "animation"}});
  EXPECT_TRUE(animation.contains("animation"));
  EXPECT_TRUE(animation.contains("document")) << "#message animation: the document field is also set";
  const Json stat = sent({{"kind", "sticker_static"}, {"emoji", "🙂"}})["sticker"];
  EXPECT_EQ(stat["is_animated"], false);
  EXPECT_EQ(stat["is_video"], false);
  EXPECT_EQ(stat["type"], "regular");
  EXPECT_EQ(stat["emoji"], "🙂");
  EXPECT_EQ(sent({{"kind", "sticker_animated"}})["sticker"]["is_animated"], true);
  EXPECT_EQ(sent({{"kind", "sticker_video"}})["sticker"]["is_video"], true);
  EXPECT_EQ(sent({{"kind", "location"}, {"location", {{"latitude", 1.5}, {"longitude", 2.5}}}})["location"]["latitude"], 1.5);
  EXPECT_EQ(sent({{"kind", "contact"}, {"contact", {{"phone_number", "+1555"}, {"first_name", "Ann"}}}})["contact"]["first_name"], "Ann");
  const Json poll = sent({{"kind", "poll"}, {"poll", {{"question", "Tea?"}, {"options", Json::array({"Yes", "No"})}}}})["poll"];
  EXPECT_EQ(poll["question"], "Tea?");
  EXPECT_EQ(poll["options"][1], (Json{{"text", "No"}, {"voter_count", 0}}));
}

TEST_F(FakeBotFiles, ForwardOriginsOfEveryKind) {
  // "#messageorigin": MessageOriginUser, MessageOriginHiddenUser, MessageOriginChat, MessageOriginChannel.
  const Json user = sent({{"text", "f"}, {"forward_origin", {{"type", "user"}, {"sender_user_id", w.worker_id}, {"date", 1700000000}}}});
  EXPECT_EQ(user["forward_origin"], (Json{{"type", "user"}, {"date", 1700000000}, {"sender_user", {{"id", w.worker_id}, {"is_bot", false}, {"first_name", "Worker"}}}}));
  const Json hidden = sent({{"text", "f"}, {"forward_origin", {{"type", "hidden_user"}, {"sender_user_name", "Anon"}}}});
  EXPECT_EQ(hidden["forward_origin"]["sender_user_name"], "Anon");
  const std::int64_t channel = w.control("/control/chats", {{"type", "channel"}, {"title", "News"}, {"username", "news"}}).body["id"];
  const Json from_channel = sent({{"text", "f"}, {"forward_origin", {{"type", "channel"}, {"chat_id", channel}, {"message_id", 42}, {"author_signature", "Ed"}}}});
  EXPECT_EQ(from_channel["forward_origin"]["type"], "channel");
  EXPECT_EQ(from_channel["forward_origin"]["chat"]["username"], "news");
  EXPECT_EQ(from_channel["forward_origin"]["message_id"], 42);
  EXPECT_EQ(from_channel["forward_origin"]["author_signature"], "Ed");
  const Json private_channel = sent({{"text", "f"}, {"forward_origin", {{"type", "channel"}, {"chat_id", -1009999}, {"message_id", 7}, {"chat_title", "Secret"}}}});
  EXPECT_FALSE(private_channel["forward_origin"]["chat"].contains("username"));
  EXPECT_EQ(private_channel["forward_origin"]["chat"]["title"], "Secret");
  const Json chat = sent({{"text", "f"}, {"forward_origin", {{"type", "chat"}, {"sender_chat_id", channel}}}});
  EXPECT_EQ(chat["forward_origin"]["sender_chat"]["id"], channel);
}

TEST_F(FakeBotFiles, AlbumItemsShareTheMediaGroupIdAndCaptionsKeepEntities) {
  // "#message" media_group_id: "The unique identifier of a media message group this message belongs to"
  const Json second = sent({{"kind", "photo"}, {"media_group_id", "album1"}});
  const Json first = sent({{"kind", "video"}, {"media_group_id", "album1"}, {"caption", "*trip*"}, {"parse_mode", "MarkdownV2"}});
  EXPECT_EQ(second["media_group_id"], "album1");
  EXPECT_EQ(first["media_group_id"], "album1");
  EXPECT_EQ(first["caption"], "trip");
  EXPECT_EQ(first["caption_entities"], (Json::array({{{"type", "bold"}, {"offset", 0}, {"length", 4}}})));
}

TEST_F(FakeBotFiles, SendPhotoUploadsMultipartOrReusesAFileId) {
  // "#sending-files": upload with multipart/form-data, or pass a file_id.
  const std::string jpeg = "\xFF\xD8\xFF\xE0 fake jpeg bytes";
  httplib::MultipartFormDataItems items = {{"chat_id", std::to_string(w.curator_id), "", ""},
                                           {"caption", "uploaded", "", ""},
                                           {"photo", jpeg, "p.jpg", "image/jpeg"}};
  const Reply up = to_reply(w.client().Post("/bot" + w.token + "/sendPhoto", items));
  ASSERT_EQ(up.status, 200) << up.raw;
  const Json& photo = up.body["result"]["photo"];
  ASSERT_FALSE(photo.empty());
  EXPECT_EQ(up.body["result"]["caption"], "uploaded");
  EXPECT_EQ(download(photo.back()["file_id"]), jpeg);
  const Reply again = w.bot("sendPhoto", {{"chat_id", w.curator_id}, {"photo", photo.back()["file_id"]}});
  EXPECT_EQ(again.body["result"]["photo"].back()["file_unique_id"], photo.back()["file_unique_id"]);
  EXPECT_EQ(w.bot("sendPhoto", {{"chat_id", w.curator_id}}).body["description"], "Bad Request: there is no photo in the request");
  EXPECT_EQ(w.bot("sendPhoto", {{"chat_id", w.curator_id}, {"photo", "FWbadxbadxbad"}}).body["description"],
            "Bad Request: wrong file identifier/HTTP URL specified");
}

TEST_F(FakeBotFiles, CopyMessageToTheWorkerNeedsTheWorkerToHaveStartedTheBot) {
  const std::int64_t id = w.curator_sends({{"kind", "document"}});
  const Json copy = {{"chat_id", w.worker_id}, {"from_chat_id", w.curator_id}, {"message_id", id}};
  const Reply refused = w.bot("copyMessage", copy);
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(refused.body["description"], "Forbidden: bot can't initiate conversation with a user");
  w.control("/control/send", {{"from_user_id", w.worker_id}, {"chat_id", w.bot_id}, {"text", "/start"}});
  const Reply copied = w.bot("copyMessage", copy);
  // "#copymessage": "Returns the MessageId of the sent message on success."; "#messageid".
  ASSERT_EQ(copied.status, 200) << copied.raw;
  EXPECT_EQ(copied.body["result"].size(), 1U);
  EXPECT_TRUE(copied.body["result"]["message_id"].is_number_integer());
  EXPECT_EQ(w.bot("copyMessage", {{"chat_id", w.worker_id}, {"from_chat_id", w.curator_id}, {"message_id", 999}}).body["description"],
            "Bad Request: message to copy not found");
}

TEST_F(FakeBotFiles, ForwardMessageCarriesTheOriginAndProtectedContentIsRefused) {
  w.control("/control/send", {{"from_user_id", w.worker_id}, {"chat_id", w.bot_id}, {"text", "/start"}});
  const std::int64_t id = w.curator_sends({{"text", "original"}});
  const Reply forwarded = w.bot("forwardMessage", {{"chat_id", w.worker_id}, {"from_chat_id", w.curator_id}, {"message_id", id}});
  ASSERT_EQ(forwarded.status, 200) << forwarded.raw;
  // "#forwardmessage": "On success, the sent Message is returned."; "#messageoriginuser".
  EXPECT_EQ(forwarded.body["result"]["forward_origin"]["type"], "user");
  EXPECT_EQ(forwarded.body["result"]["forward_origin"]["sender_user"]["id"], w.curator_id);
  const std::int64_t secret = w.curator_sends({{"text", "no saving"}, {"protected", true}});
  // "#message" has_protected_content: "True, if the message can't be forwarded"
  EXPECT_EQ(w.bot("forwardMessage", {{"chat_id", w.worker_id}, {"from_chat_id", w.curator_id}, {"message_id", secret}}).body["description"],
            "Bad Request: message can't be forwarded");
  EXPECT_EQ(w.bot("copyMessage", {{"chat_id", w.worker_id}, {"from_chat_id", w.curator_id}, {"message_id", secret}}).body["description"],
            "Bad Request: message can't be copied");
}

TEST_F(FakeBotFiles, GroupMessagesAndChannelPostsReachTheBot) {
  const std::int64_t group = w.control("/control/chats", {{"type", "group"}, {"title", "Team"}, {"members", {w.curator_id, w.bot_id}}}).body["id"];
  const std::int64_t channel = w.control("/control/chats", {{"type", "channel"}, {"title", "Feed"}, {"members", {w.curator_id, w.bot_id}}}).body["id"];
  // "#getupdates": a negative offset keeps only the last -offset updates; then confirm that one.
  const Json last = w.bot("getUpdates", {{"offset", -1}}).body["result"];
  ASSERT_EQ(last.size(), 1U);
  w.bot("getUpdates", {{"offset", last[0]["update_id"].get<std::int64_t>() + 1}});
  w.control("/control/send", {{"from_user_id", w.curator_id}, {"chat_id", group}, {"text", "in group"}});
  w.control("/control/send", {{"from_user_id", w.curator_id}, {"chat_id", channel}, {"text", "in channel"}});
  const Json all = w.bot("getUpdates").body["result"];
  ASSERT_EQ(all.size(), 2U);
  // "#chat" type: "private", "group", "supergroup" or "channel".
  EXPECT_EQ(all[0]["message"]["chat"]["type"], "group");
  EXPECT_EQ(all[0]["message"]["chat"]["title"], "Team");
  EXPECT_LT(all[0]["message"]["chat"]["id"].get<std::int64_t>(), 0);
  // "#update" channel_post; "#message" sender_chat for channel posts.
  EXPECT_EQ(all[1]["channel_post"]["chat"]["type"], "channel");
  EXPECT_EQ(all[1]["channel_post"]["sender_chat"]["id"], channel);
  EXPECT_EQ(w.bot("sendMessage", {{"chat_id", group}, {"text", "hi team"}}).status, 200);
}

}  // namespace
}  // namespace fake_world::testing
