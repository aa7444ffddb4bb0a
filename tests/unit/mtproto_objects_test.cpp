// Reading TDLib's objects and answers the way the worker relies on (mtproto/td_objects,
// download_error). Objects are built field by field, shaped as td_api.tl defines them.
#include <gtest/gtest.h>

#include "mtproto/tdlib_file_source.hpp"
#include "mtproto/td_objects.hpp"

namespace teltubby::mtproto {
namespace {

using nlohmann::json;

// file id:int32 size:int53 expected_size:int53 local:localFile remote:remoteFile = File;
json td_file(int id, const std::string& unique_id, std::int64_t size) {
  json file = json::object();
  file["@type"] = "file";
  file["id"] = id;
  file["size"] = size;
  file["expected_size"] = size;
  json local = json::object();
  local["path"] = "/tmp/x";
  local["downloaded_size"] = size / 2;
  local["is_downloading_active"] = true;
  local["is_downloading_completed"] = false;
  file["local"] = local;
  json remote = json::object();
  remote["unique_id"] = unique_id;
  file["remote"] = remote;
  return file;
}

json message_with(const std::string& content_type, const std::string& object_key, const std::string& file_key,
                  const json& file) {
  json inner = json::object();
  inner[file_key] = file;
  json content = json::object();
  content["@type"] = content_type;
  content[object_key] = inner;
  json message = json::object();
  message["@type"] = "message";
  message["id"] = 5 << 20;
  message["content"] = content;
  return message;
}

TEST(MtprotoObjects, MessageIdsAreServerIdsTimesTwoToTheTwenty) {
  EXPECT_EQ(tdlib_message_id(1), 1048576);
  EXPECT_EQ(tdlib_message_id(55), 55LL * 1048576);
}

TEST(MtprotoObjects, FileViewReadsLocalAndRemoteParts) {
  const FileView view = file_view(td_file(7, "AgADxyz", 1000));
  EXPECT_EQ(view.id, 7);
  EXPECT_EQ(view.unique_id, "AgADxyz");
  EXPECT_EQ(view.size, 1000);
  EXPECT_EQ(view.downloaded_size, 500);
  EXPECT_TRUE(view.downloading);
  EXPECT_FALSE(view.completed);
  EXPECT_EQ(view.local_path, "/tmp/x");
}

TEST(MtprotoObjects, MalformedFileReadsAsEmptyInsteadOfThrowing) {
  json broken = json::object();
  broken["id"] = "seven";
  broken["local"] = 3;
  const FileView view = file_view(broken);
  EXPECT_EQ(view.id, 0);
  EXPECT_EQ(view.local_path, "");
  EXPECT_TRUE(files_in_message(json("not a message")).empty());
}

TEST(MtprotoObjects, DocumentVideoVoiceAndStickerFilesAreFoundByUniqueId) {
  EXPECT_TRUE(find_file(message_with("messageDocument", "document", "document", td_file(1, "doc", 10)), "doc"));
  EXPECT_TRUE(find_file(message_with("messageVideo", "video", "video", td_file(2, "vid", 10)), "vid"));
  EXPECT_TRUE(find_file(message_with("messageVoiceNote", "voice_note", "voice", td_file(3, "voi", 10)), "voi"));
  EXPECT_TRUE(find_file(message_with("messageVideoNote", "video_note", "video", td_file(4, "vno", 10)), "vno"));
  EXPECT_TRUE(find_file(message_with("messageSticker", "sticker", "sticker", td_file(5, "stk", 10)), "stk"));
  EXPECT_TRUE(find_file(message_with("messageAnimation", "animation", "animation", td_file(6, "ani", 10)), "ani"));
  EXPECT_TRUE(find_file(message_with("messageAudio", "audio", "audio", td_file(7, "aud", 10)), "aud"));
  EXPECT_FALSE(find_file(message_with("messageDocument", "document", "document", td_file(1, "doc", 10)), "other"));
  EXPECT_FALSE(find_file(message_with("messageDocument", "document", "document", td_file(1, "doc", 10)), ""));
}

TEST(MtprotoObjects, EveryPhotoSizeIsACandidateSoTheArchivedSizeMatches) {
  // messagePhoto photo:photo; photo sizes:vector<photoSize>; photoSize type:string photo:file ...
  json sizes = json::array();
  for (int i = 0; i < 3; ++i) {
    json size = json::object();
    size["@type"] = "photoSize";
    size["photo"] = td_file(10 + i, "size" + std::to_string(i), 100 * (i + 1));
    sizes.push_back(size);
  }
  json photo = json::object();
  photo["sizes"] = sizes;
  json content = json::object();
  content["@type"] = "messagePhoto";
  content["photo"] = photo;
  json message = json::object();
  message["content"] = content;
  EXPECT_EQ(files_in_message(message).size(), 3U);
  auto middle = find_file(message, "size1");
  ASSERT_TRUE(middle);
  EXPECT_EQ(file_view(*middle).id, 11);
}

TEST(MtprotoObjects, OnlyAChannelOriginWithAUsernameCanBeOpenedDirectly) {
  json chat = json::object();
  chat["id"] = -1001;
  chat["type"] = "channel";
  chat["username"] = "news";
  json origin = json::object();
  origin["type"] = "channel";
  origin["chat"] = chat;
  origin["message_id"] = 55;
  EXPECT_EQ(public_channel_origin(origin), (ChannelOrigin{"news", 55}));
  origin["chat"].erase("username");
  EXPECT_FALSE(public_channel_origin(origin));
  origin["type"] = "user";
  EXPECT_FALSE(public_channel_origin(origin));
  EXPECT_FALSE(public_channel_origin(json()));
}

TEST(MtprotoObjects, AuthorizationStatesBecomeLoginSteps) {
  auto state = [](const std::string& type) {
    json s = json::object();
    s["@type"] = type;
    return s;
  };
  EXPECT_EQ(login_view(state("authorizationStateWaitTdlibParameters")).step, LoginStep::starting);
  EXPECT_EQ(login_view(state("authorizationStateWaitPhoneNumber")).step, LoginStep::needs_phone);
  EXPECT_EQ(login_view(state("authorizationStateReady")).step, LoginStep::ready);
  EXPECT_EQ(login_view(state("authorizationStateLoggingOut")).step, LoginStep::closing);
  EXPECT_EQ(login_view(state("authorizationStateClosed")).step, LoginStep::closed);
  EXPECT_EQ(login_view(state("authorizationStateWaitRegistration")).step, LoginStep::unsupported);
  json qr = state("authorizationStateWaitOtherDeviceConfirmation");
  qr["link"] = "tg://login?token=abc";
  EXPECT_EQ(login_view(qr).step, LoginStep::needs_qr_scan);
  EXPECT_EQ(login_view(qr).qr_link, "tg://login?token=abc");
  json password = state("authorizationStateWaitPassword");
  password["password_hint"] = "pet";
  EXPECT_EQ(login_view(password).password_hint, "pet");
  EXPECT_EQ(login_view(json()).step, LoginStep::starting);
}

TEST(MtprotoObjects, LoginErrorsSayWhatToDoAndNeverEchoTheInput) {
  const Error wrong{ErrorKind::permanent, "tdlib.400", "PHONE_CODE_INVALID", {}};
  EXPECT_EQ(login_problem(wrong), LoginProblem::wrong_code);
  EXPECT_EQ(login_problem(Error{ErrorKind::permanent, "tdlib.400", "PHONE_CODE_EXPIRED", {}}),
            LoginProblem::expired_code);
  EXPECT_EQ(login_problem(Error{ErrorKind::permanent, "tdlib.400", "PASSWORD_HASH_INVALID", {}}),
            LoginProblem::wrong_password);
  const Error flood{ErrorKind::retryable, "tdlib.429", "Too Many Requests: retry after 300", std::chrono::seconds{300}};
  EXPECT_EQ(login_problem(flood), LoginProblem::flood_wait);
  EXPECT_NE(describe(LoginProblem::flood_wait, flood).find("300 s"), std::string::npos);
  EXPECT_EQ(login_problem(Error{ErrorKind::permanent, "tdlib.400", "PHONE_NUMBER_INVALID", {}}),
            LoginProblem::bad_phone);
  EXPECT_EQ(account_suspension("USER_DEACTIVATED_BAN"), "the account is banned by Telegram");
  EXPECT_EQ(account_suspension("USER_DEACTIVATED"), "the account is deactivated");
  EXPECT_EQ(account_suspension("Unauthorized"), "");
}

TEST(MtprotoObjects, DownloadErrorsTellTheJobWhatToDoNext) {
  EXPECT_EQ(download_error(Error{ErrorKind::permanent, "tdlib.401", "Unauthorized", {}}).code, "source.unauthorized");
  EXPECT_EQ(download_error(Error{ErrorKind::cancelled, "tdlib.closed", "closed", {}}).code, "source.unauthorized");
  const Error flood = download_error(
      Error{ErrorKind::retryable, "tdlib.429", "Too Many Requests: retry after 30", std::chrono::seconds{30}});
  EXPECT_EQ(flood.kind, ErrorKind::retryable);
  EXPECT_EQ(flood.retry_after, std::chrono::seconds{30});
  EXPECT_EQ(download_error(Error{ErrorKind::permanent, "tdlib.400", "Can't download file: have no valid file reference",
                                 {}})
                .code,
            "source.file_reference");
  EXPECT_EQ(download_error(Error{ErrorKind::permanent, "tdlib.400", "Download has been canceled", {}}).kind,
            ErrorKind::retryable);
  EXPECT_EQ(download_error(Error{ErrorKind::not_found, "tdlib.404", "Not Found", {}}).kind, ErrorKind::not_found);
}

TEST(MtprotoObjects, ParametersCarryTheDirectoriesAndTheKeyInBase64) {
  TdlibParameters parameters;
  parameters.database_directory = "/data/mtproto";
  parameters.files_directory = "/work/tdlib-files";
  parameters.database_encryption_key = "key";
  parameters.api_id = 12345;
  parameters.api_hash = "0123456789abcdef0123456789abcdef";
  const json request = set_tdlib_parameters_request(parameters);
  EXPECT_EQ(request["@type"], "setTdlibParameters");
  EXPECT_EQ(request["database_directory"], "/data/mtproto");
  EXPECT_EQ(request["files_directory"], "/work/tdlib-files");
  EXPECT_EQ(request["database_encryption_key"], "a2V5");  // base64("key")
  EXPECT_EQ(request["api_id"], 12345);
  parameters.database_encryption_key = "";
  EXPECT_EQ(set_tdlib_parameters_request(parameters)["database_encryption_key"], "");
}

}  // namespace
}  // namespace teltubby::mtproto
