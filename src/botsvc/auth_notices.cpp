#include "botsvc/auth_notices.hpp"

#include <cstdio>

#include "bot/html.hpp"
#include "bot/receipt.hpp"
#include "qr/qr.hpp"

namespace teltubby::botsvc {
namespace {

// The worker's reason as a sentence: first letter capitalised, a full stop added.
std::string sentence(std::string_view reason) {
  std::string text = bot::html_escape(reason);
  if (!text.empty() && text[0] >= 'a' && text[0] <= 'z') text[0] = static_cast<char>(text[0] - 'a' + 'A');
  if (!text.empty() && text.back() != '.' && text.back() != '!' && text.back() != '?') text += '.';
  return text;
}

std::string reason_line(const queue::WorkerAuthEvent& event) {
  if (!event.reason || event.reason->empty()) return "";
  return "⚠️ " + sentence(*event.reason) + "\n";
}

std::string code_notice(const queue::WorkerAuthEvent& event) {
  return reason_line(event) +
         "🔑 <b>The worker account needs its login code.</b>\n"
         "Telegram sent it to the account (in the Telegram app, or by SMS). Send it here as "
         "<code>/mtcode 1-2-3-4-5</code>, with separators between the digits: Telegram voids a login code "
         "that is sent plainly in a chat. I delete your message right after reading it.";
}

std::string password_notice(const queue::WorkerAuthEvent& event) {
  // The worker passes the account's password hint as "hint: ..."; it is help, not a
  // warning, so it follows the request instead of heading it.
  constexpr std::string_view kHintPrefix = "hint: ";
  const bool is_hint = event.reason && event.reason->starts_with(kHintPrefix);
  std::string text = (is_hint ? std::string() : reason_line(event)) +
                     "🔐 <b>The worker account has two-step verification.</b>\n"
                     "Send its password here as <code>/mtpass your password</code>. I delete your message right "
                     "after reading it.";
  if (is_hint) text += "\nPassword hint: " + bot::html_escape(std::string_view(*event.reason).substr(kHintPrefix.size()));
  return text;
}

std::string qr_notice(const queue::WorkerAuthEvent& event) {
  return reason_line(event) +
         "📷 <b>Log the worker in by QR code.</b>\n"
         "On a phone where the worker's Telegram account is open, go to Settings &gt; Devices &gt; Link Desktop "
         "Device and scan this code. It is valid for about 30 seconds; a new one replaces it here.";
}

std::string ready_notice(const queue::WorkerAuthEvent& event) {
  std::string text = "✅ <b>The worker is logged in</b>";
  if (event.user_id) text += " (account id <code>" + std::to_string(*event.user_id) + "</code>)";
  return text + ". Large-file jobs run.";
}

std::string failed_notice(const queue::WorkerAuthEvent& event, std::chrono::sys_seconds at) {
  std::string text = "❌ <b>The worker's login failed.</b>";
  if (event.reason && !event.reason->empty()) text += " " + sentence(*event.reason);
  text += "\n";
  if (event.retry_after_seconds && *event.retry_after_seconds > 0) {
    const std::chrono::seconds wait{*event.retry_after_seconds};
    text += "Telegram lets the account try again in " + bot::human_eta(wait) + ", after " +
            render_utc_time(at + wait, at) + ". Then start again with /mtqr, or send the code the worker asks for.";
  } else {
    text += "Start again with /mtqr, or send the code the worker asks for.";
  }
  return text;
}

std::string logged_out_notice(const queue::WorkerAuthEvent& event) {
  std::string text = "🚪 <b>The worker account is logged out.</b>";
  if (event.reason && !event.reason->empty()) text += " " + sentence(*event.reason);
  return text +
         "\nLarge-file jobs wait in the queue until it logs in again: send /mtqr to scan a QR code, or the "
         "code the worker asks for.";
}

std::string suspended_notice(const queue::WorkerAuthEvent& event) {
  std::string text = "⛔ <b>Telegram suspended the worker account.</b>";
  if (event.reason && !event.reason->empty()) text += " " + sentence(*event.reason);
  return text +
         "\nLarge-file jobs wait in the queue. Open the account in the Telegram app to see the limit and how to "
         "appeal; or log the worker in with another account (<code>teltubby login</code> on the worker's host).";
}

}  // namespace

bool auth_notice_wanted(const std::optional<jobs::WorkerAuth>& previous, const queue::WorkerAuthEvent& event,
                        std::chrono::sys_seconds at, std::chrono::sys_seconds now) {
  using queue::AuthState;
  if (event.state == AuthState::needs_qr) return now - at <= kQrFreshFor;
  const bool answers_an_attempt = event.state == AuthState::needs_code || event.state == AuthState::needs_password;
  if (answers_an_attempt && event.reason && !event.reason->empty()) return true;
  if (!previous) return true;
  return previous->state != queue::to_string(event.state) || previous->user_id != event.user_id ||
         previous->reason != event.reason || previous->retry_after_seconds != event.retry_after_seconds;
}

std::string render_auth_notice(const queue::WorkerAuthEvent& event, std::chrono::sys_seconds at) {
  using queue::AuthState;
  switch (event.state) {
    case AuthState::needs_code: return code_notice(event);
    case AuthState::needs_password: return password_notice(event);
    case AuthState::needs_qr: return qr_notice(event);
    case AuthState::ready: return ready_notice(event);
    case AuthState::failed: return failed_notice(event, at);
    case AuthState::logged_out: return logged_out_notice(event);
    case AuthState::suspended: return suspended_notice(event);
  }
  return "The worker's login state is " + std::string(queue::to_string(event.state)) + ".";
}

std::string render_utc_time(std::chrono::sys_seconds when, std::chrono::sys_seconds today) {
  const auto day = std::chrono::floor<std::chrono::days>(when);
  const std::chrono::hh_mm_ss clock{when - day};
  char text[32];
  if (day == std::chrono::floor<std::chrono::days>(today)) {
    std::snprintf(text, sizeof text, "%02d:%02d UTC", static_cast<int>(clock.hours().count()),
                  static_cast<int>(clock.minutes().count()));
  } else {
    const std::chrono::year_month_day date{day};
    std::snprintf(text, sizeof text, "%04d-%02u-%02u %02d:%02d UTC", static_cast<int>(date.year()),
                  static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()),
                  static_cast<int>(clock.hours().count()), static_cast<int>(clock.minutes().count()));
  }
  return text;
}

AuthNotifier::AuthNotifier(bot::Outbox& outbox, std::vector<std::int64_t> admins)
    : outbox_(outbox), admins_(std::move(admins)) {}

void AuthNotifier::delete_old_qr_photos() {
  for (const auto& [chat, message] : qr_photos_) {
    if (auto deleted = outbox_.delete_message(chat, message); !deleted) {
      log_.warn("old QR code not deleted", {{"chat_id", chat}, {"error", deleted.error().describe()}});
    }
  }
  qr_photos_.clear();
}

void AuthNotifier::notify(const queue::WorkerAuthEvent& event, std::chrono::sys_seconds at) {
  delete_old_qr_photos();
  const std::string text = render_auth_notice(event, at);
  std::optional<std::vector<std::byte>> png;
  if (event.state == queue::AuthState::needs_qr) {
    auto drawn = qr::render_qr_png(event.qr_link.value_or(""), kQrPixelsPerModule);
    if (drawn) {
      png = std::move(*drawn);
    } else {
      // Not sendable as a picture; the admins still learn that a QR login waits.
      log_.error("QR code not drawn", {{"error", drawn.error().describe()}});
    }
  }
  const std::string message = event.state == queue::AuthState::needs_qr && !png
                                  ? text + "\n⚠️ The picture could not be drawn (see the bot's log): send /mtqr "
                                           "for a new one, or log in with the code the worker asks for."
                                  : text;
  for (const auto admin : admins_) {
    if (png) {
      auto sent = outbox_.send_photo(admin, *png, "login-qr.png", "image/png", text);
      if (sent) {
        qr_photos_.emplace_back(admin, *sent);
        continue;
      }
      log_.warn("QR code not sent", {{"chat_id", admin}, {"error", sent.error().describe()}});
      continue;
    }
    if (auto sent = outbox_.send(admin, message); !sent) {
      log_.warn("login notice not sent", {{"chat_id", admin}, {"error", sent.error().describe()}});
    }
  }
}

}  // namespace teltubby::botsvc
