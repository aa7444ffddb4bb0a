#include "mtproto/worker_login.hpp"

#include "queue/event_channel.hpp"
#include "queue/session.hpp"

namespace teltubby::mtproto {

using nlohmann::json;

// The thread's broker session: events out, control messages in.
class WorkerLogin::Channel {
 public:
  explicit Channel(const queue::QueueSettings& settings) : session_(settings), events_(session_), control_(session_) {}
  queue::EventPublisher& events() { return events_; }
  queue::EventConsumer& control() { return control_; }
  queue::Session& session() { return session_; }

 private:
  queue::Session session_;
  queue::EventPublisher events_;
  queue::EventConsumer control_;
};

WorkerLogin::WorkerLogin(WorkerLoginSettings settings, TdAccount& account)
    : settings_(std::move(settings)), account_(account) {
  account_.on_login([this](const LoginView& view) {
    {
      const std::scoped_lock lock(mutex_);
      steps_.push_back(view);
      if (view.step != LoginStep::ready) ready_ = false;
    }
    changed_.notify_all();
  });
}

WorkerLogin::~WorkerLogin() {
  try {
    stop();
  } catch (...) {
    // A destructor never throws.
  }
}

void WorkerLogin::start() {
  thread_ = std::jthread([this](const std::stop_token& stop) { run(stop); });
}

void WorkerLogin::stop() {
  stopping_ = true;
  if (thread_.joinable()) {
    thread_.request_stop();
    changed_.notify_all();
    thread_.join();
  }
}

bool WorkerLogin::ready() const {
  const std::scoped_lock lock(mutex_);
  return ready_;
}

std::optional<AccountInfo> WorkerLogin::account() const {
  const std::scoped_lock lock(mutex_);
  if (!ready_) return std::nullopt;
  return me_;
}

std::int64_t WorkerLogin::bot_chat_id() const {
  const std::scoped_lock lock(mutex_);
  return bot_chat_id_;
}

AccountContext WorkerLogin::context() {
  return AccountContext{.account = [this] { return account(); }, .bot_chat_id = [this] { return bot_chat_id(); }};
}

void WorkerLogin::run(const std::stop_token& stop) {
  Channel channel(settings_.queue);
  while (!stop.stop_requested()) {
    try {
      std::optional<LoginView> step;
      bool retry_bot_chat = false;
      {
        const std::scoped_lock lock(mutex_);
        if (!steps_.empty()) {
          step = steps_.front();
          steps_.pop_front();
        }
        retry_bot_chat = need_bot_chat_;
      }
      if (step) {
        act(*step, channel);
        continue;
      }
      if (retry_bot_chat) on_ready(channel);
      auto message = channel.control().next_control(settings_.poll);
      if (!message) {
        log_.warn("cannot read control messages", {{"error", message.error().describe()}});
        (void)channel.session().wait(settings_.poll);
        continue;
      }
      if (*message) handle_control(**message, channel);
    } catch (const std::exception& error) {
      // The loop's boundary: one bad step must not end the login handling.
      log_.error("unexpected error in the login loop", {{"error", error.what()}});
      std::unique_lock lock(mutex_);
      changed_.wait_for(lock, settings_.poll, [&] { return stop.stop_requested(); });
    }
  }
}

void WorkerLogin::announce(Channel& channel, queue::AuthState state, std::optional<std::string> reason,
                           std::optional<std::string> qr_link, std::chrono::seconds retry_after) {
  queue::WorkerAuthEvent event;
  event.worker_id = settings_.worker_id;
  event.state = state;
  event.reason = std::move(reason);
  event.qr_link = std::move(qr_link);
  if (retry_after.count() > 0) event.retry_after_seconds = retry_after.count();
  if (state == queue::AuthState::ready) {
    const std::scoped_lock lock(mutex_);
    if (me_) {
      event.user_id = me_->user_id;
      event.account_name = me_->display_name();
    }
    if (session_since_) event.session_since = session_since_->time_since_epoch().count();
  }
  log_.info("login state announced", {{"state", std::string(queue::to_string(state))}});
  auto sent = channel.events().publish(
      {std::move(event), std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now())});
  if (!sent) log_.warn("worker.auth event not published", {{"error", sent.error().describe()}});
}

void WorkerLogin::send_phone(Channel& channel) {
  if (auto sent = account_.send_phone(settings_.phone_number); !sent) {
    report_problem(channel, sent.error(), queue::AuthState::failed);
  }
}

void WorkerLogin::report_problem(Channel& channel, const Error& error, queue::AuthState ask_again) {
  const LoginProblem problem = login_problem(error);
  const std::string text = describe(problem, error);
  log_.warn("login step refused", {{"problem", text}});
  if (problem == LoginProblem::flood_wait) {
    announce(channel, queue::AuthState::failed, text, std::nullopt, error.retry_after);
    return;
  }
  if (problem == LoginProblem::bad_phone && error.message.find("BANNED") != std::string::npos) {
    announce(channel, queue::AuthState::suspended, "the phone number is banned by Telegram: " + error.message);
    return;
  }
  announce(channel, ask_again, text);
}

void WorkerLogin::act(const LoginView& view, Channel& channel) {
  switch (view.step) {
    case LoginStep::starting:
    case LoginStep::closing:
      return;
    case LoginStep::needs_phone:
      if (!settings_.phone_number.empty()) {
        send_phone(channel);
      } else {
        announce(channel, queue::AuthState::logged_out,
                 "the worker account is not logged in and MTPROTO_PHONE_NUMBER is not set: log in with /mtqr");
      }
      return;
    case LoginStep::needs_code:
      interactive_login_ = true;
      announce(channel, queue::AuthState::needs_code);
      return;
    case LoginStep::needs_password:
      interactive_login_ = true;
      announce(channel, queue::AuthState::needs_password,
               view.password_hint.empty() ? std::nullopt : std::optional<std::string>("hint: " + view.password_hint));
      return;
    case LoginStep::needs_qr_scan:
      interactive_login_ = true;
      announce(channel, queue::AuthState::needs_qr, std::nullopt, view.qr_link);
      return;
    case LoginStep::ready:
      on_ready(channel);
      return;
    case LoginStep::unsupported:
      announce(channel, queue::AuthState::failed,
               "TDLib asks for a login step the worker cannot do (" + view.type +
                   "); log in once with the Telegram app for this number, then try again");
      return;
    case LoginStep::closed: {
      if (stopping_) return;
      const std::string suspension = account_suspension(account_.last_auth_failure());
      {
        const std::scoped_lock lock(mutex_);
        me_.reset();
        need_bot_chat_ = false;
      }
      if (!suspension.empty()) {
        announce(channel, queue::AuthState::suspended, suspension + "; jobs wait in the queue");
        return;
      }
      announce(channel, queue::AuthState::logged_out,
               "the worker's Telegram session ended (revoked or logged out elsewhere); jobs wait in the queue until "
               "it logs in again");
      account_.restart();
      return;
    }
  }
}

void WorkerLogin::on_ready(Channel& channel) {
  auto me = account_.me();
  if (!me) {
    log_.warn("getMe failed after login; trying again", {{"error", me.error().describe()}});
    const std::scoped_lock lock(mutex_);
    need_bot_chat_ = true;
    return;
  }
  const auto since = account_.session_since(interactive_login_);
  interactive_login_ = false;
  {
    const std::scoped_lock lock(mutex_);
    me_ = *me;
    session_since_ = since;
  }
  const auto username = settings_.bot_username ? settings_.bot_username() : std::nullopt;
  std::int64_t bot_chat = 0;
  if (username && !username->empty()) {
    // searchPublicChat username:string = Chat; a bot's private chat id is its user id.
    auto chat = account_.call(search_public_chat_request(*username));
    if (chat) {
      bot_chat = chat->value("id", std::int64_t{0});
    } else {
      log_.warn("cannot find the bot's chat", {{"bot", *username}, {"error", chat.error().describe()}});
    }
  }
  if (bot_chat == 0) {
    // The bot writes its username at start; until then (or while Telegram does not
    // answer) look again on the next round; jobs wait.
    const std::scoped_lock lock(mutex_);
    need_bot_chat_ = true;
    return;
  }
  // A bot cannot start a conversation: the account starts it once (an empty chat).
  auto history = account_.call(history_request(bot_chat, 0, 1));
  const bool empty = history && history->value("messages", json::array()).empty();
  if (empty) {
    if (auto started = account_.call(bot_start_request(bot_chat)); !started) {
      log_.warn("could not start the bot from the worker account", {{"error", started.error().describe()}});
    }
  }
  {
    const std::scoped_lock lock(mutex_);
    bot_chat_id_ = bot_chat;
    need_bot_chat_ = false;
    ready_ = account_.login().step == LoginStep::ready;
  }
  log_.info("worker account ready", {{"user_id", me->user_id}, {"premium", me->premium}});
  announce(channel, queue::AuthState::ready);
}

void WorkerLogin::handle_control(const queue::ControlMessage& message, Channel& channel) {
  const LoginView now = account_.login();
  if (const auto* code = std::get_if<queue::AuthCodeControl>(&message)) {
    if (now.step != LoginStep::needs_code) {
      log_.info("login code ignored: none is expected", {{"state", now.type}});
      return;
    }
    if (auto checked = account_.send_code(code->code); !checked) {
      if (login_problem(checked.error()) == LoginProblem::expired_code && !settings_.phone_number.empty()) {
        // A new code comes with a new phone number step (allowed while waiting for a code).
        if (auto again = account_.send_phone(settings_.phone_number); !again) {
          report_problem(channel, again.error(), queue::AuthState::failed);
          return;
        }
      }
      report_problem(channel, checked.error(), queue::AuthState::needs_code);
    }
    return;
  }
  if (const auto* password = std::get_if<queue::AuthPasswordControl>(&message)) {
    if (now.step != LoginStep::needs_password) {
      log_.info("password ignored: none is expected", {{"state", now.type}});
      return;
    }
    if (auto checked = account_.send_password(password->password); !checked) {
      report_problem(channel, checked.error(), queue::AuthState::needs_password);
    }
    return;
  }
  if (std::holds_alternative<queue::QrRequestControl>(message)) {
    if (now.step == LoginStep::ready) {
      announce(channel, queue::AuthState::ready, "already logged in");
      return;
    }
    if (auto asked = account_.request_qr(); !asked) report_problem(channel, asked.error(), queue::AuthState::failed);
    return;
  }
  // cancel_job: cancellation reaches a running job through the database (JobProcessor polls it).
}

}  // namespace teltubby::mtproto
