// What the admins are told about the worker's login (worker.auth events): one text per
// state, and the decision to tell them only when something changed.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "botsvc/auth_notices.hpp"

namespace teltubby::botsvc {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using queue::AuthState;

// 2026-12-04 12:00:00 UTC
constexpr std::chrono::sys_seconds kAt{std::chrono::seconds{1796385600}};

queue::WorkerAuthEvent event(AuthState state) {
  queue::WorkerAuthEvent e;
  e.worker_id = "box-1";
  e.state = state;
  return e;
}

jobs::WorkerAuth stored(const queue::WorkerAuthEvent& e) { return jobs::auth_from(e, kAt - std::chrono::hours{1}); }

TEST(AuthNotice, NeedsCodeAsksForTheCodeWithSeparatorsAndSaysWhy) {
  const auto text = render_auth_notice(event(AuthState::needs_code), kAt);
  EXPECT_THAT(text, HasSubstr("<code>/mtcode 1-2-3-4-5</code>"));
  EXPECT_THAT(text, HasSubstr("Telegram voids a login code that is sent plainly"));
  EXPECT_THAT(text, Not(HasSubstr("⚠️")));
  auto wrong = event(AuthState::needs_code);
  wrong.reason = "the code was wrong";
  EXPECT_THAT(render_auth_notice(wrong, kAt), ::testing::StartsWith("⚠️ The code was wrong.\n🔑"));
  wrong.reason = "the code expired; a new one was sent";
  EXPECT_THAT(render_auth_notice(wrong, kAt), HasSubstr("The code expired; a new one was sent."));
}

TEST(AuthNotice, NeedsPasswordAsksForMtpass) {
  auto e = event(AuthState::needs_password);
  e.reason = "wrong <password>";
  const auto text = render_auth_notice(e, kAt);
  EXPECT_THAT(text, HasSubstr("/mtpass your password"));
  EXPECT_THAT(text, HasSubstr("⚠️ Wrong &lt;password&gt;."));
}

TEST(AuthNotice, ThePasswordHintFollowsTheRequestAndIsNoWarning) {
  auto e = event(AuthState::needs_password);
  e.reason = "hint: my <cat>'s name";
  const auto text = render_auth_notice(e, kAt);
  EXPECT_THAT(text, ::testing::StartsWith("🔐"));
  EXPECT_THAT(text, HasSubstr("\nPassword hint: my &lt;cat&gt;'s name"));
  EXPECT_THAT(text, Not(HasSubstr("⚠️")));
}

TEST(AuthNotice, NeedsQrCaptionSaysWhereToScanAndFitsACaption) {
  auto e = event(AuthState::needs_qr);
  e.qr_link = "tg://login?token=AQID";
  const auto text = render_auth_notice(e, kAt);
  EXPECT_THAT(text, HasSubstr("Settings &gt; Devices &gt; Link Desktop Device"));
  EXPECT_THAT(text, Not(HasSubstr("token"))) << "the link is in the picture only";
  EXPECT_LT(text.size(), 1024U);
}

TEST(AuthNotice, TooManyAttemptsSaysWhenToTryAgain) {
  auto e = event(AuthState::failed);
  e.reason = "too many attempts";
  e.retry_after_seconds = 5 * 3600 + 1800;
  const auto text = render_auth_notice(e, kAt);
  EXPECT_THAT(text, HasSubstr("Too many attempts."));
  EXPECT_THAT(text, HasSubstr("Telegram lets the account try again in about 5 h 30 min, after 17:30 UTC."));
  e.retry_after_seconds = 86400;
  EXPECT_THAT(render_auth_notice(e, kAt), HasSubstr("after 2026-12-05 12:00 UTC"));
  e.retry_after_seconds.reset();
  EXPECT_THAT(render_auth_notice(e, kAt), HasSubstr("Start again with /mtqr"));
}

TEST(AuthNotice, ReadyLoggedOutAndSuspendedEachSayWhatItMeans) {
  auto ready = event(AuthState::ready);
  ready.user_id = 777000123;
  EXPECT_THAT(render_auth_notice(ready, kAt), HasSubstr("logged in</b> (account id <code>777000123</code>)"));
  auto out = event(AuthState::logged_out);
  out.reason = "the session was terminated from another device";
  const auto logged_out = render_auth_notice(out, kAt);
  EXPECT_THAT(logged_out, HasSubstr("The session was terminated from another device."));
  EXPECT_THAT(logged_out, HasSubstr("jobs wait in the queue until it logs in again: send /mtqr"));
  auto banned = event(AuthState::suspended);
  banned.reason = "USER_DEACTIVATED_BAN";
  const auto suspended = render_auth_notice(banned, kAt);
  EXPECT_THAT(suspended, HasSubstr("suspended the worker account.</b> USER_DEACTIVATED_BAN."));
  EXPECT_THAT(suspended, HasSubstr("log the worker in with another account"));
}

TEST(AuthNoticeWanted, ARepeatedReadyForTheSameAccountTellsNobody) {
  auto ready = event(AuthState::ready);
  ready.user_id = 42;
  EXPECT_TRUE(auth_notice_wanted(std::nullopt, ready, kAt, kAt));
  EXPECT_FALSE(auth_notice_wanted(stored(ready), ready, kAt, kAt)) << "a worker restart";
  auto other = ready;
  other.user_id = 43;
  EXPECT_TRUE(auth_notice_wanted(stored(ready), other, kAt, kAt)) << "another account";
  EXPECT_TRUE(auth_notice_wanted(stored(event(AuthState::logged_out)), ready, kAt, kAt));
}

TEST(AuthNoticeWanted, AnAnswerToAnAttemptIsAlwaysTold) {
  auto wrong = event(AuthState::needs_code);
  wrong.reason = "the code was wrong";
  EXPECT_TRUE(auth_notice_wanted(stored(wrong), wrong, kAt, kAt)) << "wrong twice in a row";
  const auto plain = event(AuthState::needs_code);
  EXPECT_FALSE(auth_notice_wanted(stored(plain), plain, kAt, kAt)) << "still waiting for the same code";
  auto flood = event(AuthState::failed);
  flood.retry_after_seconds = 600;
  auto longer = flood;
  longer.retry_after_seconds = 3600;
  EXPECT_TRUE(auth_notice_wanted(stored(flood), longer, kAt, kAt));
  EXPECT_FALSE(auth_notice_wanted(stored(flood), flood, kAt, kAt));
}

TEST(AuthNoticeWanted, EveryFreshQrCodeIsSentButNotAStaleOne) {
  auto qr = event(AuthState::needs_qr);
  qr.qr_link = "tg://login?token=AQID";
  EXPECT_TRUE(auth_notice_wanted(stored(qr), qr, kAt, kAt)) << "each event carries a new link";
  EXPECT_TRUE(auth_notice_wanted(stored(qr), qr, kAt, kAt + kQrFreshFor));
  EXPECT_FALSE(auth_notice_wanted(stored(qr), qr, kAt, kAt + kQrFreshFor + std::chrono::seconds{1}));
}

TEST(UtcTime, SameDayShowsTheTimeOnlyOtherDaysTheDateToo) {
  EXPECT_EQ(render_utc_time(kAt + std::chrono::minutes{65}, kAt), "13:05 UTC");
  EXPECT_EQ(render_utc_time(kAt + std::chrono::hours{13}, kAt), "2026-12-05 01:00 UTC");
}

}  // namespace
}  // namespace teltubby::botsvc
