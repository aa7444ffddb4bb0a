#include "bot/outbox.hpp"

#include <algorithm>
#include <string>

#include "core/log.hpp"

namespace teltubby::bot {
namespace {

bool is_flood_limited(const Error& error) {
  return error.code == "telegram.429";
}

std::chrono::seconds whole_seconds_until(Outbox::Clock::time_point at, Outbox::Clock::time_point now) {
  return std::max(std::chrono::seconds{1}, std::chrono::ceil<std::chrono::seconds>(at - now));
}

std::unexpected<Error> stopped() {
  return fail(ErrorKind::cancelled, "bot.stopped", "the outbox is stopped");
}

}  // namespace

RateGovernor::Limits telegram_send_limits() {
  RateGovernor::Limits limits;
  limits.per_chat_per_second = 0.9;
  limits.per_chat_burst = 3.0;
  limits.global_per_second = 27.0;
  limits.global_burst = 25.0;
  return limits;
}

Outbox::Outbox(botapi::BotApiClient& client, RateGovernor::Limits limits, std::chrono::seconds max_wait)
    : client_(client), max_wait_(max_wait), governor_(limits) {}

void Outbox::penalize(std::int64_t chat_id, const Error& error) {
  {
    std::lock_guard lock(mutex_);
    governor_.penalize(chat_id, error.retry_after, Clock::now());
    ++rate_limited_answers_;
  }
  Logger{"outbox"}.warn("Telegram answered 429; holding the chat back",
                        {{"chat_id", chat_id}, {"retry_after_seconds", error.retry_after.count()}});
}

template <class T>
Result<T> Outbox::foreground(std::int64_t chat_id, const std::function<Result<T>()>& attempt) {
  const Clock::time_point deadline = Clock::now() + max_wait_;
  std::optional<Error> last_flood_error;
  while (true) {
    {
      std::unique_lock lock(mutex_);
      if (stopped_) return stopped();
      const Clock::time_point now = Clock::now();
      const Clock::time_point slot = governor_.reserve(chat_id, now);
      if (slot > deadline) {
        // The booked slot goes unused: harmless, the governor only becomes more careful.
        if (last_flood_error) return std::unexpected(*last_flood_error);
        return fail(ErrorKind::retryable, "bot.rate_limited",
                    "no send slot for chat " + std::to_string(chat_id) + " within " +
                        std::to_string(max_wait_.count()) + " s",
                    whole_seconds_until(slot, now));
      }
      if (wake_.wait_until(lock, slot, [this] { return stopped_; })) return stopped();
    }
    Result<T> result = attempt();
    if (result || !is_flood_limited(result.error())) return result;
    penalize(chat_id, result.error());
    last_flood_error = result.error();
  }
}

Status Outbox::background(std::int64_t chat_id, bool skip_when_busy, const std::function<Status()>& attempt) {
  {
    std::lock_guard lock(mutex_);
    if (stopped_) return stopped();
    const Clock::time_point now = Clock::now();
    if (auto wait = governor_.try_acquire(chat_id, SendPriority::background, now)) {
      if (skip_when_busy) return {};
      return fail(ErrorKind::retryable, "bot.rate_limited",
                  "no spare sending capacity for chat " + std::to_string(chat_id),
                  whole_seconds_until(now + *wait, now));
    }
  }
  Status result = attempt();
  if (!result && is_flood_limited(result.error())) penalize(chat_id, result.error());
  return result;
}

Result<std::int64_t> Outbox::send(std::int64_t chat_id, std::string_view html) {
  return foreground<std::int64_t>(chat_id, [&] { return client_.send_message(chat_id, html); });
}

Result<std::int64_t> Outbox::copy_message(std::int64_t to_chat_id, std::int64_t from_chat_id,
                                          std::int64_t message_id) {
  return foreground<std::int64_t>(to_chat_id,
                                  [&] { return client_.copy_message(to_chat_id, from_chat_id, message_id); });
}

Result<std::int64_t> Outbox::send_photo(std::int64_t chat_id, std::span<const std::byte> image,
                                        std::string_view file_name, std::string_view content_type,
                                        std::string_view caption_html) {
  return foreground<std::int64_t>(
      chat_id, [&] { return client_.send_photo(chat_id, image, file_name, content_type, caption_html); });
}

Status Outbox::edit(std::int64_t chat_id, std::int64_t message_id, std::string_view html) {
  return foreground<void>(chat_id, [&] { return client_.edit_message_text(chat_id, message_id, html); });
}

Status Outbox::try_edit(std::int64_t chat_id, std::int64_t message_id, std::string_view html) {
  return background(chat_id, false, [&] { return client_.edit_message_text(chat_id, message_id, html); });
}

Status Outbox::delete_message(std::int64_t chat_id, std::int64_t message_id) {
  return foreground<void>(chat_id, [&] { return client_.delete_message(chat_id, message_id); });
}

Status Outbox::chat_action(std::int64_t chat_id, std::string_view action) {
  return background(chat_id, true, [&] { return client_.send_chat_action(chat_id, action); });
}

void Outbox::stop() {
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
  }
  wake_.notify_all();
}

Outbox::Clock::time_point Outbox::next_slot(std::optional<std::int64_t> chat_id) const {
  std::lock_guard lock(mutex_);
  return governor_.earliest(chat_id, Clock::now());
}

std::uint64_t Outbox::rate_limited_answers() const {
  std::lock_guard lock(mutex_);
  return rate_limited_answers_;
}

}  // namespace teltubby::bot
