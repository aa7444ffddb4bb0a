#pragma once
// What the admins (TELEGRAM_WHITELIST_IDS, as for quota alerts) are told when the
// worker's login state changes (worker.auth events, DESIGN.md section 5): what to
// send (/mtcode, /mtpass), the QR code to scan (a photo), a wrong or expired code, when
// Telegram lets them try again, logged in, logged out, suspended.
//
// Pure decisions and texts, plus AuthNotifier, which sends them through the Outbox.
// JobEventsReader reads the stored state before recording the event and calls
// auth_notice_wanted(), so a worker restart that repeats "ready" tells nobody.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bot/outbox.hpp"
#include "core/log.hpp"
#include "jobs/worker_status.hpp"
#include "queue/events.hpp"

namespace teltubby::botsvc {

// Pixels per QR module in the photo: a login link is a version 4 code, 33 modules plus
// 8 of quiet zone = 41, so 328 px square, enough to survive Telegram's JPEG re-encoding.
inline constexpr int kQrPixelsPerModule = 8;
// A QR login link older than this is not sent (TDLib renews the token about every 30 s
// with a new event; an old one, e.g. read after a bot restart, is void).
inline constexpr std::chrono::seconds kQrFreshFor{60};

// Whether the admins hear about `event` (which happened at `at`; `now` is the bot's
// clock), given the auth state stored before it (nullopt: none):
//   needs_qr: each fresh one (every event carries a new link), none older than kQrFreshFor;
//   needs_code / needs_password with a reason (the answer to an attempt: wrong or
//   expired code, wrong password): always;
//   otherwise: when state, user id, reason or retry_after differ from the stored ones.
bool auth_notice_wanted(const std::optional<jobs::WorkerAuth>& previous, const queue::WorkerAuthEvent& event,
                        std::chrono::sys_seconds at, std::chrono::sys_seconds now);

// The notice (Telegram HTML) for an event that happened at `at` (retry times are
// counted from it). For needs_qr it is the photo's caption (well under 1024 characters).
std::string render_auth_notice(const queue::WorkerAuthEvent& event, std::chrono::sys_seconds at);

// "14:05 UTC" on the day of `today`, else "2026-12-05 14:05 UTC".
std::string render_utc_time(std::chrono::sys_seconds when, std::chrono::sys_seconds today);

class AuthNotifier {
 public:
  // `outbox` must outlive the notifier.
  AuthNotifier(bot::Outbox& outbox, std::vector<std::int64_t> admins);
  AuthNotifier(const AuthNotifier&) = delete;
  AuthNotifier& operator=(const AuthNotifier&) = delete;

  // Sends the notice to every admin (the QR code as a photo for needs_qr). The QR
  // photos sent before are deleted first: once the next event comes they are void,
  // and a chat should never show an old code next to the current one. Failures are
  // logged (never with the link); called from the events thread only.
  void notify(const queue::WorkerAuthEvent& event, std::chrono::sys_seconds at);

 private:
  void delete_old_qr_photos();

  bot::Outbox& outbox_;
  std::vector<std::int64_t> admins_;
  std::vector<std::pair<std::int64_t, std::int64_t>> qr_photos_;  // (chat, message) still showing a QR
  Logger log_{"jobs.auth_notices"};
};

}  // namespace teltubby::botsvc
