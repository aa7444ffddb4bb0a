#pragma once
// Telegram's documented sending limits (https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this):
// "avoid sending more than one message per second" in a chat, with short bursts
// allowed; no more than 20 messages per minute in a group; about 30 messages per second
// overall. Token buckets per (bot, chat) and per bot. Pure logic over a given time.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <utility>

namespace fake_world {

class RateLimiter {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;
  // Takes one message from the buckets, or returns how many whole seconds to wait
  // (Telegram's retry_after, at least 1).
  std::optional<int> take(std::int64_t bot_id, std::int64_t chat_id, TimePoint now);

 private:
  struct Bucket {
    double tokens = -1;  // -1 = not yet filled
    TimePoint updated{};
  };
  static std::optional<double> try_take(Bucket& bucket, double capacity, double per_second, TimePoint now);
  std::map<std::pair<std::int64_t, std::int64_t>, Bucket> per_chat_;
  std::map<std::int64_t, Bucket> per_bot_;
};

}  // namespace fake_world
