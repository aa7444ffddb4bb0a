#pragma once
// The e2e fixture: one fake Telegram world (child process), one `teltubby bot` (child
// process, started by the test once it has chosen its settings), a fresh bucket on
// the S3 test server, and the SQLite file and logs the bot writes, all under one
// temporary directory.
//
// The world holds a bot, a whitelisted curator (who has started the chat with the bot
// by sending /start) and a stranger. Every wait is on an event (the fake's outbox long
// poll) or a condition with a deadline; nothing sleeps.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "e2e/bot_process.hpp"
#include "e2e/fake_telegram.hpp"
#include "e2e/receipts.hpp"
#include "storage/s3_client.hpp"
#include "store/sqlite_store.hpp"
#include "support/s3rver.hpp"
#include "support/temp_dir.hpp"

namespace teltubby::e2e {

using namespace std::chrono_literals;

// Obviously fake (a commit hook rejects realistic-looking tokens); still token-shaped
// (7 digits, ':', 35 token characters) so the bot's validator and redactor see one.
inline constexpr std::string_view kBotToken = "1234567:FAKEtokenFORteltubbyTESTSonly000000";
// A fixed message date so folder names and file names are predictable:
// 2026-11-28 12:34:56 UTC.
inline constexpr std::int64_t kMessageDate = 1795869296;

struct BotSettings {
  double album_window_seconds = 0.5;  // ALBUM_AGGREGATION_WINDOW_SECONDS
  std::uint64_t quota_bytes = 0;      // S3_BUCKET_QUOTA_BYTES; 0 = no quota
  bool rate_limits = false;           // the fake's Telegram rate limits
  Environment extra;                  // anything else (wins over the defaults)
};

// Helpers are public so that shared assertion functions (archive_checks) can use them.
class BotFixture : public ::testing::Test {
 public:
  void SetUp() override;
  void TearDown() override;

  // --- the world -------------------------------------------------------------------
  FakeTelegram& world() { return *world_; }
  // A message from `user` to the bot (chat_id defaults to the bot: the private chat).
  Json send_as(std::int64_t user, Json body);
  Json send_as_curator(Json body) { return send_as(curator_id_, std::move(body)); }
  // The message id the bot sees for a message sent with send_as().
  static std::int64_t bot_message_id(const Json& sent) {
    return sent.at("bot_message_id").get<std::int64_t>();
  }

  // --- the bot ---------------------------------------------------------------------
  // The environment `teltubby bot` gets (from settings_ and the fixture's paths).
  Environment bot_environment();
  // Starts the bot and waits for /healthz 200 (60 s: sanitizer builds start slowly).
  // The first start also waits for the answer to the curator's /start.
  void start_bot();
  // SIGTERM; returns the exit code (nullopt: did not exit within 30 s, then killed).
  std::optional<int> stop_bot();
  void kill_bot();
  [[nodiscard]] std::uint16_t health_port() const { return health_port_; }

  // --- replies ---------------------------------------------------------------------
  // Every event of the bot's outbox for `chat_id` right now.
  std::vector<Json> outbox_now(std::int64_t chat_id);
  // The next message the bot sends to the curator (after those already returned),
  // with later edits of it applied; fails the test when none comes within `timeout`.
  BotReply next_reply(std::chrono::milliseconds timeout = 60s);
  // Sends `body` as the curator and returns the bot's next reply.
  BotReply send_and_reply(Json body, std::chrono::milliseconds timeout = 60s);

  // --- storage ---------------------------------------------------------------------
  storage::S3Client& s3();
  std::vector<storage::ObjectInfo> objects(const std::string& prefix = "");
  std::vector<std::string> object_keys(const std::string& prefix = "");
  std::string object_bytes(const std::string& key);
  Json message_json(const std::string& base_path);  // reads base_path + "message.json"

  // --- database --------------------------------------------------------------------
  store::SqliteStore& store();
  std::int64_t count_rows(const std::string& table);

  // --- logs ------------------------------------------------------------------------
  // Every file the bot and the fake wrote under the test directory (logs, rotated
  // logs, stdout and stderr captures).
  std::vector<std::filesystem::path> written_files();
  std::string bot_log_text();

  BotSettings settings_;
  std::optional<test::S3Account> s3_account_;  // default: the shared S3 test server
  std::string bucket_;
  std::int64_t bot_id_ = 0;
  std::int64_t curator_id_ = 0;
  std::int64_t stranger_id_ = 0;
  std::string curator_username_ = "alice_curator";
  std::string mode_ = "polling";  // TELEGRAM_MODE
  // Replies starting with one of these are not handed out by next_reply() but kept in
  // skipped_replies_ (e.g. the quota tests' admin warnings, which come in between).
  std::vector<std::string> skipped_reply_prefixes_;
  std::vector<BotReply> skipped_replies_;
  std::filesystem::path run_dir_;

 private:
  std::unique_ptr<test::TempDir> dir_;
  std::unique_ptr<FakeTelegram> world_;
  std::unique_ptr<BotProcess> bot_;
  std::unique_ptr<storage::S3Client> s3_;
  std::unique_ptr<store::SqliteStore> store_;
  std::uint16_t health_port_ = 0;
  int starts_ = 0;
  std::size_t replies_seen_ = 0;  // sent messages already handed out by next_reply
};

// A fresh bucket name ("tt-e2e-" + 12 hex digits).
std::string unique_bucket();

// The curator's folder for a plain copy by `username` on kMessageDate:
// "teltubby/2026/11/<slug>/<message_id>/".
std::string folder(const std::string& chat_slug, std::int64_t message_id);

}  // namespace teltubby::e2e
