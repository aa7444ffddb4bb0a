#pragma once
// The one way out for everything the bot sends (receipts, command answers, job status
// edits, chat actions, admin notices), so that one RateGovernor sees all of it and the
// bot never gets flood-limited by Telegram (DESIGN.md section 5).
//
//   Outbox outbox{client, telegram_send_limits()};
//   auto id = outbox.send(chat_id, receipt_html);         // waits for its slot
//   outbox.try_edit(chat_id, *id, progress_html);         // only with spare capacity
//
// Foreground calls (send, edit, delete_message) book a slot with the governor and wait
// for it on a condition variable, so stop() wakes them at once. A 429 answer penalises
// the chat in the governor with its retry_after and the call is retried, within
// `max_wait` of its start. Other errors (5xx, network, 400) are returned as they are:
// re-sending after an unclear failure could post a message twice, so the caller decides.
// Background calls (try_edit, chat_action) never wait. Thread-safe.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <span>
#include <string_view>

#include "bot/rate_governor.hpp"
#include "core/error.hpp"
#include "telegram/botapi/client.hpp"

namespace teltubby::bot {

// Telegram's documented limits (per chat 1 message/s after a burst of 3, about 30/s
// overall: core.telegram.org/bots/faq) with a margin: a send reaches Telegram a few
// milliseconds after its slot, by a varying amount, so pacing at exactly Telegram's rate
// would now and then arrive early and earn a 429. 10% below the rates, a smaller
// global burst.
RateGovernor::Limits telegram_send_limits();

class Outbox {
 public:
  using Clock = RateGovernor::Clock;

  Outbox(botapi::BotApiClient& client, RateGovernor::Limits limits,
         std::chrono::seconds max_wait = std::chrono::seconds{60});
  Outbox(const Outbox&) = delete;
  Outbox& operator=(const Outbox&) = delete;

  // Foreground: waits for its governor slot (reserve), sends; a 429 penalises the
  // governor with retry_after and the send is retried (bounded: give up after
  // `max_wait`, default 60 s, returning the error). Returns the sent message id.
  // When no slot comes within max_wait: the 429 error if there was one, else
  // "bot.rate_limited" (retryable, retry_after set), nothing sent.
  Result<std::int64_t> send(std::int64_t chat_id, std::string_view html);
  // Foreground copy of a message into `to_chat_id` (large-file jobs: the worker
  // account's chat); same guarantees as send. Returns the copy's message id.
  Result<std::int64_t> copy_message(std::int64_t to_chat_id, std::int64_t from_chat_id, std::int64_t message_id);
  // Foreground photo upload (the QR login image for admins): same guarantees as send.
  Result<std::int64_t> send_photo(std::int64_t chat_id, std::span<const std::byte> image, std::string_view file_name,
                                  std::string_view content_type, std::string_view caption_html);
  // Foreground edit (final job states): same guarantees as send.
  Status edit(std::int64_t chat_id, std::int64_t message_id, std::string_view html);
  // Background edit (progress): only with spare capacity; returns an Error with code
  // "bot.rate_limited" (retryable, retry_after = when to ask again, rounded up to whole
  // seconds) without sending when there is none. A 429 penalises the chat and is returned.
  Status try_edit(std::int64_t chat_id, std::int64_t message_id, std::string_view html);
  // Foreground, like send.
  Status delete_message(std::int64_t chat_id, std::int64_t message_id);
  // Background priority; skipped (ok) when there is no spare capacity.
  Status chat_action(std::int64_t chat_id, std::string_view action);
  // Wakes every waiting sender; later calls fail fast with kind `cancelled` (code
  // "bot.stopped"). A request already on the wire finishes (bounded by IO_TIMEOUT_SECONDS).
  void stop();

  // When a send to this chat could go out at the earliest (the governor's view).
  [[nodiscard]] Clock::time_point next_slot(std::optional<std::int64_t> chat_id) const;
  // How many 429 answers Telegram gave so far (each one penalised the governor).
  [[nodiscard]] std::uint64_t rate_limited_answers() const;

 private:
  template <class T>
  Result<T> foreground(std::int64_t chat_id, const std::function<Result<T>()>& attempt);
  Status background(std::int64_t chat_id, bool skip_when_busy, const std::function<Status()>& attempt);
  // After a 429: the governor holds the chat back for retry_after.
  void penalize(std::int64_t chat_id, const Error& error);

  botapi::BotApiClient& client_;
  const std::chrono::seconds max_wait_;
  mutable std::mutex mutex_;      // guards everything below
  std::condition_variable wake_;  // stop() was called
  RateGovernor governor_;
  bool stopped_ = false;
  std::uint64_t rate_limited_answers_ = 0;
};

}  // namespace teltubby::bot
