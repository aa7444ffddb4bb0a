// Acceptance, issue 7, end to end: `teltubby worker` on TDLib (the stand-in libtdjson
// against the fake world) logs its account in through the bot — the admins are told
// what to send, /mtcode, /mtpass and /mtqr carry their input over the control queue —
// then finds and downloads large files with its own account, with the real
// `teltubby bot`, the shared RabbitMQ and the S3 test server.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "e2e/jobs_fixture.hpp"
#include "seeded_bytes.hpp"
#include "storage/crypto.hpp"
#include "support/seeded_sha256.hpp"
#include "support/wait.hpp"

namespace teltubby::e2e {
namespace {

using store::JobState;

using test::seeded_sha256;

// "12345" -> "1-2-3-4-5": how an admin types a code so that Telegram does not void it.
std::string dashed(const std::string& code) {
  std::string out;
  for (char c : code) {
    if (!out.empty()) out += '-';
    out += c;
  }
  return out;
}

// Regular files under `directory` and their total size.
std::pair<std::size_t, std::uintmax_t> files_and_bytes(const std::filesystem::path& directory) {
  std::size_t count = 0;
  std::uintmax_t bytes = 0;
  std::error_code error;
  for (auto it = std::filesystem::recursive_directory_iterator(directory, error);
       it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
    if (error) break;
    if (it->is_regular_file(error)) {
      ++count;
      bytes += it->file_size(error);
    }
  }
  return {count, bytes};
}

class BotMtproto : public JobsFixture {
 protected:
  BotMtproto() {
    tdlib_worker_ = true;
    worker_password_ = "correct horse";
  }

  Json text_as_curator(const std::string& text) { return send_as_curator(Json{{"kind", "text"}, {"text", text}}); }

  // The next message the bot sent the curator (an admin) whose text contains `needle`.
  BotReply reply_containing(const std::string& needle, std::chrono::milliseconds timeout = 60s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string seen;
    while (std::chrono::steady_clock::now() < deadline) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      BotReply reply = next_reply(std::max(left, 1ms));
      if (reply.text.find(needle) != std::string::npos) return reply;
      seen += "\n  " + reply.text;
    }
    throw std::runtime_error("no reply containing \"" + needle + "\"; replies seen:" + seen);
  }

  // The admin answers the worker's requests: the code (typed with dashes), the password.
  void log_in_through_the_bot() {
    reply_containing("/mtcode");
    text_as_curator("/mtcode " + dashed(worker_login_code_));
    reply_containing("/mtpass");
    text_as_curator("/mtpass " + worker_password_);
    wait_worker_known();  // (the "logged in" notice is among the replies the fixture skips)
  }

  store::JobRecord archive_through_worker(std::int64_t size, std::uint64_t seed, const std::string& name) {
    const Json sent = send_document(size, seed, name);
    const store::JobRecord job = job_for(bot_message_id(sent));
    // The job's status message, found in the chat (login notices and command answers
    // may still be arriving, so the order of replies is not fixed).
    std::int64_t status_id = 0;
    test::wait_until(
        [&] {
          for (const Json& event : outbox_now(curator_id_)) {
            if (event.value("type", "") == "sent" && event.contains("message") &&
                event["message"].value("text", "").starts_with("📦")) {
              status_id = event.value("message_id", std::int64_t{0});
            }
          }
          return status_id != 0;
        },
        60s, 100ms);
    EXPECT_NE(status_id, 0) << "no job status message";
    const auto texts = status_texts_until(status_id, "Archived", 300s);
    EXPECT_TRUE(std::ranges::any_of(texts, [](const std::string& t) { return t.find("Downloading") != std::string::npos; }))
        << "no download progress among the status edits";
    return wait_job_state(job.job_id, JobState::completed);
  }

  // Every object in the bucket holding this job's file, and its SHA-256 as message.json says.
  void expect_archived_once(const store::JobRecord& job, std::uint64_t seed, std::int64_t size) {
    const std::string base_path = Json::parse(job.payload).at("archive").at("base_path");
    const Json document = message_json(base_path);
    const Json& items = document.at("telegram").at("items");
    ASSERT_EQ(items.size(), 1U) << document.dump(2);
    EXPECT_EQ(items[0].value("status", ""), "stored") << document.dump(2);
    EXPECT_EQ(items[0].value("sha256", ""), seeded_sha256(seed, static_cast<std::uint64_t>(size)));
    const auto keys = object_keys(base_path);
    EXPECT_EQ(std::ranges::count_if(keys, [](const std::string& key) { return !key.ends_with("message.json"); }), 1)
        << "the file must be stored exactly once";
  }
};

TEST_F(BotMtproto, WrongCodeIsReportedThenCodeAndPasswordThroughTheBotLogInAndA120MegabyteFileIsArchived) {
  world().settings(Json{{"download_speed_bytes_per_second", 24'000'000}});
  start_bot();
  start_worker();
  reply_containing("/mtcode");
  // A wrong code first: the message holding it is deleted, the admins are told, asked again.
  const Json wrong = text_as_curator("/mtcode 9-9-9-9-9");
  reply_containing("wrong");
  const auto deleted = outbox_now(curator_id_);
  EXPECT_TRUE(std::ranges::any_of(deleted, [&](const Json& event) {
    return event.value("type", "") == "deleted" && event.value("message_id", std::int64_t{0}) == bot_message_id(wrong);
  })) << "the message holding a login code must be deleted";
  text_as_curator("/mtcode " + dashed(worker_login_code_));
  reply_containing("/mtpass");
  text_as_curator("/mtpass " + worker_password_);
  wait_worker_known();
  EXPECT_EQ(bot_log_text().find(worker_password_), std::string::npos) << "the password reached a log line";

  const auto work_before = files_and_bytes(worker_work_dir());
  constexpr std::int64_t kSize = 120LL * 1024 * 1024;
  const store::JobRecord job = archive_through_worker(kSize, 701, "dataset.tar");
  expect_archived_once(job, 701, kSize);
  EXPECT_EQ(files_and_bytes(worker_work_dir()), work_before)
      << "the work directory (TDLib's cache, the spool) must be back to its size before the job";
}

// The largest file a non-premium account can download (2000 MiB) less a margin: the
// whole way (TDLib cache -> spool with SHA-256 -> multipart upload) in bounded memory,
// and the TDLib cache emptied afterwards so the next job has the disk.
TEST_F(BotMtproto, ANearlyTwoGigabyteFileIsArchivedWithItsSha256AndTheWorkDirectoryIsBackToItsSize) {
  start_bot();
  start_worker();
  log_in_through_the_bot();
  const auto work_before = files_and_bytes(worker_work_dir());
  constexpr std::int64_t kSize = 1900LL * 1024 * 1024;
  const store::JobRecord job = archive_through_worker(kSize, 706, "nearly-two-gigabytes.iso");
  expect_archived_once(job, 706, kSize);
  EXPECT_EQ(files_and_bytes(worker_work_dir()), work_before)
      << "the work directory (TDLib's cache, the spool) must be back to its size before the job";
}

TEST_F(BotMtproto, QrLoginThroughTheBotSendsAQrImageTheScanLogsTheWorkerInAndMtstatusNamesTheAccount) {
  worker_extra_["MTPROTO_PHONE_NUMBER"] = "";  // no phone: the admins must use /mtqr
  start_bot();
  start_worker();
  reply_containing("/mtqr");
  text_as_curator("/mtqr");
  const bool photo_sent = test::wait_until(
      [&] {
        return std::ranges::any_of(outbox_now(curator_id_), [](const Json& event) {
          return event.value("type", "") == "sent" && event.value("method", "") == "sendPhoto";
        });
      },
      60s, 100ms);
  ASSERT_TRUE(photo_sent) << "the admins never got the QR image";
  // The account's phone scans the code shown (the one QR login waiting).
  world().control().post("/control/account/scan_qr", Json{{"user_id", worker_account_id_}});
  // The account has two-step verification: the password follows the scan.
  reply_containing("/mtpass");
  text_as_curator("/mtpass " + worker_password_);
  wait_worker_known();
  // /mtstatus names the account and how old its session is.
  text_as_curator("/mtstatus");
  const BotReply status = reply_containing("Account: Worker (id " + std::to_string(worker_account_id_) + ")");
  EXPECT_NE(status.text.find("Session: logged in"), std::string::npos) << status.text;
}

TEST_F(BotMtproto, ACuratorWhoIsTheWorkerAccountIsArchivedWithoutARelay) {
  settings_.extra["TELEGRAM_WHITELIST_IDS"] = std::to_string(curator_id_) + "," + std::to_string(worker_account_id_);
  start_bot();
  start_worker();
  log_in_through_the_bot();
  constexpr std::int64_t kSize = 30LL * 1024 * 1024;
  const Json sent = send_as(worker_account_id_, Json{{"kind", "document"},
                                                     {"file", {{"size", kSize}, {"seed", 702}, {"file_name", "own.bin"}}}});
  const store::JobRecord job = job_for(bot_message_id(sent));
  const store::JobRecord done = wait_job_state(job.job_id, JobState::completed, 180s);
  expect_archived_once(done, 702, kSize);
  const auto events = outbox_now(worker_account_id_);
  EXPECT_FALSE(std::ranges::any_of(events, [](const Json& event) { return event.value("method", "") == "copyMessage"; }))
      << "the bot copied a message the worker account already has";
}

TEST_F(BotMtproto, AProtectedPostForwardedFromAPublicChannelIsFetchedFromTheChannelWhenTheCopyIsRefused) {
  start_bot();
  start_worker();
  log_in_through_the_bot();
  const std::int64_t owner = world().create_user("Channel", "Owner", "channel_owner");
  Json channel = Json::object();
  channel["type"] = "channel";
  channel["title"] = "Open Lectures";
  channel["username"] = "open_lectures";
  channel["has_protected_content"] = true;
  channel["members"] = Json::array({owner, curator_id_});
  const std::int64_t channel_id = world().control().post("/control/chats", channel).at("id").get<std::int64_t>();
  constexpr std::int64_t kSize = 30LL * 1024 * 1024;
  const Json post = world().send(Json{{"kind", "video"},
                                      {"from_user_id", owner},
                                      {"chat_id", channel_id},
                                      {"sender_chat_id", channel_id},
                                      {"file", {{"size", kSize}, {"seed", 707}, {"file_name", "lecture.mp4"}}}});
  const std::string unique_id = post.at("message").at("files").at(0).at("unique_id");
  const std::int64_t post_id = post.at("message").at("id");

  const Json forwarded = send_as_curator(Json{
      {"kind", "video"},
      {"date", kMessageDate},
      {"protected", true},
      {"file", {{"unique_id", unique_id}}},
      {"forward_origin",
       {{"type", "channel"}, {"chat_id", channel_id}, {"message_id", post_id}, {"date", kMessageDate - 60}}}});
  const store::JobRecord job = job_for(bot_message_id(forwarded));
  const store::JobRecord done = wait_job_state(job.job_id, JobState::completed, 180s);
  expect_archived_once(done, 707, kSize);
  const auto copied = outbox_now(worker_account_id_);
  EXPECT_FALSE(std::ranges::any_of(copied, [](const Json& event) { return event.value("type", "") == "sent"; }))
      << "a protected message must not reach the worker's chat: the worker found it in the channel";
}

TEST_F(BotMtproto, ASessionRevokedMidQueueMakesJobsWaitTellsTheAdminsAndResumesAfterANewLogin) {
  world().settings(Json{{"download_speed_bytes_per_second", 4'000'000}});
  start_bot();
  start_worker();
  log_in_through_the_bot();
  const Json first = send_document(kLargeBytes, 703, "first.bin");
  const store::JobRecord job1 = job_for(bot_message_id(first));
  const Json second = send_document(kLargeBytes, 704, "second.bin");
  const store::JobRecord job2 = job_for(bot_message_id(second));
  wait_job_state(job1.job_id, JobState::processing);

  world().control().post("/control/account/revoke", Json{{"user_id", worker_account_id_}, {"reason", "revoked"}});
  reply_containing("session");  // the admins hear that the session ended and jobs wait
  // Nothing is failed: the job in flight goes back to the queue and waits.
  wait_job_state(job1.job_id, JobState::pending, 60s);
  EXPECT_EQ(store().get_job(job2.job_id)->state, JobState::pending);

  world().settings(Json{{"download_speed_bytes_per_second", 0}});
  reply_containing("/mtcode");  // the worker asks for a new login by itself
  text_as_curator("/mtcode " + dashed(worker_login_code_));
  reply_containing("/mtpass");
  text_as_curator("/mtpass " + worker_password_);
  const store::JobRecord done1 = wait_job_state(job1.job_id, JobState::completed, 180s);
  const store::JobRecord done2 = wait_job_state(job2.job_id, JobState::completed, 180s);
  expect_archived_once(done1, 703, kLargeBytes);
  expect_archived_once(done2, 704, kLargeBytes);
}

TEST_F(BotMtproto, AWorkerKilledMidDownloadContinuesAfterARestartWithoutANewLoginAndArchivesTheFileOnce) {
  world().settings(Json{{"download_speed_bytes_per_second", 4'000'000}});
  start_bot();
  start_worker();
  log_in_through_the_bot();
  constexpr std::int64_t kSize = 40LL * 1024 * 1024;
  const Json sent = send_document(kSize, 705, "interrupted.bin");
  const store::JobRecord job = job_for(bot_message_id(sent));
  const bool partial = test::wait_until(
      [&] { return files_and_bytes(worker_work_dir() / "tdlib-files").second > 0; }, 120s, 100ms);
  ASSERT_TRUE(partial) << "the download never started";
  kill_worker();
  world().settings(Json{{"download_speed_bytes_per_second", 0}});
  start_worker();  // the saved session: no login this time
  const store::JobRecord done = wait_job_state(job.job_id, JobState::completed, 180s);
  expect_archived_once(done, 705, kSize);
}

}  // namespace
}  // namespace teltubby::e2e
