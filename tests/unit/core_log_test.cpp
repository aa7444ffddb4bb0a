#include <gtest/gtest.h>

#include "core/log.hpp"

namespace teltubby {
namespace {
TEST(LogLevel, ParsesKnownNamesAndRejectsOthers) {
  EXPECT_EQ(parse_log_level("debug"), LogLevel::debug);
  EXPECT_EQ(parse_log_level("WARNING"), LogLevel::warn);
  EXPECT_FALSE(parse_log_level("loud").has_value());
}
}  // namespace
}  // namespace teltubby
