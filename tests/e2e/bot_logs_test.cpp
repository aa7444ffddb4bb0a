// Acceptance, issue 5: no log written by the bot carries its token. Every e2e test
// checks its own log files at the end (BotFixture::TearDown); this one drives the
// paths most likely to print a Bot API URL — failing Telegram calls and downloads,
// at debug level — and checks the log file, its rotated siblings and the captured
// stdout and stderr.
#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "e2e/bot_fixture.hpp"

namespace teltubby::e2e {
namespace {

using BotLogs = BotFixture;

TEST_F(BotLogs, NoLogLineCarriesTheBotTokenEvenWhenTelegramFails) {
  // Small rotation: rotated files are written too and must be clean as well.
  settings_.extra["LOG_ROTATE_MAX_BYTES"] = "20000";
  start_bot();
  world().add_fault(Json{{"method", "getFile"}, {"kind", "server_error"}, {"count", 2}});
  world().add_fault(Json{{"method", "file"}, {"kind", "truncate"}, {"truncate_bytes", 100}, {"count", 1}});
  world().add_fault(Json{{"method", "file"}, {"kind", "server_error"}, {"status", 502}, {"count", 1}});
  world().add_fault(Json{{"method", "getUpdates"}, {"kind", "server_error"}, {"count", 1}});
  const BotReply reply =
      send_and_reply(Json{{"kind", "document"},
                          {"date", kMessageDate},
                          {"file", {{"size", 9000}, {"seed", 131}, {"file_name", "t.pdf"}}}},
                     90s);
  EXPECT_FALSE(reply.text.empty());
  ASSERT_EQ(stop_bot(), std::optional<int>{0});

  const std::string token(kBotToken);
  const std::string secret_part = token.substr(token.find(':') + 1);
  const auto files = written_files();
  ASSERT_FALSE(files.empty());
  std::string all;
  for (const auto& file : files) {
    std::ifstream in(file, std::ios::binary);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(text.find(secret_part), std::string::npos) << file;
    all += text;
  }
  // The checks above looked at real output: the bot logged its work.
  EXPECT_NE(all.find("bot ready"), std::string::npos);
}

}  // namespace
}  // namespace teltubby::e2e
