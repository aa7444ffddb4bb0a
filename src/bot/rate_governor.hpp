#pragma once
// The one outgoing rate governor for everything the bot sends (receipts, command
// answers, job status edits, admin notices): DESIGN.md section 5. Pure; the caller
// passes `now` from a steady clock.
//
// Two token buckets gate each send: the chat's (about 1 message/s with a small burst)
// and the global one (about 30/s). A 429 answer's retry_after blocks the chat, or
// everything when the method was not bound to a chat, until it has passed.
// Background sends (progress edits) only use spare capacity: they leave a reserve of
// tokens in both buckets, so receipts and final job states are never starved by them.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <unordered_map>

namespace teltubby::bot {

enum class SendPriority {
  foreground,  // receipts, command answers, final job states, admin notices: never dropped
  background,  // progress edits: only with spare capacity; may be coalesced or delayed
};

class RateGovernor {
 public:
  using Clock = std::chrono::steady_clock;

  struct Limits {
    double per_chat_per_second = 1.0;
    double per_chat_burst = 3.0;
    double global_per_second = 30.0;
    double global_burst = 30.0;
    // Tokens a background send must leave in the chat's / the global bucket.
    double per_chat_background_reserve = 1.0;
    double global_background_reserve = 5.0;
    // Beyond this many tracked chats, chats whose bucket is full again are forgotten
    // (a forgotten chat starts with a full bucket: the same state).
    std::size_t max_tracked_chats = 4096;
  };

  explicit RateGovernor(Limits limits);

  // Books a foreground send and returns when it may go out (>= now). The booking is
  // binding: later callers queue behind it, so the caller must send at that time
  // (sleeping until then). chat_id nullopt: a send bound to no chat (global bucket only).
  Clock::time_point reserve(std::optional<std::int64_t> chat_id, Clock::time_point now);

  // Takes a slot only if the send may go out now: nullopt = go (slot taken); otherwise
  // the time to wait before asking again (nothing taken).
  std::optional<Clock::duration> try_acquire(std::optional<std::int64_t> chat_id, SendPriority priority,
                                             Clock::time_point now);

  // Telegram answered 429 with `retry_after` (0 = not said: 1 s is assumed). Blocks the
  // chat, or everything when chat_id is nullopt, until now + retry_after; afterwards the
  // bucket restarts without a burst (one send, then the steady rate).
  void penalize(std::optional<std::int64_t> chat_id, std::chrono::seconds retry_after, Clock::time_point now);

  // When a send to this chat could next go out at the earliest (ignoring priority).
  [[nodiscard]] Clock::time_point earliest(std::optional<std::int64_t> chat_id, Clock::time_point now) const;

  [[nodiscard]] std::size_t tracked_chats() const { return chats_.size(); }

 private:
  struct Bucket {
    double tokens = 0;  // may go negative: slots booked ahead by reserve()
    // Last refill time. In the future while a 429 penalty runs: no refill until then.
    Clock::time_point updated{};
  };
  struct Rate {
    double per_second;
    double burst;
  };

  static void refill(Bucket& bucket, Rate rate, Clock::time_point now);
  static Clock::time_point ready_at(const Bucket& bucket, Rate rate, double needed, Clock::time_point now);
  Bucket& global_bucket(Clock::time_point now);  // refilled to `now`
  Bucket& chat_bucket(std::int64_t chat_id, Clock::time_point now);
  void forget_idle_chats(Clock::time_point now);

  Limits limits_;
  Rate chat_rate_;
  Rate global_rate_;
  Bucket global_;
  bool global_started_ = false;
  std::unordered_map<std::int64_t, Bucket> chats_;
};

}  // namespace teltubby::bot
