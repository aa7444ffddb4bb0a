// The worker's account (TdAccount) and its file source (TdlibFileSource) through the
// stand-in libtdjson against the real fake world: what a curator sends and what the bot
// copies is what the account finds and downloads.
#include <sys/stat.h>

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <string>
#include <vector>

#include "mtproto/td_account.hpp"
#include "mtproto/tdlib_file_source.hpp"
#include "stand_in_fixture.hpp"

namespace teltubby::testing {
namespace {

using mtproto::LoginStep;
using mtproto::LoginView;

Json file_spec(std::int64_t size, std::uint64_t seed, const std::string& name) {
  Json file = Json::object();
  file["size"] = size;
  file["seed"] = seed;
  file["file_name"] = name;
  file["mime_type"] = "application/octet-stream";
  return file;
}

// Regular files under `directory` (TDLib's cache), counted recursively.
std::size_t files_under(const std::filesystem::path& directory) {
  std::size_t count = 0;
  std::error_code error;
  for (auto it = std::filesystem::recursive_directory_iterator(directory, error);
       it != std::filesystem::recursive_directory_iterator(); ++it) {
    if (it->is_regular_file()) ++count;
  }
  return count;
}

class AccountSourceTest : public StandInTest {
 protected:
  mtproto::AccountSettings account_settings() const {
    return mtproto::AccountSettings{.session_directory = dir / "session",
                                    .files_directory = dir / "work" / "tdlib-files",
                                    .database_key = "",
                                    .api_id = 12345,
                                    .api_hash = "0123456789abcdef0123456789abcdef",
                                    .application_version = "test",
                                    .request_timeout = std::chrono::seconds{20}};
  }
  std::unique_ptr<mtproto::TdAccount> new_account() {
    return std::make_unique<mtproto::TdAccount>(library, account_settings());
  }
  static bool wait_step(const mtproto::TdAccount& account, LoginStep step) {
    return account.wait_for([step](const LoginView& view) { return view.step == step; }, kWait);
  }
  // Phone + code, no 2FA.
  void log_in(mtproto::TdAccount& account) {
    ASSERT_TRUE(wait_step(account, LoginStep::needs_phone));
    ASSERT_TRUE(account.send_phone(kWorkerPhone));
    ASSERT_TRUE(wait_step(account, LoginStep::needs_code));
    ASSERT_TRUE(account.send_code(kWorkerCode));
    ASSERT_TRUE(wait_step(account, LoginStep::ready));
  }

  // The curator sends a document to the bot; the bot copies it to the worker account
  // (what BotJobQueue does). Returns the Bot API file_unique_id.
  std::string curator_document_copied_to_worker(std::int64_t size, std::uint64_t seed) {
    if (curator_id == 0) curator_id = create_user("Cora", "cora", "");
    Json document = Json::object();
    document["kind"] = "document";
    document["file"] = file_spec(size, seed, "big.bin");
    document["from_user_id"] = curator_id;
    document["chat_id"] = bot_id;
    const HttpReply sent = control("/control/send", document);
    EXPECT_EQ(sent.status, 200) << sent.raw;
    const std::int64_t bot_message_id = sent.body.at("bot_message_id");
    // The worker starts the bot once (a bot cannot write first), then the bot copies.
    Json start = Json::object();
    start["from_user_id"] = worker_id;
    start["chat_id"] = bot_id;
    start["kind"] = "text";
    start["text"] = "/start";
    EXPECT_EQ(control("/control/send", start).status, 200);
    Json copy = Json::object();
    copy["chat_id"] = worker_id;
    copy["from_chat_id"] = curator_id;
    copy["message_id"] = bot_message_id;
    const HttpReply copied = bot("copyMessage", copy);
    EXPECT_EQ(copied.status, 200) << copied.raw;
    return sent.body.at("message").at("files").at(0).at("unique_id");
  }

  queue::JobMessage job_for(const std::string& unique_id, std::int64_t size) const {
    queue::JobMessage job;
    job.job_id = "00000000-0000-4000-8000-000000000001";
    job.user_id = curator_id;
    job.chat_id = curator_id;
    job.message_id = 1;
    job.file_info.file_unique_id = unique_id;
    job.file_info.file_size = size;
    job.file_info.file_type = "document";
    return job;
  }

  mtproto::AccountContext context_for(mtproto::TdAccount& account) {
    return mtproto::AccountContext{.account = [&account]() -> std::optional<mtproto::AccountInfo> {
                                     auto me = account.me();
                                     if (!me) return std::nullopt;
                                     return *me;
                                   },
                                   .bot_chat_id = [this] { return bot_id; }};
  }

  std::int64_t curator_id = 0;
};

struct Collected {
  std::string bytes;
  std::vector<std::int64_t> progress;
  worker::ChunkSink sink() {
    return [this](std::span<const std::byte> piece) -> Status {
      bytes.append(reinterpret_cast<const char*>(piece.data()), piece.size());  // NOLINT
      return {};
    };
  }
  worker::ProgressCallback on_progress() {
    return [this](std::int64_t done, std::int64_t) { progress.push_back(done); };
  }
};

const worker::CancelCheck kNeverCancel = [] { return false; };

TEST_F(AccountSourceTest, LoginWithCodeAndPasswordReportsWrongInputAndTheSessionSurvivesARestart) {
  create_user("Twofa", "twofa", "+15550009", "secret pw", "pet");
  {
    auto account = new_account();
    account->start();
    ASSERT_TRUE(wait_step(*account, LoginStep::needs_phone));
    ASSERT_TRUE(account->send_phone("+15550009"));
    ASSERT_TRUE(wait_step(*account, LoginStep::needs_code));
    auto wrong = account->send_code("99999");
    ASSERT_FALSE(wrong);
    EXPECT_EQ(mtproto::login_problem(wrong.error()), mtproto::LoginProblem::wrong_code);
    ASSERT_TRUE(account->send_code(kWorkerCode));
    ASSERT_TRUE(wait_step(*account, LoginStep::needs_password));
    EXPECT_EQ(account->login().password_hint, "pet");
    auto wrong_password = account->send_password("not it");
    ASSERT_FALSE(wrong_password);
    EXPECT_EQ(mtproto::login_problem(wrong_password.error()), mtproto::LoginProblem::wrong_password);
    ASSERT_TRUE(account->send_password("secret pw"));
    ASSERT_TRUE(wait_step(*account, LoginStep::ready));
    auto me = account->me();
    ASSERT_TRUE(me) << me.error().describe();
    EXPECT_EQ(me->first_name, "Twofa");
    EXPECT_FALSE(me->premium);
    EXPECT_EQ(me->max_file_bytes(), mtproto::kMaxFileBytes);
    ASSERT_TRUE(account->close());
  }
  struct stat info {};
  ASSERT_EQ(::stat((dir / "session").c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0700U);
  // A restarted worker: same session directory, no new login.
  auto again = new_account();
  again->start();
  ASSERT_TRUE(wait_step(*again, LoginStep::ready));
}

TEST_F(AccountSourceTest, QrLoginShowsALinkAndIsReadyOnceThePhoneScansIt) {
  auto account = new_account();
  account->start();
  ASSERT_TRUE(wait_step(*account, LoginStep::needs_phone));
  ASSERT_TRUE(account->request_qr());
  ASSERT_TRUE(wait_step(*account, LoginStep::needs_qr_scan));
  const std::string link = account->login().qr_link;
  EXPECT_TRUE(link.starts_with("tg://login?token=")) << link;
  Json scan = Json::object();
  scan["link"] = link;
  scan["user_id"] = worker_id;
  ASSERT_EQ(control("/control/account/scan_qr", scan).status, 200);
  ASSERT_TRUE(wait_step(*account, LoginStep::ready));
}

TEST_F(AccountSourceTest, FileCopiedToTheBotChatIsDownloadedWithProgressAndLeavesNothingInTheCache) {
  constexpr std::int64_t kSize = 5 * 1024 * 1024 + 17;
  auto account = new_account();
  mtproto::TdlibFileSource source(*account, context_for(*account),
                                  mtproto::TdlibSourceSettings{.locate_patience = std::chrono::seconds{5}});
  account->start();
  log_in(*account);
  const std::string unique_id = curator_document_copied_to_worker(kSize, 91);
  set_setting("download_speed_bytes_per_second", 8 * 1024 * 1024);  // progress in several steps

  Collected collected;
  auto status = source.download(job_for(unique_id, kSize), collected.sink(), collected.on_progress(), kNeverCancel);
  ASSERT_TRUE(status) << status.error().describe();
  EXPECT_EQ(collected.bytes.size(), static_cast<std::size_t>(kSize));
  EXPECT_TRUE(collected.bytes == seeded_bytes(91, kSize)) << "the bytes differ from the world's file";
  ASSERT_FALSE(collected.progress.empty());
  EXPECT_GT(collected.progress.size(), 2U);
  EXPECT_EQ(collected.progress.back(), kSize);
  EXPECT_EQ(files_under(dir / "work" / "tdlib-files"), 0U) << "deleteFile must empty TDLib's cache";
}

TEST_F(AccountSourceTest, ProtectedMessageForwardedFromAPublicChannelIsOpenedInTheChannel) {
  constexpr std::int64_t kSize = 300 * 1024;
  auto account = new_account();
  mtproto::TdlibFileSource source(*account, context_for(*account),
                                  mtproto::TdlibSourceSettings{.locate_patience = std::chrono::milliseconds{500}});
  account->start();
  log_in(*account);
  curator_id = create_user("Cora", "cora", "");
  const std::int64_t owner = create_user("Owner", "owner", "");
  Json channel_body = Json::object();
  channel_body["type"] = "channel";
  channel_body["title"] = "Public News";
  channel_body["username"] = "publicnews";
  channel_body["has_protected_content"] = true;
  channel_body["members"] = Json::array({owner, curator_id});
  const HttpReply channel = control("/control/chats", channel_body);
  ASSERT_EQ(channel.status, 200) << channel.raw;
  const std::int64_t channel_id = channel.body.at("id");
  Json post = Json::object();
  post["kind"] = "video";
  post["file"] = file_spec(kSize, 17, "clip.mp4");
  post["from_user_id"] = owner;
  post["chat_id"] = channel_id;
  post["sender_chat_id"] = channel_id;
  const HttpReply posted = control("/control/send", post);
  ASSERT_EQ(posted.status, 200) << posted.raw;
  const std::string unique_id = posted.body.at("message").at("files").at(0).at("unique_id");
  const std::int64_t post_id = posted.body.at("message").at("id");

  // The job as the bot makes it for the curator's forward (the copy was refused).
  auto job = job_for(unique_id, kSize);
  Json origin_chat = Json::object();
  origin_chat["id"] = channel_id;
  origin_chat["type"] = "channel";
  origin_chat["username"] = "publicnews";
  Json origin = Json::object();
  origin["type"] = "channel";
  origin["chat"] = origin_chat;
  origin["message_id"] = post_id;
  job.telegram_context.forward_origin = origin;

  Collected collected;
  auto status = source.download(job, collected.sink(), collected.on_progress(), kNeverCancel);
  ASSERT_TRUE(status) << status.error().describe();
  EXPECT_TRUE(collected.bytes == seeded_bytes(17, kSize));
}

TEST_F(AccountSourceTest, AFileTheAccountCannotReachFailsAsNotFoundAfterLookingForAWhile) {
  auto account = new_account();
  mtproto::TdlibFileSource source(*account, context_for(*account),
                                  mtproto::TdlibSourceSettings{.locate_patience = std::chrono::milliseconds{600},
                                                               .locate_interval = std::chrono::milliseconds{200}});
  account->start();
  log_in(*account);
  Collected collected;
  auto status = source.download(job_for("AgADnowhere", 1000), collected.sink(), collected.on_progress(), kNeverCancel);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().kind, ErrorKind::not_found) << status.error().describe();
  EXPECT_NE(status.error().message.find("not reachable"), std::string::npos);
}

TEST_F(AccountSourceTest, ACancelledDownloadStopsAtTheNextCheckpoint) {
  constexpr std::int64_t kSize = 20 * 1024 * 1024;
  auto account = new_account();
  mtproto::TdlibFileSource source(*account, context_for(*account));
  account->start();
  log_in(*account);
  const std::string unique_id = curator_document_copied_to_worker(kSize, 5);
  set_setting("download_speed_bytes_per_second", 1024 * 1024);  // 20 s for the whole file
  std::atomic<bool> cancel{false};
  Collected collected;
  auto progress = [&](std::int64_t done, std::int64_t) {
    if (done > 0) cancel = true;  // the first bytes arrived: an admin cancels now
  };
  auto status = source.download(job_for(unique_id, kSize), collected.sink(), progress, [&] { return cancel.load(); });
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().kind, ErrorKind::cancelled);
  EXPECT_TRUE(collected.bytes.empty()) << "nothing reaches the sink before the file is complete";
}

TEST_F(AccountSourceTest, ARevokedSessionMakesTheDownloadWaitForANewLoginInsteadOfFailing) {
  auto account = new_account();
  mtproto::TdlibFileSource source(*account, context_for(*account),
                                  mtproto::TdlibSourceSettings{.locate_patience = std::chrono::milliseconds{300}});
  account->start();
  log_in(*account);
  const std::string unique_id = curator_document_copied_to_worker(4096, 8);
  Json revoke = Json::object();
  revoke["user_id"] = worker_id;
  revoke["reason"] = "revoked";
  ASSERT_EQ(control("/control/account/revoke", revoke).status, 200);
  ASSERT_TRUE(wait_step(*account, LoginStep::closed));
  Collected collected;
  auto status = source.download(job_for(unique_id, 4096), collected.sink(), collected.on_progress(), kNeverCancel);
  ASSERT_FALSE(status);
  EXPECT_EQ(status.error().code, "source.unauthorized") << status.error().describe();
  // A fresh client on the same directories asks for a login again.
  account->restart();
  ASSERT_TRUE(wait_step(*account, LoginStep::needs_phone));
}

}  // namespace
}  // namespace teltubby::testing
