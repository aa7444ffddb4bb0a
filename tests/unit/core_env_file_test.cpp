#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "core/config.hpp"
#include "core/env_file.hpp"
#include "core_test_helpers.hpp"

namespace teltubby {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(EnvFile, ParsesCommentsBlankLinesExportAndQuotes) {
  const auto content = parse_env_file(
      "# a comment\n"
      "\n"
      "PLAIN=value\n"
      "export EXPORTED=yes\n"
      "  SPACED = around equals  \n"
      "SINGLE='keeps $HOME and \\n literally'\n"
      "DOUBLE=\"line\\nbreak \\\"quoted\\\" # not a comment\"\n"
      "HASH=pa#ss\n"
      "TRAILING=value # a comment\n"
      "QUOTED_COMMENT='v' # ok\n"
      "EMPTY=\n"
      "WINDOWS=crlf\r\n"
      "PLAIN=later wins\n",
      ".env");
  EXPECT_TRUE(content.problems.empty());
  const EnvMap expected{{"PLAIN", "later wins"},
                        {"EXPORTED", "yes"},
                        {"SPACED", "around equals"},
                        {"SINGLE", "keeps $HOME and \\n literally"},
                        {"DOUBLE", "line\nbreak \"quoted\" # not a comment"},
                        {"HASH", "pa#ss"},
                        {"TRAILING", "value"},
                        {"QUOTED_COMMENT", "v"},
                        {"EMPTY", ""},
                        {"WINDOWS", "crlf"}};
  EXPECT_EQ(content.values, expected);
}

TEST(EnvFile, NoInterpolationOfVariables) {
  const auto content = parse_env_file("A=1\nB=${A}\nC=\"$A\"\n", ".env");
  EXPECT_EQ(content.values.at("B"), "${A}");
  EXPECT_EQ(content.values.at("C"), "$A");
}

TEST(EnvFile, MalformedLinesAreReportedWithLineNumbersAndWithoutValues) {
  const auto content = parse_env_file(
      "GOOD=1\n"
      "1234567:FAKEtokenFORteltubbyTESTSonly00000_\n"  // a pasted token, no key
      "TELEGRAM_BOT_TOKEN=\"unterminated-secret\n"
      "1BAD=x\n"
      "RABBITMQ_PASSWORD='p' trailing-secret\n",
      "conf/.env");
  EXPECT_EQ(content.values, (EnvMap{{"GOOD", "1"}}));
  ASSERT_EQ(content.problems.size(), 4U);
  EXPECT_EQ(content.problems[0].source, "conf/.env:2");
  EXPECT_EQ(content.problems[1].source, "conf/.env:3");
  EXPECT_EQ(content.problems[1].variable, "TELEGRAM_BOT_TOKEN");
  EXPECT_THAT(content.problems[1].expected, HasSubstr("closing double quote"));
  EXPECT_EQ(content.problems[2].source, "conf/.env:4");
  EXPECT_EQ(content.problems[3].source, "conf/.env:5");
  for (const auto& problem : content.problems) {
    const auto text = describe(problem);
    EXPECT_THAT(text, Not(HasSubstr("AAHdq")));
    EXPECT_THAT(text, Not(HasSubstr("unterminated-secret")));
    EXPECT_THAT(text, Not(HasSubstr("trailing-secret")));
  }
}

TEST(EnvFile, ByteOrderMarkIsIgnored) {
  const auto content = parse_env_file("\xEF\xBB\xBFKEY=v\n", ".env");
  EXPECT_TRUE(content.problems.empty());
  EXPECT_EQ(content.values, (EnvMap{{"KEY", "v"}}));
}

TEST(EnvFile, RealEnvironmentWinsOverTheFile) {
  const EnvMap file{{"CONCURRENCY", "4"}, {"LOG_LEVEL", "debug"}};
  const EnvMap real{{"CONCURRENCY", "16"}};
  const auto merged = merge_env(file, real);
  EXPECT_EQ(merged.at("CONCURRENCY"), "16");
  EXPECT_EQ(merged.at("LOG_LEVEL"), "debug");
}

TEST(EnvFile, MissingFileIsAProblemNamingTheOption) {
  testing::TempDir dir;
  const auto content = read_env_file(dir.path() / "absent.env");
  ASSERT_EQ(content.problems.size(), 1U);
  EXPECT_EQ(content.problems[0].variable, "--env-file");
  EXPECT_THAT(describe(content.problems[0]), HasSubstr("absent.env"));
}

TEST(EnvFile, StartupConfigReadsTheFileUnderTheRealEnvironment) {
  testing::TempDir dir;
  const auto path = dir.path() / "test.env";
  testing::write_file(path, "TELTUBBY_TEST_ONLY_A=1\nWORKER_MAX_RETRIES=7\nWORKER_CONCURRENCY=2\n");
  // The variable is owned by this test binary; no other test reads it.
  ASSERT_EQ(setenv("WORKER_CONCURRENCY", "5", 1), 0);
  const auto config = load_startup_config(ConfigRole::any, path);
  unsetenv("WORKER_CONCURRENCY");
  ASSERT_TRUE(config.has_value());
  EXPECT_EQ(config->worker_max_retries, 7U);  // from the file
  EXPECT_EQ(config->worker_concurrency, 5U);  // the real environment wins
}

}  // namespace
}  // namespace teltubby
