#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>

#include "core/error.hpp"
#include "core/log.hpp"
#include "core_test_helpers.hpp"

namespace teltubby {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A real-looking token: bot id, ':', 35 characters.
const std::string kToken = "7012345:FAKEtokenFORteltubbyTESTSonly00000_";
const std::string kTokenSecretPart = "FAKEtokenFORteltubbyTESTSonly00000_";

class LogToFile : public ::testing::Test {
 protected:
  void configure(LogLevel level = LogLevel::debug, std::uint64_t max_bytes = 1024 * 1024,
                 unsigned backups = 3) {
    LogSettings settings;
    settings.level = level;
    settings.to_stdout = false;
    settings.file = path();
    settings.rotate_max_bytes = max_bytes;
    settings.rotate_backup_count = backups;
    configure_logging(settings);
  }
  void TearDown() override { configure_logging(LogSettings{}); }
  [[nodiscard]] std::filesystem::path path() const { return dir_.path() / "logs" / "teltubby.log"; }
  [[nodiscard]] std::string contents() const { return testing::read_file(path()); }
  [[nodiscard]] std::vector<nlohmann::json> lines() const {
    std::vector<nlohmann::json> parsed;
    for (const auto& line : testing::split_lines(contents())) parsed.push_back(nlohmann::json::parse(line));
    return parsed;
  }

  testing::TempDir dir_;
};

TEST(LogLevel, ParsesKnownNamesAndRejectsOthers) {
  EXPECT_EQ(parse_log_level("debug"), LogLevel::debug);
  EXPECT_EQ(parse_log_level("WARNING"), LogLevel::warn);
  EXPECT_FALSE(parse_log_level("loud").has_value());
}

// Acceptance point: the token is redacted inside a URL.
TEST_F(LogToFile, BotTokenIsRedactedInsideAUrl) {
  configure();
  const std::string url = "https://api.telegram.org/bot" + kToken + "/getMe";
  Logger("telegram").info("GET " + url, {{"url", url}});
  const auto text = contents();
  EXPECT_THAT(text, Not(HasSubstr(kTokenSecretPart)));
  EXPECT_THAT(text, Not(HasSubstr("7012345")));
  EXPECT_THAT(text, HasSubstr("https://api.telegram.org/bot<redacted>/getMe"));
  const auto parsed = lines();
  ASSERT_EQ(parsed.size(), 1U);
  EXPECT_EQ(parsed[0]["url"], "https://api.telegram.org/bot<redacted>/getMe");
}

// Acceptance point: the token is redacted inside an exception message.
TEST_F(LogToFile, BotTokenIsRedactedInsideAnExceptionMessage) {
  configure();
  try {
    throw std::runtime_error("Failed to connect to api.telegram.org: GET /bot" + kToken +
                             "/getUpdates timed out");
  } catch (const std::exception& error) {
    Logger("poller").error(error.what(), {{"error", error.what()}, {"attempts", {error.what(), 2}}});
  }
  const auto text = contents();
  EXPECT_THAT(text, Not(HasSubstr(kTokenSecretPart)));
  EXPECT_THAT(text, HasSubstr("GET /bot<redacted>/getUpdates timed out"));
  EXPECT_EQ(lines().at(0)["attempts"][0],
            "Failed to connect to api.telegram.org: GET /bot<redacted>/getUpdates timed out");
}

TEST(Redact, TokenWithUrlEncodedColonIsRedacted) {
  EXPECT_EQ(redact("token=7012345%3AFAKEtokenFORteltubbyTESTSonly00000_&x=1"), "token=<redacted>&x=1");
  EXPECT_EQ(redact("token=7012345%3aFAKEtokenFORteltubbyTESTSonly00000_"), "token=<redacted>");
}

TEST(Redact, OnlyTokenShapedTextIsMasked) {
  // Four digits are not a bot id; 34 characters are not a token secret.
  EXPECT_EQ(redact("1234:FAKEtokenFORteltubbyTESTSonly00000_"), "1234:FAKEtokenFORteltubbyTESTSonly00000_");
  EXPECT_EQ(redact("12345:" + std::string(34, 'a')), "12345:" + std::string(34, 'a'));
  EXPECT_EQ(redact("12345:" + std::string(35, 'a')), "<redacted>");
  // A longer run is masked whole, so no tail of the secret is left behind.
  EXPECT_EQ(redact("12345:" + std::string(50, 'b') + " end"), "<redacted> end");
  EXPECT_EQ(redact("time 12:30:45, ratio 3:1, url http://host:8080/x"),
            "time 12:30:45, ratio 3:1, url http://host:8080/x");
  EXPECT_EQ(redact(""), "");
  EXPECT_EQ(redact("two " + kToken + " and " + kToken), "two <redacted> and <redacted>");
}

TEST(Redact, RegisteredSecretIsMaskedAsIsAndPercentEncoded) {
  register_secret("pa ss/w:rd-42");
  EXPECT_EQ(redact("password pa ss/w:rd-42 here"), "password <redacted> here");
  EXPECT_EQ(redact("amqp://user:pa%20ss%2Fw%3Ard-42@host/"), "amqp://user:<redacted>@host/");
  register_secret("abc");  // too short to register: would mangle ordinary words
  EXPECT_EQ(redact("abc"), "abc");
}

TEST(Redact, LongerSecretContainingAShorterOneIsMaskedWhole) {
  register_secret("inner-secret");
  register_secret("outer-inner-secret-value");
  EXPECT_EQ(redact("x outer-inner-secret-value y"), "x <redacted> y");
}

TEST_F(LogToFile, RegisteredSecretIsRedactedInNestedFieldsAndKeys) {
  register_secret("s3-secret-key-material");
  configure();
  Logger("s3", {{"context_secret", "ctx s3-secret-key-material"}})
      .warn("signing with s3-secret-key-material",
            {{"request",
              {{"headers", {{"auth", "AWS4 s3-secret-key-material"}}},
               {"list", nlohmann::json::array({"s3-secret-key-material"})}}},
             {"s3-secret-key-material", 1}});
  const auto text = contents();
  EXPECT_THAT(text, Not(HasSubstr("s3-secret-key-material")));
  const auto line = lines().at(0);
  EXPECT_EQ(line["msg"], "signing with <redacted>");
  EXPECT_EQ(line["request"]["headers"]["auth"], "AWS4 <redacted>");
  EXPECT_EQ(line["request"]["list"][0], "<redacted>");
  EXPECT_EQ(line["context_secret"], "ctx <redacted>");
  EXPECT_EQ(line["<redacted>"], 1);
}

TEST_F(LogToFile, LinesAreJsonWithFixedKeysFirstThenContextThenFields) {
  configure();
  const Logger base("worker", {{"job_id", "j-1"}});
  base.with({{"chat_id", 42}}).info("started", {{"bytes", 10}, {"job_id", "j-2"}, {"msg", "shadow"}});
  base.info("second", nlohmann::json::array({1, 2}));
  const auto raw = testing::split_lines(contents());
  ASSERT_EQ(raw.size(), 2U);
  EXPECT_TRUE(raw[0].starts_with(R"({"ts":")"));
  EXPECT_THAT(raw[0], HasSubstr(R"("level":"info","component":"worker","msg":"started")"));
  const auto first = nlohmann::json::parse(raw[0]);
  const std::string ts = first["ts"];
  // 2026-11-28T13:44:01.123Z
  ASSERT_EQ(ts.size(), 24U) << ts;
  EXPECT_EQ(ts[10], 'T');
  EXPECT_EQ(ts[19], '.');
  EXPECT_EQ(ts.back(), 'Z');
  EXPECT_EQ(first["chat_id"], 42);
  EXPECT_EQ(first["bytes"], 10);
  EXPECT_EQ(first["job_id"], "j-2");  // the field wins over the context
  EXPECT_EQ(first["msg"], "started");
  EXPECT_EQ(first["msg_"], "shadow");  // a field cannot replace a fixed key
  const auto second = nlohmann::json::parse(raw[1]);
  EXPECT_EQ(second["fields"], nlohmann::json::array({1, 2}));
  EXPECT_EQ(second["job_id"], "j-1");
}

TEST_F(LogToFile, InvalidUtf8InAFieldDoesNotBreakTheLine) {
  configure();
  Logger("bot").info("file", {{"name", std::string("bad\xff\xfe name")}});
  EXPECT_EQ(lines().size(), 1U);
}

TEST_F(LogToFile, LevelFilterDropsLinesBelowTheConfiguredLevel) {
  configure(LogLevel::warn);
  const Logger log("test");
  EXPECT_FALSE(log.enabled(LogLevel::info));
  EXPECT_TRUE(log.enabled(LogLevel::error));
  log.debug("d");
  log.info("i");
  log.warn("w");
  log.error("e");
  const auto parsed = lines();
  ASSERT_EQ(parsed.size(), 2U);
  EXPECT_EQ(parsed[0]["level"], "warn");
  EXPECT_EQ(parsed[1]["level"], "error");
}

std::string padded(int sequence) {
  std::string text = std::to_string(sequence);
  return std::string(6 - text.size(), '0') + text;
}

TEST_F(LogToFile, RotationKeepsBackupCountFilesEachWithinTheSizeLimit) {
  constexpr std::uint64_t kMax = 1024;
  constexpr unsigned kBackups = 3;
  configure(LogLevel::debug, kMax, kBackups);
  const Logger log("rotate");
  constexpr int kLines = 100;  // ~190 bytes each: ~19 KB, many more rotations than backups
  for (int i = 0; i < kLines; ++i) log.info("line", {{"seq", padded(i)}, {"pad", std::string(100, 'x')}});

  for (unsigned index = 1; index <= kBackups; ++index) {
    EXPECT_TRUE(std::filesystem::exists(path().string() + "." + std::to_string(index))) << index;
  }
  EXPECT_FALSE(std::filesystem::exists(path().string() + "." + std::to_string(kBackups + 1)));

  // Newest lines in the file, older in .1, .2, .3: sequence numbers run on without gaps.
  const auto line_size = testing::split_lines(testing::read_file(path().string() + ".1")).at(0).size() + 1;
  std::vector<int> sequence;
  for (unsigned index = kBackups; index >= 1; --index) {
    const auto backup = path().string() + "." + std::to_string(index);
    EXPECT_LE(std::filesystem::file_size(backup), kMax) << backup;
    // Full: the next line would not have fit.
    EXPECT_GT(std::filesystem::file_size(backup) + line_size, kMax) << backup;
    for (const auto& line : testing::split_lines(testing::read_file(backup))) {
      sequence.push_back(std::stoi(nlohmann::json::parse(line)["seq"].get<std::string>()));
    }
  }
  EXPECT_LE(std::filesystem::file_size(path()), kMax);
  for (const auto& line : lines()) sequence.push_back(std::stoi(line["seq"].get<std::string>()));
  ASSERT_FALSE(sequence.empty());
  EXPECT_EQ(sequence.back(), kLines - 1);
  for (std::size_t i = 1; i < sequence.size(); ++i) EXPECT_EQ(sequence[i], sequence[i - 1] + 1);
}

TEST_F(LogToFile, ZeroBackupsTruncatesInsteadOfRotating) {
  configure(LogLevel::debug, 1024, 0);
  const Logger log("rotate");
  for (int i = 0; i < 50; ++i) log.info("line", {{"seq", padded(i)}, {"pad", std::string(100, 'x')}});
  EXPECT_FALSE(std::filesystem::exists(path().string() + ".1"));
  EXPECT_LE(std::filesystem::file_size(path()), 1024U);
  EXPECT_EQ(lines().back()["seq"], padded(49));
}

TEST_F(LogToFile, ReopeningAppendsAndCountsTheExistingSize) {
  configure(LogLevel::debug, 1024, 1);
  Logger("a").info("first", {{"pad", std::string(600, 'y')}});
  configure(LogLevel::debug, 1024, 1);  // as after a restart
  Logger("a").info("second", {{"pad", std::string(600, 'z')}});
  // The second line did not fit after the first: the first moved to .1.
  EXPECT_EQ(lines().size(), 1U);
  EXPECT_EQ(lines()[0]["msg"], "second");
  EXPECT_THAT(testing::read_file(path().string() + ".1"), HasSubstr("\"first\""));
}

TEST_F(LogToFile, ConcurrentWritersProduceWholeLines) {
  configure();
  constexpr int kThreads = 4;
  constexpr int kPerThread = 200;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t] {
      const Logger log("thread", {{"thread", t}});
      for (int i = 0; i < kPerThread; ++i) log.info("message", {{"i", i}, {"pad", std::string(64, 'p')}});
    });
  }
  for (auto& thread : threads) thread.join();
  const auto parsed = lines();  // throws on a torn line
  EXPECT_EQ(parsed.size(), static_cast<std::size_t>(kThreads * kPerThread));
}

TEST(LogConfigure, UnopenableFileIsAFatalSetupError) {
  testing::TempDir dir;
  testing::write_file(dir.path() / "not-a-dir", "x");
  LogSettings settings;
  settings.file = dir.path() / "not-a-dir" / "log.txt";
  EXPECT_THROW(configure_logging(settings), FatalError);
}

}  // namespace
}  // namespace teltubby
