#include "bot/rate_governor.hpp"

#include <algorithm>

namespace teltubby::bot {
namespace {

using Seconds = std::chrono::duration<double>;

RateGovernor::Clock::duration to_clock(double seconds) {
  // Round up so that a caller waking at the returned time finds the token there.
  return std::chrono::ceil<RateGovernor::Clock::duration>(Seconds{seconds});
}

}  // namespace

RateGovernor::RateGovernor(Limits limits)
    : limits_(limits),
      chat_rate_{std::max(limits.per_chat_per_second, 1e-6), std::max(limits.per_chat_burst, 1.0)},
      global_rate_{std::max(limits.global_per_second, 1e-6), std::max(limits.global_burst, 1.0)} {}

void RateGovernor::refill(Bucket& bucket, Rate rate, Clock::time_point now) {
  if (now <= bucket.updated) return;
  const double elapsed = std::chrono::duration_cast<Seconds>(now - bucket.updated).count();
  bucket.tokens = std::min(rate.burst, bucket.tokens + elapsed * rate.per_second);
  bucket.updated = now;
}

RateGovernor::Clock::time_point RateGovernor::ready_at(const Bucket& bucket, Rate rate, double needed,
                                                       Clock::time_point now) {
  const Clock::time_point base = std::max(now, bucket.updated);
  const double missing = needed - bucket.tokens;
  if (missing <= 0) return base;
  return base + to_clock(missing / rate.per_second);
}

RateGovernor::Bucket& RateGovernor::global_bucket(Clock::time_point now) {
  if (!global_started_) {
    global_ = Bucket{global_rate_.burst, now};
    global_started_ = true;
  }
  refill(global_, global_rate_, now);
  return global_;
}

RateGovernor::Bucket& RateGovernor::chat_bucket(std::int64_t chat_id, Clock::time_point now) {
  auto it = chats_.find(chat_id);
  if (it == chats_.end()) {
    if (chats_.size() >= limits_.max_tracked_chats) forget_idle_chats(now);
    it = chats_.emplace(chat_id, Bucket{chat_rate_.burst, now}).first;
  }
  refill(it->second, chat_rate_, now);
  return it->second;
}

void RateGovernor::forget_idle_chats(Clock::time_point now) {
  // A copy is refilled: the predicate sees const elements.
  std::erase_if(chats_, [&](const auto& entry) {
    Bucket bucket = entry.second;
    refill(bucket, chat_rate_, now);
    return bucket.tokens >= chat_rate_.burst && bucket.updated <= now;
  });
}

RateGovernor::Clock::time_point RateGovernor::reserve(std::optional<std::int64_t> chat_id, Clock::time_point now) {
  Bucket& global = global_bucket(now);
  Clock::time_point at = ready_at(global, global_rate_, 1.0, now);
  global.tokens -= 1.0;
  if (chat_id) {
    Bucket& chat = chat_bucket(*chat_id, now);
    at = std::max(at, ready_at(chat, chat_rate_, 1.0, now));
    chat.tokens -= 1.0;
  }
  return at;
}

std::optional<RateGovernor::Clock::duration> RateGovernor::try_acquire(std::optional<std::int64_t> chat_id,
                                                                       SendPriority priority, Clock::time_point now) {
  Bucket& global = global_bucket(now);
  const bool background = priority == SendPriority::background;
  // A reserve larger than the burst could never be met; cap it so background still flows.
  const double global_need =
      background ? std::min(1.0 + limits_.global_background_reserve, global_rate_.burst) : 1.0;
  const double chat_need =
      background ? std::min(1.0 + limits_.per_chat_background_reserve, chat_rate_.burst) : 1.0;

  Clock::time_point at = ready_at(global, global_rate_, global_need, now);
  Bucket* chat = nullptr;
  if (chat_id) {
    chat = &chat_bucket(*chat_id, now);
    at = std::max(at, ready_at(*chat, chat_rate_, chat_need, now));
  }
  if (at > now) return at - now;
  global.tokens -= 1.0;
  if (chat != nullptr) chat->tokens -= 1.0;
  return std::nullopt;
}

void RateGovernor::penalize(std::optional<std::int64_t> chat_id, std::chrono::seconds retry_after,
                            Clock::time_point now) {
  const auto wait = retry_after.count() > 0 ? retry_after : std::chrono::seconds{1};
  const Clock::time_point until = now + wait;
  auto block = [&](Bucket& bucket, Rate rate) {
    refill(bucket, rate, now);
    bucket.tokens = std::min(bucket.tokens, 1.0);
    bucket.updated = std::max(bucket.updated, until);
  };
  if (chat_id) {
    block(chat_bucket(*chat_id, now), chat_rate_);
  } else {
    block(global_bucket(now), global_rate_);
  }
}

RateGovernor::Clock::time_point RateGovernor::earliest(std::optional<std::int64_t> chat_id,
                                                       Clock::time_point now) const {
  Clock::time_point at = now;
  if (global_started_) {
    Bucket global = global_;
    refill(global, global_rate_, now);
    at = std::max(at, ready_at(global, global_rate_, 1.0, now));
  }
  if (chat_id) {
    if (auto it = chats_.find(*chat_id); it != chats_.end()) {
      Bucket chat = it->second;
      refill(chat, chat_rate_, now);
      at = std::max(at, ready_at(chat, chat_rate_, 1.0, now));
    }
  }
  return at;
}

}  // namespace teltubby::bot
