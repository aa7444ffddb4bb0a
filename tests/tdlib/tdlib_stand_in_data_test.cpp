// Chats, messages and downloads through the production TdClient and the stand-in
// libtdjson. Each assertion names the td_api.tl definition whose shape it checks.
#include <fstream>
#include <iterator>

#include "stand_in_fixture.hpp"

namespace teltubby::testing {
namespace {

constexpr std::int64_t kBotId = 999;
constexpr std::int64_t kFileSize = 3 * 1024 * 1024 + 123;  // not a multiple of any chunk

nlohmann::json world_file(const std::string& unique_id, std::int64_t size, const std::string& name,
                          const std::string& mime, std::uint64_t seed) {
  return {{"unique_id", unique_id}, {"remote_id", "R" + unique_id}, {"size", size}, {"mime_type", mime},
          {"file_name", name}, {"seed", seed}, {"width", 640}, {"height", 480}, {"duration", 7}};
}

class StandInDataTest : public StandInTest {
 protected:
  void SetUp() override {
    StandInTest::SetUp();
    server.add_chat({{"id", kBotId}, {"type", "private"}, {"title", "Archiver"}, {"username", "archiver_bot"},
                     {"has_protected_content", false}});
    server.add_chat({{"id", -1001234567890}, {"type", "channel"}, {"title", "News"}, {"username", "news"},
                     {"has_protected_content", true}});
    auto message = [](std::int64_t id, std::string kind, nlohmann::json files) {
      return nlohmann::json{{"id", id}, {"chat_id", kBotId}, {"date", 1700000000 + id}, {"sender_user_id", kBotId},
                            {"kind", std::move(kind)}, {"caption", "cap"}, {"files", std::move(files)}};
    };
    server.add_message(message(1, "text", nlohmann::json::array()));
    server.at_back([](nlohmann::json& m) { m["text"] = "hello"; });
    server.add_message(message(2, "photo", {world_file("P1", 1000, "", "image/jpeg", 1),
                                            world_file("P2", 5000, "", "image/jpeg", 2)}));
    server.add_message(message(3, "document", {world_file("D1", kFileSize, "big.bin", "application/zip", 3)}));
    auto video = message(4, "video", {world_file("V1", 2000, "clip.mp4", "video/mp4", 4)});
    video["forward_origin"] = {{"type", "channel"}, {"chat_id", -1001234567890}, {"message_id", 55},
                               {"author_signature", ""}, {"date", 1690000000}};
    server.add_message(video);
    server.add_message(message(5, "voice", {world_file("A1", 300, "", "audio/ogg", 5)}));
    server.add_message(message(6, "sticker_video", {world_file("S1", 300, "s.webm", "video/webm", 6)}));
  }

  nlohmann::json history(tdlib::TdClient& client) {
    // getChatHistory chat_id:int53 from_message_id:int53 offset:int32 limit:int32 only_local:Bool = Messages;
    return ok_call(client, {{"@type", "getChatHistory"}, {"chat_id", kBotId}, {"from_message_id", 0},
                            {"offset", 0}, {"limit", 100}, {"only_local", false}});
  }

  nlohmann::json document_message(tdlib::TdClient& client) {
    return ok_call(client, {{"@type", "getMessage"}, {"chat_id", kBotId}, {"message_id", 3 * 1048576}});
  }

  static std::string expected_bytes(std::uint64_t seed, std::int64_t size) {
    std::string out;
    out.reserve(static_cast<std::size_t>(size));
    for (std::int64_t i = 0; i < size; ++i) out.push_back(file_byte(seed, static_cast<std::uint64_t>(i)));
    return out;
  }
  static std::string read_all(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
  }
};

TEST_F(StandInDataTest, ChatsResolveWithTdApiShapes) {
  UpdateLog log;
  auto client = new_client(log);
  log_in(*client);
  // searchPublicChat username:string = Chat; chat id:int53 type:ChatType title:string ...
  auto bot = ok_call(*client, {{"@type", "searchPublicChat"}, {"username", "archiver_bot"}});
  EXPECT_EQ(bot["@type"], "chat");
  EXPECT_EQ(bot["id"], kBotId);
  // chatTypePrivate user_id:int53 = ChatType;
  EXPECT_EQ(bot["type"]["@type"], "chatTypePrivate");
  EXPECT_EQ(bot["type"]["user_id"], kBotId);
  // createPrivateChat user_id:int53 force:Bool = Chat;
  EXPECT_EQ(ok_call(*client, {{"@type", "createPrivateChat"}, {"user_id", kBotId}, {"force", false}})["id"], kBotId);
  // getChat chat_id:int53 = Chat; chatTypeSupergroup supergroup_id:int53 is_channel:Bool = ChatType;
  auto channel = ok_call(*client, {{"@type", "getChat"}, {"chat_id", -1001234567890}});
  EXPECT_EQ(channel["type"]["@type"], "chatTypeSupergroup");
  EXPECT_EQ(channel["type"]["supergroup_id"], 1234567890);
  EXPECT_EQ(channel["type"]["is_channel"], true);
  EXPECT_EQ(channel["has_protected_content"], true);
  auto missing = client->call({{"@type", "searchPublicChat"}, {"username", "nobody_here"}}, kWait);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().message, "USERNAME_NOT_OCCUPIED");
}

TEST_F(StandInDataTest, HistoryAndMessagesHaveTdApiShapes) {
  UpdateLog log;
  auto client = new_client(log);
  log_in(*client);
  auto page = history(*client);
  // messages total_count:int32 messages:vector<message> = Messages; newest first
  EXPECT_EQ(page["@type"], "messages");
  ASSERT_EQ(page["messages"].size(), 6u);
  const auto& sticker = page["messages"][0];
  // message id:int53 ... ids are server ids * 2^20
  EXPECT_EQ(sticker["id"], 6 * 1048576);
  // messageSender: messageSenderUser user_id:int53 = MessageSender;
  EXPECT_EQ(sticker["sender_id"]["@type"], "messageSenderUser");
  // messageSticker sticker:sticker is_premium:Bool; stickerFormatWebm = StickerFormat;
  EXPECT_EQ(sticker["content"]["@type"], "messageSticker");
  EXPECT_EQ(sticker["content"]["sticker"]["format"]["@type"], "stickerFormatWebm");
  // messageVoiceNote voice_note:voiceNote caption:formattedText is_listened:Bool
  EXPECT_EQ(page["messages"][1]["content"]["@type"], "messageVoiceNote");
  EXPECT_EQ(page["messages"][1]["content"]["voice_note"]["voice"]["@type"], "file");
  const auto& video = page["messages"][2];
  // messageVideo video:video ... caption:formattedText ...; video ... video:file = Video;
  EXPECT_EQ(video["content"]["@type"], "messageVideo");
  EXPECT_EQ(video["content"]["video"]["file_name"], "clip.mp4");
  EXPECT_EQ(video["content"]["caption"]["@type"], "formattedText");
  EXPECT_EQ(video["content"]["caption"]["text"], "cap");
  // messageForwardInfo origin:MessageOrigin date:int32 ...;
  // messageOriginChannel chat_id:int53 message_id:int53 author_signature:string = MessageOrigin;
  EXPECT_EQ(video["forward_info"]["origin"]["@type"], "messageOriginChannel");
  EXPECT_EQ(video["forward_info"]["origin"]["message_id"], 55 * 1048576);
  // file id:int32 size:int53 expected_size:int53 local:localFile remote:remoteFile = File;
  const auto& file = video["content"]["video"]["video"];
  EXPECT_EQ(file["size"], 2000);
  EXPECT_EQ(file["local"]["@type"], "localFile");
  EXPECT_EQ(file["local"]["is_downloading_completed"], false);
  // remoteFile id:string unique_id:string is_uploading_active:Bool is_uploading_completed:Bool uploaded_size:int53
  EXPECT_EQ(file["remote"]["unique_id"], "V1");
  EXPECT_EQ(file["remote"]["id"], "RV1");
  // messageDocument document:document caption:formattedText
  EXPECT_EQ(page["messages"][3]["content"]["document"]["mime_type"], "application/zip");
  // messagePhoto photo:photo ...; photo ... sizes:vector<photoSize>; photoSize type:string photo:file width height
  const auto& photo = page["messages"][4]["content"];
  EXPECT_EQ(photo["@type"], "messagePhoto");
  ASSERT_EQ(photo["photo"]["sizes"].size(), 2u);
  EXPECT_EQ(photo["photo"]["sizes"][1]["photo"]["remote"]["unique_id"], "P2");
  EXPECT_EQ(photo["photo"]["sizes"][1]["width"], 640);
  // messageText text:formattedText ...
  EXPECT_EQ(page["messages"][5]["content"]["@type"], "messageText");
  EXPECT_EQ(page["messages"][5]["content"]["text"]["text"], "hello");

  // getMessage chat_id:int53 message_id:int53 = Message;
  EXPECT_EQ(document_message(*client)["content"]["@type"], "messageDocument");
  auto missing = client->call({{"@type", "getMessage"}, {"chat_id", kBotId}, {"message_id", 77 * 1048576}}, kWait);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, "tdlib.404");

  // searchChatMessages ... filter:SearchMessagesFilter = FoundChatMessages;
  // foundChatMessages total_count:int32 messages:vector<message> next_from_message_id:int53
  auto found = ok_call(*client, {{"@type", "searchChatMessages"}, {"chat_id", kBotId}, {"query", ""},
                                 {"sender_id", nullptr}, {"from_message_id", 0}, {"offset", 0}, {"limit", 10},
                                 {"filter", {{"@type", "searchMessagesFilterVideo"}}}});
  EXPECT_EQ(found["@type"], "foundChatMessages");
  ASSERT_EQ(found["messages"].size(), 1u);
  EXPECT_EQ(found["messages"][0]["id"], 4 * 1048576);
  EXPECT_TRUE(found.contains("next_from_message_id"));
}

TEST_F(StandInDataTest, SendMessageReachesTheServerSoTheAccountCanStartTheBot) {
  UpdateLog log;
  auto client = new_client(log);
  log_in(*client);
  // sendMessage chat_id:int53 ... input_message_content:InputMessageContent = Message;
  // inputMessageText text:formattedText link_preview_options:linkPreviewOptions clear_draft:Bool
  auto sent = ok_call(*client, {{"@type", "sendMessage"}, {"chat_id", kBotId},
                                {"input_message_content",
                                 {{"@type", "inputMessageText"},
                                  {"text", {{"@type", "formattedText"}, {"text", "/start"}, {"entities", nlohmann::json::array()}}}}}});
  EXPECT_EQ(sent["@type"], "message");
  EXPECT_EQ(sent["is_outgoing"], true);
  EXPECT_EQ(sent["content"]["text"]["text"], "/start");
  EXPECT_EQ(server.sent_texts(), std::vector<std::string>{"/start"});
}

TEST_F(StandInDataTest, AsyncDownloadReportsUpdateFileProgressUntilComplete) {
  server.set_speed(8 * 1024 * 1024);  // bytes per second: several progress steps
  UpdateLog log;
  auto client = new_client(log);
  log_in(*client);
  const auto file = document_message(*client)["content"]["document"]["document"];
  const int file_id = file["id"];
  // downloadFile file_id:int32 priority:int32 offset:int53 limit:int53 synchronous:Bool = File;
  auto started = ok_call(*client, {{"@type", "downloadFile"}, {"file_id", file_id}, {"priority", 1}, {"offset", 0},
                                   {"limit", 0}, {"synchronous", false}});
  EXPECT_EQ(started["@type"], "file");
  EXPECT_EQ(started["local"]["is_downloading_active"], true);
  ASSERT_TRUE(log.wait_for([&](const nlohmann::json& u) {
    return u["@type"] == "updateFile" && u["file"]["id"] == file_id && u["file"]["local"]["is_downloading_completed"] == true;
  }, 30s));
  std::vector<std::int64_t> progress;
  std::string path;
  for (const auto& update : log.all()) {
    if (update["@type"] != "updateFile" || update["file"]["id"] != file_id) continue;
    // updateFile file:file = Update;
    progress.push_back(update["file"]["local"]["downloaded_prefix_size"]);
    path = update["file"]["local"]["path"];
  }
  ASSERT_GE(progress.size(), 4u);
  EXPECT_TRUE(std::is_sorted(progress.begin(), progress.end()));
  EXPECT_EQ(progress.back(), kFileSize);
  EXPECT_TRUE(path.starts_with((dir / "files" / "documents").string())) << path;
  EXPECT_EQ(read_all(path), expected_bytes(3, kFileSize));
}

TEST_F(StandInDataTest, SyncDownloadAnswersWithTheCompletedFile) {
  UpdateLog log;
  auto client = new_client(log);
  log_in(*client);
  const int file_id = document_message(*client)["content"]["document"]["document"]["id"];
  auto done = ok_call(*client, {{"@type", "downloadFile"}, {"file_id", file_id}, {"priority", 32}, {"offset", 0},
                                {"limit", 0}, {"synchronous", true}});
  EXPECT_EQ(done["local"]["is_downloading_completed"], true);
  EXPECT_EQ(done["local"]["downloaded_size"], kFileSize);
  EXPECT_EQ(read_all(done["local"]["path"]), expected_bytes(3, kFileSize));
  // deleteFile file_id:int32 = Ok; the local copy is gone and updateFile says so.
  EXPECT_EQ(ok_call(*client, {{"@type", "deleteFile"}, {"file_id", file_id}})["@type"], "ok");
  EXPECT_FALSE(std::filesystem::exists(done["local"]["path"].get<std::string>()));
  EXPECT_TRUE(log.wait_for([&](const nlohmann::json& u) {
    return u["@type"] == "updateFile" && u["file"]["id"] == file_id && u["file"]["local"]["downloaded_size"] == 0;
  }));
  auto bad_priority = client->call({{"@type", "downloadFile"}, {"file_id", file_id}, {"priority", 0}, {"offset", 0},
                                    {"limit", 0}, {"synchronous", true}}, kWait);
  EXPECT_FALSE(bad_priority.has_value());
}

TEST_F(StandInDataTest, CancelledDownloadResumesFromThePartialFileAfterRestart) {
  server.set_speed(1024 * 1024);  // ~3 s for the whole file: time to cancel midway
  std::int64_t partial = 0;
  {
    UpdateLog log;
    auto client = new_client(log);
    log_in(*client);
    const int file_id = document_message(*client)["content"]["document"]["document"]["id"];
    ok_call(*client, {{"@type", "downloadFile"}, {"file_id", file_id}, {"priority", 1}, {"offset", 0}, {"limit", 0},
                      {"synchronous", false}});
    ASSERT_TRUE(log.wait_for([&](const nlohmann::json& u) {
      return u["@type"] == "updateFile" && u["file"]["local"]["downloaded_prefix_size"] > 0;
    }));
    // cancelDownloadFile file_id:int32 only_if_pending:Bool = Ok;
    ok_call(*client, {{"@type", "cancelDownloadFile"}, {"file_id", file_id}, {"only_if_pending", false}});
    ASSERT_TRUE(log.wait_for([&](const nlohmann::json& u) {
      return u["@type"] == "updateFile" && u["file"]["local"]["is_downloading_active"] == false &&
             u["file"]["local"]["downloaded_prefix_size"] > 0;
    }));
    partial = document_message(*client)["content"]["document"]["document"]["local"]["downloaded_prefix_size"];
    ASSERT_GT(partial, 0);
    ASSERT_LT(partial, kFileSize);
    ASSERT_TRUE(client->close().has_value());
  }
  server.set_speed(0);
  UpdateLog log;
  auto client = new_client(log);
  ok_call(*client, parameters());
  ASSERT_TRUE(client->wait_for_authorization_state("authorizationStateReady", kWait));
  const auto file = document_message(*client)["content"]["document"]["document"];
  EXPECT_EQ(file["local"]["downloaded_prefix_size"], partial);  // picked up from disk
  auto done = ok_call(*client, {{"@type", "downloadFile"}, {"file_id", file["id"]}, {"priority", 1}, {"offset", 0},
                                {"limit", 0}, {"synchronous", true}});
  EXPECT_EQ(done["local"]["is_downloading_completed"], true);
  EXPECT_EQ(read_all(done["local"]["path"]), expected_bytes(3, kFileSize));
}

TEST_F(StandInDataTest, ExpiredFileReferenceIsRepairedOnceThenReported) {
  UpdateLog log;
  auto client = new_client(log);
  log_in(*client);
  const int video_id = history(*client)["messages"][2]["content"]["video"]["video"]["id"];
  server.fail_next("/file/V1", 1, 400, "FILE_REFERENCE_EXPIRED");
  auto repaired = ok_call(*client, {{"@type", "downloadFile"}, {"file_id", video_id}, {"priority", 1}, {"offset", 0},
                                    {"limit", 0}, {"synchronous", true}});
  EXPECT_EQ(repaired["local"]["is_downloading_completed"], true);

  const int voice_id = history(*client)["messages"][1]["content"]["voice_note"]["voice"]["id"];
  server.fail_next("/file/A1", 2, 400, "FILE_REFERENCE_EXPIRED");
  auto failed = client->call({{"@type", "downloadFile"}, {"file_id", voice_id}, {"priority", 1}, {"offset", 0},
                              {"limit", 0}, {"synchronous", true}}, kWait);
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error().message, "Can't download file: have no valid file reference");
}

TEST_F(StandInDataTest, NetworkDownIsWaitedOutWithConnectionStateUpdates) {
  UpdateLog log;
  auto client = new_client(log);
  log_in(*client);
  const int file_id = history(*client)["messages"][2]["content"]["video"]["video"]["id"];
  server.fail_next("/file/V1", 3, 503, "NETWORK_DOWN");
  auto done = ok_call(*client, {{"@type", "downloadFile"}, {"file_id", file_id}, {"priority", 1}, {"offset", 0},
                                {"limit", 0}, {"synchronous", true}});
  EXPECT_EQ(done["local"]["is_downloading_completed"], true);
  // updateConnectionState state:ConnectionState; connectionStateConnecting / connectionStateReady
  std::vector<std::string> states;
  for (const auto& update : log.all()) {
    if (update["@type"] == "updateConnectionState") states.push_back(update["state"]["@type"]);
  }
  EXPECT_EQ(states, (std::vector<std::string>{"connectionStateConnecting", "connectionStateReady"}));
}

}  // namespace
}  // namespace teltubby::testing
