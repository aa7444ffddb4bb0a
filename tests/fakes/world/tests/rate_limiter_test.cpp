// https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this
#include <gtest/gtest.h>

#include "rate_limiter.hpp"

namespace fake_world {
namespace {

using namespace std::chrono_literals;

TEST(FakeWorldRateLimiter, AllowsASmallBurstThenAboutOneMessagePerSecondPerChat) {
  RateLimiter limiter;
  const auto t0 = std::chrono::steady_clock::time_point{} + 1000s;
  EXPECT_FALSE(limiter.take(1, 10, t0));
  EXPECT_FALSE(limiter.take(1, 10, t0));
  EXPECT_FALSE(limiter.take(1, 10, t0));
  const auto wait = limiter.take(1, 10, t0);
  ASSERT_TRUE(wait.has_value());
  EXPECT_EQ(*wait, 1);
  EXPECT_FALSE(limiter.take(1, 10, t0 + 1s));
  EXPECT_FALSE(limiter.take(1, 11, t0 + 1s)) << "another chat has its own budget";
}

TEST(FakeWorldRateLimiter, CapsABotAtAboutThirtyMessagesPerSecondOverall) {
  RateLimiter limiter;
  const auto t0 = std::chrono::steady_clock::time_point{} + 1000s;
  int accepted = 0;
  for (std::int64_t chat = 1; chat <= 40; ++chat) {
    if (!limiter.take(1, chat, t0)) ++accepted;
  }
  EXPECT_EQ(accepted, 30);
}

TEST(FakeWorldRateLimiter, GroupsGetTwentyPerMinute) {
  RateLimiter limiter;
  const auto t0 = std::chrono::steady_clock::time_point{} + 1000s;
  for (int i = 0; i < 20; ++i) EXPECT_FALSE(limiter.take(1, -5, t0 + std::chrono::milliseconds(60 * i)));
  const auto wait = limiter.take(1, -5, t0 + 1500ms);
  ASSERT_TRUE(wait.has_value());
  EXPECT_GE(*wait, 1);
}

}  // namespace
}  // namespace fake_world
