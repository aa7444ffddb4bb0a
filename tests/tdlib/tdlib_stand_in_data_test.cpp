// Chats, messages and downloads through the production TdClient and the stand-in
// libtdjson, against the real fake world: what a curator sends through the control API
// and what the bot does through the Bot API is what the worker account sees. Each
// assertion names the td_api.tl definition (or Bot API section) whose shape it checks.
#include <algorithm>
#include <fstream>
#include <iterator>

#include "stand_in_fixture.hpp"

namespace teltubby::testing {
namespace {

constexpr std::int64_t kFileSize = 3 * 1024 * 1024 + 123;  // not a multiple of any chunk
constexpr std::int64_t kTdIdFactor = 1048576;               // TDLib message id = server id * 2^20
constexpr std::uint64_t kDocumentSeed = 3;

Json file_spec(std::int64_t size, std::uint64_t seed, const std::string& name, const std::string& mime) {
  Json file = Json::object();
  file["size"] = size;
  file["seed"] = seed;
  file["file_name"] = name;
  file["mime_type"] = mime;
  return file;
}

Json photo_size(int width, std::int64_t size, std::uint64_t seed) {
  Json out = Json::object();
  out["width"] = width;
  out["height"] = width * 3 / 4;
  out["size"] = size;
  out["seed"] = seed;
  return out;
}

std::string read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

class StandInDataTest : public StandInTest {
 protected:
  void SetUp() override {
    StandInTest::SetUp();
    curator_id = create_user("Cora", "cora", "");
    Json channel_body = Json::object();
    channel_body["type"] = "channel";
    channel_body["title"] = "News";
    channel_body["username"] = "news";
    channel_body["has_protected_content"] = true;
    channel_body["members"] = Json::array({worker_id});
    const HttpReply channel = control("/control/chats", channel_body);
    ASSERT_EQ(channel.status, 200) << channel.raw;
    channel_id = channel.body.at("id");

    // The curator writes to the worker account directly: ids 1..6 in the worker's chat.
    curator_sends_worker(text_body("hello"));
    Json photo = media_body("photo");
    photo["photo_sizes"] = Json::array({photo_size(320, 1000, 1), photo_size(640, 5000, 2)});
    curator_sends_worker(photo);
    Json document = media_body("document");
    document["file"] = file_spec(kFileSize, kDocumentSeed, "big.bin", "application/zip");
    document_id = curator_sends_worker(document);
    Json video = media_body("video");
    video["file"] = file_spec(2000, 4, "clip.mp4", "video/mp4");
    Json origin = Json::object();
    origin["type"] = "channel";
    origin["chat_id"] = channel_id;
    origin["message_id"] = 55;
    origin["date"] = 1690000000;
    video["forward_origin"] = origin;
    curator_sends_worker(video);
    Json voice = media_body("voice");
    voice["file"] = file_spec(300, 5, "", "audio/ogg");
    curator_sends_worker(voice);
    Json sticker = media_body("sticker_video");
    sticker["file"] = file_spec(300, 6, "s.webm", "video/webm");
    curator_sends_worker(sticker);
  }

  static Json text_body(const std::string& text) {
    Json body = Json::object();
    body["kind"] = "text";
    body["text"] = text;
    return body;
  }
  static Json media_body(const std::string& kind) {
    Json body = Json::object();
    body["kind"] = kind;
    body["caption"] = "cap";
    return body;
  }
  // POST /control/send from the curator to the worker; the message id in the worker's box.
  std::int64_t curator_sends_worker(Json body) {
    body["from_user_id"] = curator_id;
    body["chat_id"] = worker_id;
    const HttpReply reply = control("/control/send", body);
    if (reply.status != 200) throw std::runtime_error("control send failed: " + reply.raw);
    return reply.body.at("message_ids").at(std::to_string(worker_id));
  }

  Json history(tdlib::TdClient& client) { return ok_call(client, history_request(curator_id)); }
  Json document_message(tdlib::TdClient& client) {
    return ok_call(client, get_message_request(curator_id, document_id * kTdIdFactor));
  }
  std::int64_t document_file_id(tdlib::TdClient& client) {
    return document_message(client)["content"]["document"]["document"]["id"];
  }

  std::int64_t curator_id = 0;
  std::int64_t channel_id = 0;
  std::int64_t document_id = 0;
};

TEST_F(StandInDataTest, ChatsResolveWithTdApiShapes) {
  UpdateLog log;
  auto client = new_client(log);
  log_in(*client);
  // searchPublicChat username:string = Chat; chat id:int53 type:ChatType title:string ...
  Json search = td("searchPublicChat");
  search["username"] = "archiver_bot";
  auto bot_chat = ok_call(*client, search);
  EXPECT_EQ(bot_chat["@type"], "chat");
  EXPECT_EQ(bot_chat["id"], bot_id);
  // chatTypePrivate user_id:int53 = ChatType;
  EXPECT_EQ(bot_chat["type"]["@type"], "chatTypePrivate");
  EXPECT_EQ(bot_chat["type"]["user_id"], bot_id);
  // createPrivateChat user_id:int53 force:Bool = Chat;
  Json create = td("createPrivateChat");
  create["user_id"] = curator_id;
  create["force"] = false;
  EXPECT_EQ(ok_call(*client, create)["id"], curator_id);
  // getChat chat_id:int53 = Chat; chatTypeSupergroup supergroup_id:int53 is_channel:Bool = ChatType;
  Json get_chat = td("getChat");
  get_chat["chat_id"] = channel_id;
  auto channel = ok_call(*client, get_chat);
  EXPECT_EQ(channel["title"], "News");
  EXPECT_EQ(channel["type"]["@type"], "chatTypeSupergroup");
  EXPECT_EQ(channel["type"]["supergroup_id"], -channel_id - 1000000000000);
  EXPECT_EQ(channel["type"]["is_channel"], true);
  EXPECT_EQ(channel["has_protected_content"], true);
  search["username"] = "nobody_here";
  auto missing = client->call(search, kWait);
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
  EXPECT_EQ(sticker["id"], 6 * kTdIdFactor);
  // messageSender: messageSenderUser user_id:int53 = MessageSender;
  EXPECT_EQ(sticker["sender_id"]["@type"], "messageSenderUser");
  EXPECT_EQ(sticker["sender_id"]["user_id"], curator_id);
  EXPECT_EQ(sticker["is_outgoing"], false);
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
  EXPECT_EQ(video["forward_info"]["origin"]["chat_id"], channel_id);
  EXPECT_EQ(video["forward_info"]["origin"]["message_id"], 55 * kTdIdFactor);
  // file id:int32 size:int53 expected_size:int53 local:localFile remote:remoteFile = File;
  const auto& file = video["content"]["video"]["video"];
  EXPECT_EQ(file["size"], 2000);
  EXPECT_EQ(file["local"]["@type"], "localFile");
  EXPECT_EQ(file["local"]["is_downloading_completed"], false);
  // remoteFile id:string unique_id:string is_uploading_active:Bool is_uploading_completed:Bool uploaded_size:int53
  EXPECT_EQ(file["remote"]["@type"], "remoteFile");
  EXPECT_FALSE(file["remote"]["unique_id"].get<std::string>().empty());
  EXPECT_FALSE(file["remote"]["id"].get<std::string>().empty());
  // messageDocument document:document caption:formattedText
  EXPECT_EQ(page["messages"][3]["content"]["document"]["mime_type"], "application/zip");
  EXPECT_EQ(page["messages"][3]["content"]["document"]["document"]["size"], kFileSize);
  // messagePhoto photo:photo ...; photo ... sizes:vector<photoSize>; photoSize type:string photo:file width height
  const auto& photo = page["messages"][4]["content"];
  EXPECT_EQ(photo["@type"], "messagePhoto");
  ASSERT_EQ(photo["photo"]["sizes"].size(), 2u);
  EXPECT_EQ(photo["photo"]["sizes"][1]["photo"]["size"], 5000);
  EXPECT_EQ(photo["photo"]["sizes"][1]["width"], 640);
  // messageText text:formattedText ...
  EXPECT_EQ(page["messages"][5]["content"]["@type"], "messageText");
  EXPECT_EQ(page["messages"][5]["content"]["text"]["text"], "hello");

  // getMessage chat_id:int53 message_id:int53 = Message;
  EXPECT_EQ(document_message(*client)["content"]["@type"], "messageDocument");
  auto missing = client->call(get_message_request(curator_id, 77 * kTdIdFactor), kWait);
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, "tdlib.404");

  // searchChatMessages ... filter:SearchMessagesFilter = FoundChatMessages;
  // foundChatMessages total_count:int32 messages:vector<message> next_from_message_id:int53
  Json search = td("searchChatMessages");
  search["chat_id"] = curator_id;
  search["query"] = "";
  search["sender_id"] = nullptr;
  search["from_message_id"] = 0;
  search["offset"] = 0;
  search["limit"] = 10;
  search["filter"] = td("searchMessagesFilterVideo");
  auto found = ok_call(*client, search);
  EXPECT_EQ(found["@type"], "foundChatMessages");
  ASSERT_EQ(found["messages"].size(), 1u);
  EXPECT_EQ(found["messages"][0]["id"], 4 * kTdIdFactor);
  EXPECT_TRUE(found.contains("next_from_message_id"));
}

TEST_F(StandInDataTest, SendMessageStartsTheBotWhichGetsItThroughGetUpdates) {
  UpdateLog log;
  auto client = new_client(log);
  log_in(*client);
  auto sent = ok_call(*client, send_text_request(bot_id, "/start"));
  // message ... is_outgoing:Bool ... content:MessageContent
  EXPECT_EQ(sent["@type"], "message");
  EXPECT_EQ(sent["is_outgoing"], true);
  EXPECT_EQ(sent["content"]["text"]["text"], "/start");
  // Bot API getUpdates (core.telegram.org/bots/api#getupdates): an Update with
  // `message`, whose `from` is the worker and whose chat is the private chat with them.
  Json poll = Json::object();
  poll["timeout"] = 5;
  const HttpReply updates = bot("getUpdates", poll);
  ASSERT_EQ(updates.status, 200) << updates.raw;
  ASSERT_EQ(updates.body["ok"], true);
  ASSERT_EQ(updates.body["result"].size(), 1u) << updates.raw;
  const auto& message = updates.body["result"][0]["message"];
  EXPECT_EQ(message["text"], "/start");
  EXPECT_EQ(message["from"]["id"], worker_id);
  EXPECT_EQ(message["chat"]["id"], worker_id);
  EXPECT_EQ(message["chat"]["type"], "private");
}

TEST_F(StandInDataTest, AsyncDownloadReportsUpdateFileProgressUntilComplete) {
  set_setting("download_speed_bytes_per_second", 8 * 1024 * 1024);  // several progress steps
  UpdateLog log;
  auto client = new_client(log);
  log_in(*client);
  const std::int64_t file_id = document_file_id(*client);
  auto started = ok_call(*client, download_request(file_id, 1, false));
  EXPECT_EQ(started["@type"], "file");
  EXPECT_EQ(started["local"]["is_downloading_active"], true);
  ASSERT_TRUE(log.wait_for([&](const Json& u) {
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
  EXPECT_EQ(read_all(path), seeded_bytes(kDocumentSeed, kFileSize));
}

TEST_F(StandInDataTest, SyncDownloadAnswersWithTheCompletedFileAndDeleteFileRemovesIt) {
  UpdateLog log;
  auto client = new_client(log);
  log_in(*client);
  const std::int64_t file_id = document_file_id(*client);
  auto done = ok_call(*client, download_request(file_id, 32, true));
  EXPECT_EQ(done["local"]["is_downloading_completed"], true);
  EXPECT_EQ(done["local"]["downloaded_size"], kFileSize);
  EXPECT_EQ(read_all(done["local"]["path"]), seeded_bytes(kDocumentSeed, kFileSize));
  // deleteFile file_id:int32 = Ok; the local copy is gone and updateFile says so.
  Json remove = td("deleteFile");
  remove["file_id"] = file_id;
  EXPECT_EQ(ok_call(*client, remove)["@type"], "ok");
  EXPECT_FALSE(std::filesystem::exists(done["local"]["path"].get<std::string>()));
  EXPECT_TRUE(log.wait_for([&](const Json& u) {
    return u["@type"] == "updateFile" && u["file"]["id"] == file_id && u["file"]["local"]["downloaded_size"] == 0;
  }));
  // downloadFile: priority must be 1..32.
  EXPECT_FALSE(client->call(download_request(file_id, 0, true), kWait).has_value());
}

TEST_F(StandInDataTest, CancelledDownloadResumesFromThePartialFileAfterRestart) {
  set_setting("download_speed_bytes_per_second", 1024 * 1024);  // ~3 s for the file: time to cancel
  std::int64_t partial = 0;
  {
    UpdateLog log;
    auto client = new_client(log);
    log_in(*client);
    const std::int64_t file_id = document_file_id(*client);
    ok_call(*client, download_request(file_id, 1, false));
    ASSERT_TRUE(log.wait_for([&](const Json& u) {
      return u["@type"] == "updateFile" && u["file"]["local"]["downloaded_prefix_size"] > 0;
    }));
    // cancelDownloadFile file_id:int32 only_if_pending:Bool = Ok;
    Json cancel = td("cancelDownloadFile");
    cancel["file_id"] = file_id;
    cancel["only_if_pending"] = false;
    ok_call(*client, cancel);
    ASSERT_TRUE(log.wait_for([&](const Json& u) {
      return u["@type"] == "updateFile" && u["file"]["local"]["is_downloading_active"] == false &&
             u["file"]["local"]["downloaded_prefix_size"] > 0;
    }));
    partial = document_message(*client)["content"]["document"]["document"]["local"]["downloaded_prefix_size"];
    ASSERT_GT(partial, 0);
    ASSERT_LT(partial, kFileSize);
    ASSERT_TRUE(client->close().has_value());
  }
  set_setting("download_speed_bytes_per_second", 0);
  UpdateLog log;
  auto client = new_client(log);
  ok_call(*client, parameters());
  ASSERT_TRUE(client->wait_for_authorization_state("authorizationStateReady", kWait));
  const auto file = document_message(*client)["content"]["document"]["document"];
  EXPECT_EQ(file["local"]["downloaded_prefix_size"], partial);  // picked up from disk
  auto done = ok_call(*client, download_request(file["id"], 1, true));
  EXPECT_EQ(done["local"]["is_downloading_completed"], true);
  EXPECT_EQ(read_all(done["local"]["path"]), seeded_bytes(kDocumentSeed, kFileSize));
}

TEST_F(StandInDataTest, ExpiredFileReferenceIsRepairedOnceThenReported) {
  UpdateLog log;
  auto client = new_client(log);
  log_in(*client);
  const std::int64_t video_id = history(*client)["messages"][2]["content"]["video"]["video"]["id"];
  account_fault("file", "file_reference_expired", 1);
  auto repaired = ok_call(*client, download_request(video_id, 1, true));
  EXPECT_EQ(repaired["local"]["is_downloading_completed"], true);
  EXPECT_EQ(read_all(repaired["local"]["path"]), seeded_bytes(4, 2000));

  const std::int64_t voice_id = history(*client)["messages"][1]["content"]["voice_note"]["voice"]["id"];
  account_fault("file", "file_reference_expired", 2);
  auto failed = client->call(download_request(voice_id, 1, true), kWait);
  ASSERT_FALSE(failed.has_value());
  // TDLib's text when a file reference cannot be repaired.
  EXPECT_EQ(failed.error().message, "Can't download file: have no valid file reference");
}

TEST_F(StandInDataTest, NetworkDownIsWaitedOutWithConnectionStateUpdates) {
  UpdateLog log;
  auto client = new_client(log);
  log_in(*client);
  const std::int64_t file_id = history(*client)["messages"][2]["content"]["video"]["video"]["id"];
  account_fault("file", "network_down", 3);
  auto done = ok_call(*client, download_request(file_id, 1, true));
  EXPECT_EQ(done["local"]["is_downloading_completed"], true);
  EXPECT_EQ(read_all(done["local"]["path"]), seeded_bytes(4, 2000));
  // updateConnectionState state:ConnectionState; connectionStateConnecting / connectionStateReady
  std::vector<std::string> states;
  for (const auto& update : log.all()) {
    if (update["@type"] == "updateConnectionState") states.push_back(update["state"]["@type"]);
  }
  EXPECT_EQ(states, (std::vector<std::string>{"connectionStateConnecting", "connectionStateReady"}));
}

// The archive path end to end across both APIs: a curator sends a document to the bot,
// the bot copies it into its chat with the worker account (which started the bot through
// the stand-in), and the worker finds it there by remote.unique_id == file_unique_id and
// downloads the same bytes the Bot API serves.
TEST_F(StandInDataTest, DocumentCopiedByTheBotIsFoundByUniqueIdAndDownloadedWithTheSameBytes) {
  constexpr std::int64_t kCopiedSize = 1536 * 1024 + 7;
  Json document = media_body("document");
  document["file"] = file_spec(kCopiedSize, 77, "report.pdf", "application/pdf");
  document["from_user_id"] = curator_id;
  document["chat_id"] = bot_id;
  const HttpReply to_bot = control("/control/send", document);
  ASSERT_EQ(to_bot.status, 200) << to_bot.raw;

  UpdateLog log;
  auto client = new_client(log);
  log_in(*client);
  ok_call(*client, send_text_request(bot_id, "/start"));

  // Bot API getUpdates: the curator's document, then the worker's /start.
  Json poll = Json::object();
  poll["timeout"] = 5;
  const HttpReply updates = bot("getUpdates", poll);
  ASSERT_EQ(updates.status, 200) << updates.raw;
  Json bot_document;
  std::int64_t bot_message_id = 0;
  bool worker_started = false;
  for (const auto& update : updates.body["result"]) {
    const auto& message = update["message"];
    if (message.contains("document")) {
      bot_document = message["document"];
      bot_message_id = message["message_id"];
    }
    if (message.value("text", "") == "/start" && message["from"]["id"] == worker_id) worker_started = true;
  }
  ASSERT_TRUE(bot_document.is_object()) << updates.raw;
  ASSERT_TRUE(worker_started) << updates.raw;
  // Document: file_id, file_unique_id, file_name, mime_type, file_size (bots/api#document).
  const std::string unique_id = bot_document["file_unique_id"];
  EXPECT_EQ(bot_document["file_size"], kCopiedSize);

  // copyMessage chat_id, from_chat_id, message_id -> MessageId (bots/api#copymessage).
  Json copy = Json::object();
  copy["chat_id"] = worker_id;
  copy["from_chat_id"] = curator_id;
  copy["message_id"] = bot_message_id;
  const HttpReply copied = bot("copyMessage", copy);
  ASSERT_EQ(copied.status, 200) << copied.raw;
  ASSERT_TRUE(copied.body["result"].contains("message_id")) << copied.raw;

  // The bytes the Bot API serves: getFile, then /file/bot<token>/<file_path> (bots/api#getfile).
  Json get_file = Json::object();
  get_file["file_id"] = bot_document["file_id"];
  const HttpReply file_info = bot("getFile", get_file);
  ASSERT_EQ(file_info.status, 200) << file_info.raw;
  const std::string file_path = file_info.body["result"]["file_path"];
  const auto bot_bytes = http->Get("/file/bot" + bot_token + "/" + file_path);
  ASSERT_TRUE(bot_bytes);
  ASSERT_EQ(bot_bytes->status, 200);

  // The worker's side: its chat with the bot (chat id = the bot's user id).
  const auto page = ok_call(*client, history_request(bot_id));
  Json found_file;
  for (const auto& message : page["messages"]) {
    if (message["content"]["@type"] != "messageDocument") continue;
    // remoteFile ... unique_id:string: the same file_unique_id as the Bot API's.
    const auto& file = message["content"]["document"]["document"];
    if (file["remote"]["unique_id"] == unique_id) found_file = file;
  }
  ASSERT_TRUE(found_file.is_object()) << page.dump();
  EXPECT_EQ(found_file["size"], kCopiedSize);
  auto done = ok_call(*client, download_request(found_file["id"], 1, true));
  EXPECT_EQ(done["local"]["is_downloading_completed"], true);
  EXPECT_EQ(done["local"]["downloaded_size"], kCopiedSize);
  const std::string downloaded = read_all(done["local"]["path"]);
  EXPECT_EQ(downloaded.size(), static_cast<std::size_t>(kCopiedSize));
  EXPECT_TRUE(downloaded == bot_bytes->body) << "stand-in and Bot API bytes differ";
  EXPECT_TRUE(downloaded == seeded_bytes(77, kCopiedSize));
}

}  // namespace
}  // namespace teltubby::testing
