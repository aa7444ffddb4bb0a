// TDLib error objects and log levels -> ours (pure functions).
#include <gtest/gtest.h>

#include "telegram/tdlib/td_error.hpp"
#include "telegram/tdlib/td_log.hpp"

namespace teltubby::tdlib {
namespace {

TEST(TdError, ParsesRetryAfterFromTdlibsTooManyRequestsText) {
  EXPECT_EQ(parse_retry_after("Too Many Requests: retry after 42"), std::chrono::seconds(42));
  EXPECT_EQ(parse_retry_after("FLOOD_WAIT_17"), std::chrono::seconds(17));
  EXPECT_EQ(parse_retry_after("PHONE_CODE_INVALID"), std::chrono::seconds(0));
  EXPECT_EQ(parse_retry_after("retry after "), std::chrono::seconds(0));
  EXPECT_EQ(parse_retry_after("retry after -5"), std::chrono::seconds(0));
}

TEST(TdError, MapsErrorObjectsToCodedErrors) {
  // td_api.tl: error code:int32 message:string = Error;
  auto flood = error_from_td({{"@type", "error"}, {"code", 429}, {"message", "Too Many Requests: retry after 3"}});
  EXPECT_EQ(flood.code, "tdlib.429");
  EXPECT_TRUE(flood.retryable());
  EXPECT_EQ(flood.retry_after, std::chrono::seconds(3));
  auto flood_wait = error_from_td({{"@type", "error"}, {"code", 420}, {"message", "FLOOD_WAIT_9"}});
  EXPECT_TRUE(flood_wait.retryable());
  EXPECT_EQ(flood_wait.retry_after, std::chrono::seconds(9));
  auto wrong_code = error_from_td({{"@type", "error"}, {"code", 400}, {"message", "PHONE_CODE_INVALID"}});
  EXPECT_EQ(wrong_code.kind, ErrorKind::permanent);
  EXPECT_EQ(wrong_code.message, "PHONE_CODE_INVALID");
  auto gone = error_from_td({{"@type", "error"}, {"code", 401}, {"message", "USER_DEACTIVATED_BAN"}});
  EXPECT_TRUE(is_auth_error(gone));
  EXPECT_FALSE(is_auth_error(wrong_code));
  EXPECT_EQ(error_from_td({{"@type", "error"}, {"code", 404}, {"message", "Not Found"}}).kind, ErrorKind::not_found);
  auto malformed = error_from_td({{"@type", "error"}, {"code", "x"}});
  EXPECT_EQ(malformed.code, "tdlib.0");
  EXPECT_FALSE(malformed.message.empty());
}

TEST(TdError, ParseAnswerSeparatesErrorsFromResults) {
  auto ok = parse_answer(R"({"@type":"ok","@extra":1})");
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ((*ok)["@type"], "ok");
  auto error = parse_answer(R"({"@type":"error","code":400,"message":"PASSWORD_HASH_INVALID"})");
  ASSERT_FALSE(error.has_value());
  EXPECT_EQ(error.error().message, "PASSWORD_HASH_INVALID");
  auto junk = parse_answer("not json");
  ASSERT_FALSE(junk.has_value());
  EXPECT_EQ(junk.error().code, "tdlib.json");
  EXPECT_FALSE(parse_answer("[1,2]").has_value());
}

TEST(TdLog, MapsTdlibVerbosityToOurLevels) {
  EXPECT_EQ(log_level_for_verbosity(0), LogLevel::error);  // fatal: TDLib aborts after it
  EXPECT_EQ(log_level_for_verbosity(1), LogLevel::error);
  EXPECT_EQ(log_level_for_verbosity(2), LogLevel::warn);
  EXPECT_EQ(log_level_for_verbosity(3), LogLevel::info);
  EXPECT_EQ(log_level_for_verbosity(4), LogLevel::debug);
  EXPECT_EQ(log_level_for_verbosity(1024), LogLevel::debug);
  EXPECT_EQ(trim_log_message("[ 3][t 0] Created managed client 1\n"), "[ 3][t 0] Created managed client 1");
  EXPECT_EQ(trim_log_message("\n"), "");
}

}  // namespace
}  // namespace teltubby::tdlib
