#include <gtest/gtest.h>

#include "bot/rate_governor.hpp"

namespace teltubby::bot {
namespace {

using namespace std::chrono_literals;
using Clock = RateGovernor::Clock;

const Clock::time_point t0 = Clock::time_point{} + 1000s;

RateGovernor::Limits limits() {
  RateGovernor::Limits l;
  l.per_chat_per_second = 1.0;
  l.per_chat_burst = 3.0;
  l.global_per_second = 30.0;
  l.global_burst = 30.0;
  l.per_chat_background_reserve = 1.0;
  l.global_background_reserve = 5.0;
  return l;
}

// Sends as fast as the governor allows between `from` and `to` (stepping 1 ms) and
// counts them.
int count_sends(RateGovernor& governor, std::optional<std::int64_t> chat, SendPriority priority, Clock::time_point from,
                Clock::time_point to) {
  int sends = 0;
  for (auto now = from; now < to; now += 1ms) {
    while (!governor.try_acquire(chat, priority, now)) ++sends;
  }
  return sends;
}

TEST(RateGovernor, ChatMayBurstThenIsHeldToItsRate) {
  RateGovernor governor(limits());
  EXPECT_EQ(governor.reserve(7, t0), t0);
  EXPECT_EQ(governor.reserve(7, t0), t0);
  EXPECT_EQ(governor.reserve(7, t0), t0);
  EXPECT_EQ(governor.reserve(7, t0), t0 + 1s);
  EXPECT_EQ(governor.reserve(7, t0), t0 + 2s);
}

TEST(RateGovernor, SteadyRatePerChatIsAboutOnePerSecond) {
  RateGovernor governor(limits());
  // 3 burst + 1 per second for 10 s.
  EXPECT_EQ(count_sends(governor, 7, SendPriority::foreground, t0, t0 + 10s), 3 + 10 - 1);
}

TEST(RateGovernor, TryAcquireTellsHowLongToWaitAndTakesNothing) {
  RateGovernor governor(limits());
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(governor.try_acquire(7, SendPriority::foreground, t0).has_value());
  auto wait = governor.try_acquire(7, SendPriority::foreground, t0);
  ASSERT_TRUE(wait.has_value());
  EXPECT_EQ(*wait, 1s);
  auto again = governor.try_acquire(7, SendPriority::foreground, t0 + 500ms);
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(*again, 500ms);  // the refused attempt did not book a slot
  EXPECT_FALSE(governor.try_acquire(7, SendPriority::foreground, t0 + 1s).has_value());
}

TEST(RateGovernor, ChatsAreIndependent) {
  RateGovernor governor(limits());
  for (int i = 0; i < 3; ++i) governor.reserve(1, t0);
  EXPECT_EQ(governor.reserve(1, t0), t0 + 1s);
  EXPECT_EQ(governor.reserve(2, t0), t0);
  EXPECT_FALSE(governor.try_acquire(3, SendPriority::foreground, t0).has_value());
}

TEST(RateGovernor, GlobalLimitCapsManyChats) {
  RateGovernor governor(limits());
  int immediate = 0;
  for (std::int64_t chat = 1; chat <= 40; ++chat) {
    if (!governor.try_acquire(chat, SendPriority::foreground, t0)) ++immediate;
  }
  EXPECT_EQ(immediate, 30);
  // Over 10 s across 1000 chats: the 30 burst + 30/s.
  RateGovernor fresh(limits());
  int sends = 0;
  std::int64_t chat = 0;
  for (auto now = t0; now < t0 + 10s; now += 1ms) {
    while (!fresh.try_acquire(chat % 1000, SendPriority::foreground, now)) {
      ++sends;
      ++chat;
    }
  }
  EXPECT_GE(sends, 30 + 299);
  EXPECT_LE(sends, 30 + 300);
}

TEST(RateGovernor, TooManyRequestsBlocksTheChatForRetryAfter) {
  RateGovernor governor(limits());
  governor.penalize(7, 17s, t0);
  auto wait = governor.try_acquire(7, SendPriority::foreground, t0 + 1s);
  ASSERT_TRUE(wait.has_value());
  EXPECT_EQ(*wait, 16s);
  EXPECT_EQ(governor.earliest(7, t0 + 1s), t0 + 17s);
  // Other chats are not affected.
  EXPECT_FALSE(governor.try_acquire(8, SendPriority::foreground, t0 + 1s).has_value());
  // After the penalty: one send at once, then the steady rate (no burst).
  EXPECT_EQ(governor.reserve(7, t0 + 2s), t0 + 17s);
  EXPECT_EQ(governor.reserve(7, t0 + 2s), t0 + 18s);
}

TEST(RateGovernor, GlobalPenaltyBlocksEveryChat) {
  RateGovernor governor(limits());
  governor.penalize(std::nullopt, 5s, t0);
  auto wait = governor.try_acquire(99, SendPriority::foreground, t0);
  ASSERT_TRUE(wait.has_value());
  EXPECT_EQ(*wait, 5s);
  EXPECT_TRUE(governor.try_acquire(std::nullopt, SendPriority::foreground, t0 + 4s).has_value());
  EXPECT_FALSE(governor.try_acquire(99, SendPriority::foreground, t0 + 5s).has_value());
  // No burst after the penalty: the next send waits for the global rate (1/30 s).
  const auto next = governor.reserve(std::nullopt, t0 + 5s);
  EXPECT_GT(next, t0 + 5s);
  EXPECT_LE(next, t0 + 5s + 34ms);
}

TEST(RateGovernor, PenaltyWithoutRetryAfterWaitsOneSecond) {
  RateGovernor governor(limits());
  governor.penalize(7, 0s, t0);
  EXPECT_EQ(governor.earliest(7, t0), t0 + 1s);
}

TEST(RateGovernor, BackgroundSendsLeaveRoomForForegroundOnes) {
  RateGovernor governor(limits());
  // Progress edits for one chat: they stop while one token is still left...
  int background = 0;
  while (!governor.try_acquire(7, SendPriority::background, t0)) ++background;
  EXPECT_EQ(background, 2);
  // ...so the final state goes out at once.
  EXPECT_FALSE(governor.try_acquire(7, SendPriority::foreground, t0).has_value());
}

TEST(RateGovernor, ForegroundIsNotStarvedByAFloodOfBackgroundEdits) {
  RateGovernor governor(limits());
  // Edits hammer chat 7 every millisecond for 10 s; a receipt is due every 2 s and
  // must go out within a second of asking.
  int receipts = 0;
  std::optional<Clock::time_point> receipt_asked;
  for (auto now = t0; now < t0 + 10s; now += 1ms) {
    if ((now - t0) % 2s == 0s) receipt_asked = now;
    if (receipt_asked && !governor.try_acquire(7, SendPriority::foreground, now)) {
      EXPECT_LE(now - *receipt_asked, 1s);
      ++receipts;
      receipt_asked.reset();
    }
    (void)governor.try_acquire(7, SendPriority::background, now);
  }
  EXPECT_EQ(receipts, 5);
}

TEST(RateGovernor, ReservationsQueueForegroundSendsBehindEachOther) {
  RateGovernor governor(limits());
  for (int i = 0; i < 3; ++i) governor.reserve(7, t0);
  const auto booked = governor.reserve(7, t0);  // t0 + 1 s
  // Nothing else may jump the queue before the booked slot is used.
  EXPECT_TRUE(governor.try_acquire(7, SendPriority::foreground, t0 + 1s).has_value());
  EXPECT_EQ(booked, t0 + 1s);
  EXPECT_FALSE(governor.try_acquire(7, SendPriority::foreground, t0 + 2s).has_value());
}

TEST(RateGovernor, IdleChatsAreForgottenBeyondTheTrackingLimit) {
  auto l = limits();
  l.max_tracked_chats = 10;
  RateGovernor governor(l);
  for (std::int64_t chat = 0; chat < 10; ++chat) governor.reserve(chat, t0);
  EXPECT_EQ(governor.tracked_chats(), 10U);
  governor.reserve(100, t0 + 10s);  // all earlier chats have refilled by now
  EXPECT_EQ(governor.tracked_chats(), 1U);
}

TEST(RateGovernor, PenalizedChatIsNotForgotten) {
  auto l = limits();
  l.max_tracked_chats = 2;
  RateGovernor governor(l);
  governor.penalize(1, 60s, t0);
  governor.reserve(2, t0);
  governor.reserve(3, t0 + 10s);
  EXPECT_EQ(governor.earliest(1, t0 + 10s), t0 + 60s);
}

}  // namespace
}  // namespace teltubby::bot
