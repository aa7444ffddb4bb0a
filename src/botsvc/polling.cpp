#include "botsvc/polling.hpp"

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <string>

#include "core/log.hpp"

namespace teltubby::botsvc {
namespace {

const Logger& log() {
  static const Logger logger{"polling"};
  return logger;
}

// Waits `delay` unless stop is requested first.
void pause(std::chrono::milliseconds delay, const std::stop_token& stop) {
  std::mutex mutex;
  std::condition_variable_any never_notified;
  std::unique_lock lock(mutex);
  never_notified.wait_for(lock, stop, delay, [] { return false; });
}

}  // namespace

std::int64_t load_polling_offset(store::Store& store) {
  auto stored = store.get_value(kPollingOffsetKey);
  if (!stored || !*stored) return 0;
  try {
    return std::stoll(**stored);
  } catch (const std::exception&) {
    log().warn("stored polling offset unreadable; starting from the oldest unconfirmed update", {});
    return 0;
  }
}

Status prepare_polling(botapi::BotApiClient& client) {
  auto info = client.get_webhook_info();
  if (!info) return std::unexpected(info.error());
  if (info->url.empty()) return {};
  log().info("deleting the webhook left from webhook mode", {});
  return client.delete_webhook();
}

void run_polling(botapi::BotApiClient& client, store::Store& store, BotService& service, const std::stop_token& stop) {
  std::int64_t offset = load_polling_offset(store);
  std::chrono::milliseconds backoff{1000};
  const std::vector<std::string> allowed_updates{"message"};
  while (!stop.stop_requested()) {
    auto batch = client.get_updates(offset, kLongPollSeconds, allowed_updates, [&] { return stop.stop_requested(); });
    if (!batch) {
      if (batch.error().kind == ErrorKind::cancelled || stop.stop_requested()) break;
      const auto delay = batch.error().retry_after.count() > 0 ? std::chrono::milliseconds(batch.error().retry_after) : backoff;
      log().warn("getUpdates failed", {{"error", batch.error().message}, {"code", batch.error().code},
                                       {"retry_in_ms", delay.count()}});
      pause(delay, stop);
      backoff = std::min(backoff * 2, std::chrono::milliseconds{30'000});
      continue;
    }
    backoff = std::chrono::milliseconds{1000};
    const auto before = offset;
    for (const auto& parsed : *batch) {
      if (!parsed.update) {
        log().warn("malformed update skipped", {{"update_id", parsed.update_id}, {"error", parsed.update.error().message}});
        if (parsed.update_id >= offset) offset = parsed.update_id + 1;
        continue;
      }
      if (auto accepted = service.accept(*parsed.update); !accepted) {
        // Not durable: stop here so the update comes again.
        log().warn("update not accepted; will be fetched again",
                   {{"update_id", parsed.update_id}, {"error", accepted.error().message}});
        break;
      }
      if (parsed.update_id >= offset) offset = parsed.update_id + 1;
    }
    if (offset != before) {
      if (auto saved = store.set_value(kPollingOffsetKey, std::to_string(offset)); !saved) {
        // Telegram is told by the next getUpdates anyway; a restart before the next
        // successful save only re-delivers updates the inbox already holds.
        log().warn("could not save the polling offset", {{"error", saved.error().message}});
      }
    } else if (!batch->empty()) {
      pause(backoff, stop);  // the first update was refused: don't spin on it
    }
  }
}

}  // namespace teltubby::botsvc
