#include <gtest/gtest.h>

#include "bot/edit_coalescer.hpp"

namespace teltubby::bot {
namespace {

using namespace std::chrono_literals;
using Clock = EditCoalescer::Clock;
using Edit = EditCoalescer::Edit;

const Clock::time_point t0 = Clock::time_point{} + 1000s;

Edit progress(std::string text, std::int64_t message_id = 50) { return Edit{7, message_id, std::move(text), false}; }
Edit final_text(std::string text, std::int64_t message_id = 50) { return Edit{7, message_id, std::move(text), true}; }

std::vector<std::string> texts(const std::vector<Edit>& edits) {
  std::vector<std::string> out;
  for (const auto& e : edits) out.push_back(e.text);
  return out;
}

TEST(EditCoalescer, KeepsOnlyTheLatestTextPerMessage) {
  EditCoalescer coalescer(3s);
  coalescer.record_sent(7, 50, "queued", t0);
  coalescer.submit(progress("downloading 10%"), t0 + 100ms);
  coalescer.submit(progress("downloading 20%"), t0 + 200ms);
  coalescer.submit(progress("downloading 30%"), t0 + 300ms);
  EXPECT_TRUE(coalescer.take_due(t0 + 2s).empty());
  EXPECT_EQ(coalescer.next_deadline(), t0 + 3s);
  EXPECT_EQ(texts(coalescer.take_due(t0 + 3s)), std::vector<std::string>{"downloading 30%"});
  EXPECT_EQ(coalescer.pending(), 0U);
}

TEST(EditCoalescer, AtMostOneEditPerMessageEveryInterval) {
  EditCoalescer coalescer(3s);
  int edits = 0;
  Clock::time_point last{};
  for (auto now = t0; now < t0 + 30s; now += 100ms) {
    coalescer.submit(progress("at " + std::to_string((now - t0).count())), now);
    for (const auto& edit : coalescer.take_due(now)) {
      (void)edit;
      if (edits > 0) {
        EXPECT_GE(now - last, 3s);
      }
      last = now;
      ++edits;
    }
  }
  EXPECT_EQ(edits, 10);
}

TEST(EditCoalescer, FinalStateIsNotReplacedByLateProgressAndIsDelivered) {
  EditCoalescer coalescer(3s);
  coalescer.record_sent(7, 50, "queued", t0);
  coalescer.submit(final_text("archived: teltubby/x"), t0 + 1s);
  coalescer.submit(progress("uploading 99%"), t0 + 1500ms);
  auto due = coalescer.take_due(t0 + 3s);
  ASSERT_EQ(due.size(), 1U);
  EXPECT_EQ(due[0].text, "archived: teltubby/x");
  EXPECT_TRUE(due[0].final);
  // Anything after the final edit is ignored.
  coalescer.submit(progress("uploading 100%"), t0 + 4s);
  EXPECT_EQ(coalescer.pending(), 0U);
  EXPECT_TRUE(coalescer.take_due(t0 + 10s).empty());
}

TEST(EditCoalescer, AReopenedMessageTakesEditsAgainAfterItsFinalText) {
  EditCoalescer coalescer(3s);
  coalescer.record_sent(7, 50, "queued", t0);
  coalescer.submit(final_text("failed"), t0 + 4s);
  ASSERT_EQ(texts(coalescer.take_due(t0 + 4s)), std::vector<std::string>{"failed"});
  coalescer.reopen(7, 50);  // an admin retried the job
  coalescer.submit(progress("queued again"), t0 + 5s);
  EXPECT_TRUE(coalescer.take_due(t0 + 5s).empty()) << "the interval still counts from the last edit";
  EXPECT_EQ(texts(coalescer.take_due(t0 + 7s)), std::vector<std::string>{"queued again"});
}

TEST(EditCoalescer, FinalEditsComeFirst) {
  EditCoalescer coalescer(3s);
  coalescer.submit(progress("p1", 1), t0);
  coalescer.submit(progress("p2", 2), t0);
  coalescer.submit(final_text("done", 3), t0 + 1ms);
  EXPECT_EQ(texts(coalescer.take_due(t0 + 1ms)), (std::vector<std::string>{"done", "p1", "p2"}));
}

TEST(EditCoalescer, UnchangedTextIsNotSentAgain) {
  EditCoalescer coalescer(3s);
  coalescer.record_sent(7, 50, "downloading 40%", t0);
  coalescer.submit(progress("downloading 40%"), t0 + 1s);
  EXPECT_TRUE(coalescer.take_due(t0 + 5s).empty());
  EXPECT_EQ(coalescer.pending(), 0U);
}

TEST(EditCoalescer, RequeuedEditIsDueAgainAtOnce) {
  EditCoalescer coalescer(3s);
  coalescer.record_sent(7, 50, "queued", t0);
  coalescer.submit(progress("downloading 50%"), t0 + 1s);
  auto taken = coalescer.take_due(t0 + 3s);
  ASSERT_EQ(taken.size(), 1U);
  coalescer.requeue(taken[0], t0 + 3100ms);  // the governor had no room
  EXPECT_EQ(texts(coalescer.take_due(t0 + 3200ms)), std::vector<std::string>{"downloading 50%"});
}

TEST(EditCoalescer, RequeueDoesNotOverrideANewerText) {
  EditCoalescer coalescer(3s);
  coalescer.submit(progress("downloading 50%"), t0);
  auto taken = coalescer.take_due(t0);
  ASSERT_EQ(taken.size(), 1U);
  coalescer.submit(progress("downloading 60%"), t0 + 100ms);
  coalescer.requeue(taken[0], t0 + 200ms);
  EXPECT_EQ(texts(coalescer.take_due(t0 + 300ms)), std::vector<std::string>{"downloading 60%"});
}

TEST(EditCoalescer, RequeuedFinalEditIsNeverLost) {
  EditCoalescer coalescer(3s);
  coalescer.submit(final_text("failed — see /jobs_x"), t0);
  auto taken = coalescer.take_due(t0);
  ASSERT_EQ(taken.size(), 1U);
  coalescer.requeue(taken[0], t0 + 100ms);  // 429 from Telegram
  coalescer.submit(progress("late progress"), t0 + 200ms);
  auto again = coalescer.take_due(t0 + 300ms);
  ASSERT_EQ(again.size(), 1U);
  EXPECT_EQ(again[0].text, "failed — see /jobs_x");
  EXPECT_TRUE(again[0].final);
}

TEST(EditCoalescer, ForgetsQuietMessagesAfterRetention) {
  EditCoalescer coalescer(3s, 60s);
  coalescer.submit(final_text("done", 1), t0);
  coalescer.submit(progress("p", 2), t0);
  coalescer.take_due(t0);
  EXPECT_EQ(coalescer.tracked(), 2U);
  coalescer.take_due(t0 + 61s);
  EXPECT_EQ(coalescer.tracked(), 0U);
}

}  // namespace
}  // namespace teltubby::bot
