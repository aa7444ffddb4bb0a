#pragma once
// Long polling (TELEGRAM_MODE=polling). The offset is kept in the store (key
// "bot.polling_offset") and moves past an update only after BotService::accept made it
// durable, so a crash re-delivers instead of skipping. A malformed update is logged
// and passed (it can never become readable). Failures back off (1 s doubling to 30 s,
// or Telegram's retry_after) without ever ending the loop.
#include <chrono>
#include <cstdint>
#include <stop_token>
#include <string_view>

#include "botsvc/bot_service.hpp"
#include "store/store.hpp"
#include "telegram/botapi/client.hpp"

namespace teltubby::botsvc {

inline constexpr std::string_view kPollingOffsetKey = "bot.polling_offset";

// Telegram may hold a getUpdates request this long when nothing happens (seconds).
inline constexpr std::chrono::seconds kLongPollSeconds{25};

// Reads the stored offset; 0 (= "from the oldest unconfirmed") when absent or unreadable.
std::int64_t load_polling_offset(store::Store& store);

// Deletes a webhook that is still set (switching from webhook back to polling), since
// Telegram refuses getUpdates while one is active.
Status prepare_polling(botapi::BotApiClient& client);

// Runs until `stop` is requested (a long poll in progress is aborted at once).
void run_polling(botapi::BotApiClient& client, store::Store& store, BotService& service, const std::stop_token& stop);

}  // namespace teltubby::botsvc
