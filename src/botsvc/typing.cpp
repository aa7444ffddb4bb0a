#include "botsvc/typing.hpp"

#include <utility>
#include <vector>

namespace teltubby::botsvc {

TypingIndicator::TypingIndicator(bot::Outbox& outbox, std::chrono::milliseconds renew_every)
    : outbox_(outbox), renew_every_(renew_every), thread_([this](const std::stop_token& stop) { run(stop); }) {}

TypingIndicator::~TypingIndicator() {
  thread_.request_stop();
  wake_.notify_all();
}

TypingIndicator::Scope::Scope(TypingIndicator& owner, std::int64_t chat_id) : owner_(owner), chat_id_(chat_id) {
  {
    std::lock_guard lock(owner_.mutex_);
    ++owner_.chats_[chat_id_].users;
    owner_.changed_ = true;
  }
  owner_.wake_.notify_all();
}

TypingIndicator::Scope::~Scope() {
  std::lock_guard lock(owner_.mutex_);
  auto it = owner_.chats_.find(chat_id_);
  if (it != owner_.chats_.end() && --it->second.users <= 0) owner_.chats_.erase(it);
}

void TypingIndicator::run(const std::stop_token& stop) {
  std::unique_lock lock(mutex_);
  while (!stop.stop_requested()) {
    const auto now = std::chrono::steady_clock::now();
    std::vector<std::int64_t> due;
    auto next_wake = now + std::chrono::hours{1};
    for (auto& [chat_id, chat] : chats_) {
      if (chat.next_at <= now) {
        due.push_back(chat_id);
        chat.next_at = now + renew_every_;
      }
      next_wake = std::min(next_wake, chat.next_at);
    }
    if (!due.empty()) {
      lock.unlock();
      // Failures only mean no "typing" for a while: nothing to report to anyone.
      for (auto chat_id : due) (void)outbox_.chat_action(chat_id, "typing");
      lock.lock();
      continue;
    }
    wake_.wait_until(lock, stop, next_wake, [this] { return std::exchange(changed_, false); });
  }
}

}  // namespace teltubby::botsvc
