// Outbox against the in-process fake Telegram world, whose rate limits follow Telegram's
// documented figures (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this:
// per chat a burst then 1 message/s, about 30/s overall; over the limit 429 with retry_after).
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "bot/outbox.hpp"
#include "bot_world_fixture.hpp"
#include "support/wait.hpp"

namespace teltubby::bot {
namespace {

using namespace std::chrono_literals;
using testing::BotWorld;
using testing::Json;

std::vector<Json> events_of_type(const std::vector<Json>& events, const std::string& type) {
  std::vector<Json> out;
  for (const auto& event : events) {
    if (event["type"] == type) out.push_back(event);
  }
  return out;
}

class OutboxTest : public ::testing::Test {
 protected:
  explicit OutboxTest(bool rate_limits = true) : world(rate_limits) {}
  BotWorld world;
  botapi::BotApiClient client{world.client_settings()};
};

TEST_F(OutboxTest, BurstOfTenSendsToOneChatNeverGetsFloodLimited) {
  Outbox outbox{client, telegram_send_limits()};
  std::vector<std::future<Result<std::int64_t>>> sends;
  for (int i = 0; i < 10; ++i) {
    sends.push_back(std::async(std::launch::async, [&, i] {
      return outbox.send(world.curator_id, "receipt " + std::to_string(i));
    }));
  }
  std::set<std::int64_t> ids;
  for (auto& send : sends) {
    auto id = send.get();
    ASSERT_TRUE(id.has_value()) << id.error().describe();
    ids.insert(*id);
  }
  EXPECT_EQ(ids.size(), 10U);
  // The fake enforces the limits: any early send would have been answered 429.
  EXPECT_EQ(outbox.rate_limited_answers(), 0U);
  const auto sent = events_of_type(world.curator_outbox(10), "sent");
  ASSERT_EQ(sent.size(), 10U);
  std::set<std::string> texts;
  for (const auto& event : sent) texts.insert(event["message"]["text"].get<std::string>());
  for (int i = 0; i < 10; ++i) EXPECT_TRUE(texts.contains("receipt " + std::to_string(i))) << i;
}

TEST_F(OutboxTest, TooManyRequestsIsHonouredThenTheSendSucceeds) {
  Outbox outbox{client, telegram_send_limits()};
  world.inject_fault("sendMessage", "too_many_requests", {{"retry_after", 1}});
  const auto started = Outbox::Clock::now();
  auto id = outbox.send(world.curator_id, "after the flood wait");
  ASSERT_TRUE(id.has_value()) << id.error().describe();
  // The retry went out only after retry_after had passed.
  EXPECT_GE(Outbox::Clock::now() - started, 1s);
  EXPECT_EQ(outbox.rate_limited_answers(), 1U);
  // Penalised: the chat restarts without its burst, so the next slot is in the future
  // (without the penalty one token of the burst of 3 would still be there).
  EXPECT_GT(outbox.next_slot(world.curator_id), Outbox::Clock::now());
  const auto sent = events_of_type(world.curator_outbox(1), "sent");
  ASSERT_EQ(sent.size(), 1U);
  EXPECT_EQ(sent[0]["message_id"], *id);
}

TEST_F(OutboxTest, GivesUpWhenRetryAfterExceedsMaxWait) {
  Outbox outbox{client, telegram_send_limits(), /*max_wait=*/2s};
  world.inject_fault("sendMessage", "too_many_requests", {{"retry_after", 30}});
  auto send = std::async(std::launch::async, [&] { return outbox.send(world.curator_id, "never sent"); });
  // Waiting out the 30 s would blow through max_wait: it returns long before that.
  ASSERT_EQ(send.wait_for(15s), std::future_status::ready);
  auto id = send.get();
  ASSERT_FALSE(id.has_value());
  EXPECT_EQ(id.error().code, "telegram.429");
  EXPECT_TRUE(id.error().retryable());
  EXPECT_EQ(id.error().retry_after, 30s);
  EXPECT_TRUE(world.curator_outbox(0, 0ms).empty());
}

TEST_F(OutboxTest, SendGivesUpWhenNoSlotComesWithinMaxWait) {
  RateGovernor::Limits slow = telegram_send_limits();
  slow.per_chat_per_second = 0.01;  // one message per 100 s
  slow.per_chat_burst = 1;
  Outbox outbox{client, slow, /*max_wait=*/2s};
  ASSERT_TRUE(outbox.send(world.curator_id, "first").has_value());
  auto send = std::async(std::launch::async, [&] { return outbox.send(world.curator_id, "second"); });
  ASSERT_EQ(send.wait_for(15s), std::future_status::ready) << "it waited for a slot beyond max_wait";
  auto second = send.get();
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().code, "bot.rate_limited");
  EXPECT_TRUE(second.error().retryable());
  EXPECT_GT(second.error().retry_after, 2s);
  EXPECT_EQ(events_of_type(world.curator_outbox(1), "sent").size(), 1U);
}

TEST_F(OutboxTest, TryEditIsRefusedWithoutSpareCapacity) {
  Outbox outbox{client, telegram_send_limits()};
  auto first = outbox.send(world.curator_id, "Downloading 0%");
  ASSERT_TRUE(first.has_value()) << first.error().describe();
  // One send leaves 2 of the chat's 3 tokens: a background edit may still use one.
  ASSERT_TRUE(outbox.try_edit(world.curator_id, *first, "Downloading 10%").has_value());
  // The burst is used up by foreground sends now.
  ASSERT_TRUE(outbox.send(world.curator_id, "receipt").has_value());
  auto refused = outbox.try_edit(world.curator_id, *first, "Downloading 20%");
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, "bot.rate_limited");
  EXPECT_TRUE(refused.error().retryable());
  EXPECT_GE(refused.error().retry_after, 1s);
  // Nothing went out for the refused edit (try_edit returns only after a send finished).
  const auto events = world.curator_outbox(3);
  ASSERT_EQ(events.size(), 3U);
  EXPECT_EQ(events[1]["type"], "edited");
  EXPECT_EQ(events[1]["message"]["text"], "Downloading 10%");
  EXPECT_EQ(events[2]["type"], "sent");
}

TEST_F(OutboxTest, ChatActionIsSkippedWithoutSpareCapacity) {
  Outbox outbox{client, telegram_send_limits()};
  ASSERT_TRUE(outbox.chat_action(world.curator_id, "typing").has_value());
  ASSERT_TRUE(outbox.send(world.curator_id, "one").has_value());
  ASSERT_TRUE(outbox.send(world.curator_id, "two").has_value());
  // No spare capacity left: skipped, and that is not an error.
  ASSERT_TRUE(outbox.chat_action(world.curator_id, "typing").has_value());
  const auto events = world.curator_outbox(3);
  ASSERT_EQ(events.size(), 3U);
  EXPECT_EQ(events[0]["type"], "chat_action");
  EXPECT_EQ(events_of_type(events, "chat_action").size(), 1U);
}

TEST_F(OutboxTest, ServerErrorIsReturnedNotResent) {
  Outbox outbox{client, telegram_send_limits()};
  world.inject_fault("sendMessage", "server_error", {{"status", 500}});
  auto failed = outbox.send(world.curator_id, "maybe");
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error().code, "telegram.500");
  EXPECT_TRUE(failed.error().retryable());
  EXPECT_EQ(outbox.rate_limited_answers(), 0U);
  auto again = outbox.send(world.curator_id, "again");
  ASSERT_TRUE(again.has_value()) << again.error().describe();
  const auto events = world.curator_outbox(1);
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0]["message"]["text"], "again");
}

TEST_F(OutboxTest, StopWakesAWaitingSender) {
  RateGovernor::Limits slow = telegram_send_limits();
  slow.per_chat_per_second = 0.01;  // one message per 100 s
  slow.per_chat_burst = 1;
  Outbox outbox{client, slow, /*max_wait=*/600s};  // long enough to wait for a 100 s slot
  ASSERT_TRUE(outbox.send(world.curator_id, "first").has_value());
  auto waiting = std::async(std::launch::async, [&] { return outbox.send(world.curator_id, "second"); });
  // The waiting send has booked its slot 100 s out, so the next free one is ~200 s away.
  ASSERT_TRUE(test::wait_until(
      [&] { return outbox.next_slot(world.curator_id) > Outbox::Clock::now() + 150s; }, 10s));
  outbox.stop();
  ASSERT_EQ(waiting.wait_for(10s), std::future_status::ready) << "stop() did not wake the sender";
  auto second = waiting.get();
  ASSERT_FALSE(second.has_value());
  EXPECT_EQ(second.error().kind, ErrorKind::cancelled);
  // Later calls fail fast.
  auto late = outbox.send(world.curator_id, "late");
  ASSERT_FALSE(late.has_value());
  EXPECT_EQ(late.error().kind, ErrorKind::cancelled);
  auto late_edit = outbox.try_edit(world.curator_id, 1, "x");
  ASSERT_FALSE(late_edit.has_value());
  EXPECT_EQ(late_edit.error().kind, ErrorKind::cancelled);
  EXPECT_EQ(events_of_type(world.curator_outbox(1), "sent").size(), 1U);
}

}  // namespace
}  // namespace teltubby::bot
