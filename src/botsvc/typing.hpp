#pragma once
// "typing…" in the curator's chat while the bot works on their message. Telegram shows
// a chat action for about 5 seconds, so it is renewed every 4 s until the work is done.
// One thread serves every chat; sends go through the Outbox at background priority,
// so typing never delays a receipt.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <thread>

#include "bot/outbox.hpp"

namespace teltubby::botsvc {

class TypingIndicator {
 public:
  explicit TypingIndicator(bot::Outbox& outbox, std::chrono::milliseconds renew_every = std::chrono::seconds{4});
  ~TypingIndicator();  // stops the thread; never throws
  TypingIndicator(const TypingIndicator&) = delete;
  TypingIndicator& operator=(const TypingIndicator&) = delete;

  // While at least one scope for a chat is alive, the chat shows "typing".
  class Scope {
   public:
    Scope(TypingIndicator& owner, std::int64_t chat_id);
    ~Scope();
    Scope(const Scope&) = delete;
    Scope& operator=(const Scope&) = delete;

   private:
    TypingIndicator& owner_;
    std::int64_t chat_id_;
  };

 private:
  void run(const std::stop_token& stop);
  struct Chat {
    int users = 0;
    std::chrono::steady_clock::time_point next_at{};  // epoch: send at once
  };
  bot::Outbox& outbox_;
  std::chrono::milliseconds renew_every_;
  std::mutex mutex_;
  std::condition_variable_any wake_;
  std::map<std::int64_t, Chat> chats_;
  bool changed_ = false;  // a chat started: look at the schedule again
  std::jthread thread_;
};

}  // namespace teltubby::botsvc
