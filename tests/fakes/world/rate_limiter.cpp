#include "rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace fake_world {

namespace {
constexpr double kChatBurst = 3;              // messages a chat may get at once
constexpr double kChatPerSecond = 1;          // then one per second
constexpr double kGroupBurst = 20;            // groups: 20 per minute
constexpr double kGroupPerSecond = 20.0 / 60.0;
constexpr double kBotBurst = 30;              // overall: about 30 per second
constexpr double kBotPerSecond = 30;
}  // namespace

std::optional<double> RateLimiter::try_take(Bucket& bucket, double capacity, double per_second, TimePoint now) {
  if (bucket.tokens < 0) {
    bucket.tokens = capacity;
    bucket.updated = now;
  }
  // A caller's clock never runs backwards, but a bucket must not drain if it seems to.
  const double elapsed = std::max(0.0, std::chrono::duration<double>(now - bucket.updated).count());
  bucket.tokens = std::min(capacity, bucket.tokens + elapsed * per_second);
  bucket.updated = now;
  if (bucket.tokens >= 1) return std::nullopt;
  return (1 - bucket.tokens) / per_second;  // seconds until one token
}

std::optional<int> RateLimiter::take(std::int64_t bot_id, std::int64_t chat_id, TimePoint now) {
  Bucket& chat = per_chat_[{bot_id, chat_id}];
  Bucket& bot = per_bot_[bot_id];
  const bool group = chat_id < 0;
  const auto chat_wait = try_take(chat, group ? kGroupBurst : kChatBurst, group ? kGroupPerSecond : kChatPerSecond, now);
  const auto bot_wait = try_take(bot, kBotBurst, kBotPerSecond, now);
  if (chat_wait || bot_wait) {
    const double wait = std::max(chat_wait.value_or(0), bot_wait.value_or(0));
    return std::max(1, static_cast<int>(std::ceil(wait)));
  }
  chat.tokens -= 1;
  bot.tokens -= 1;
  return std::nullopt;
}

}  // namespace fake_world
