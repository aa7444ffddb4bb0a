#pragma once
// WorkerLogin: the worker's side of logging its account in and keeping it usable
// (DESIGN.md section 5, docs/mtproto.md). One thread that
//   - follows the account's login steps and tells the bot through worker.auth events
//     (needs_code / needs_password / needs_qr with the link / ready with the user id /
//     logged_out / suspended / failed with the reason and the flood wait);
//   - sends MTPROTO_PHONE_NUMBER by itself when TDLib asks for a phone number;
//   - takes the admins' input from the control queue (auth_code, auth_password,
//     qr_request) and hands it to TDLib; wrong or expired codes are reported and asked
//     again;
//   - after login makes sure the account has a chat with the bot (starts the bot once),
//     so that the bot may copy large messages there;
//   - when the session ends elsewhere: jobs stop being taken (ready() turns false), the
//     admins are told, and a fresh client waits for a new login.
// Control messages carry codes and passwords: never logged.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "core/log.hpp"
#include "mtproto/td_account.hpp"
#include "mtproto/tdlib_file_source.hpp"
#include "queue/events.hpp"
#include "queue/settings.hpp"

namespace teltubby::mtproto {

struct WorkerLoginSettings {
  queue::QueueSettings queue;
  std::string worker_id;
  std::string phone_number;  // MTPROTO_PHONE_NUMBER; "" = log in by QR (/mtqr) only
  // The bot's username (the bot records it in the shared database at start);
  // nullopt while not known.
  std::function<std::optional<std::string>()> bot_username;
  std::chrono::milliseconds poll{500};  // longest wait for a control message between state checks
};

class WorkerLogin {
 public:
  // Registers its login handler on `account` (call before account.start()).
  WorkerLogin(WorkerLoginSettings settings, TdAccount& account);
  ~WorkerLogin();  // stop(); never throws
  WorkerLogin(const WorkerLogin&) = delete;
  WorkerLogin& operator=(const WorkerLogin&) = delete;

  void start();
  void stop();

  // Logged in and the bot chat known: jobs may be taken.
  [[nodiscard]] bool ready() const;
  [[nodiscard]] std::optional<AccountInfo> account() const;
  [[nodiscard]] std::int64_t bot_chat_id() const;
  // For the file source.
  [[nodiscard]] AccountContext context();

 private:
  class Channel;
  void run(const std::stop_token& stop);
  void act(const LoginView& view, Channel& channel);
  void on_ready(Channel& channel);
  void handle_control(const queue::ControlMessage& message, Channel& channel);
  void send_phone(Channel& channel);
  void announce(Channel& channel, queue::AuthState state, std::optional<std::string> reason = std::nullopt,
                std::optional<std::string> qr_link = std::nullopt, std::chrono::seconds retry_after = {});
  void report_problem(Channel& channel, const Error& error, queue::AuthState ask_again);

  WorkerLoginSettings settings_;
  TdAccount& account_;
  Logger log_{"mtproto.login"};
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<LoginView> steps_;  // from TDLib's thread, acted on by ours
  std::optional<AccountInfo> me_;
  std::optional<std::chrono::sys_seconds> session_since_;  // with me_
  // A code, password or QR step happened since the last ready: the next ready is a new
  // session (only the login thread touches it).
  bool interactive_login_ = false;
  std::int64_t bot_chat_id_ = 0;
  bool ready_ = false;
  bool need_bot_chat_ = false;
  std::atomic<bool> stopping_{false};
  std::jthread thread_;
};

}  // namespace teltubby::mtproto
