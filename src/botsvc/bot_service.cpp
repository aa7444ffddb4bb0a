#include "botsvc/bot_service.hpp"

#include <algorithm>
#include <exception>
#include <string>
#include <variant>

#include "bot/receipt.hpp"
#include "botsvc/quota_alerts.hpp"
#include "core/log.hpp"

namespace teltubby::botsvc {
namespace {

const Logger& log() {
  static const Logger logger{"bot"};
  return logger;
}

// While a unit is archived normally its rows must not look due to the retry loop; a
// unit that takes longer than this (a crash, or a very slow 20 MB download) is taken
// up again by the retry loop, which dedup makes harmless.
constexpr std::chrono::minutes kInboxLease{10};
// A quota-paused message is tried again this often; BucketUsage re-lists the bucket
// on its own interval, so freed space is noticed within S3_QUOTA_RELIST_SECONDS.
constexpr std::chrono::seconds kQuotaRecheck{10};
// How often the retry loop looks for due inbox rows.
constexpr std::chrono::seconds kRetryTick{2};
constexpr std::size_t kRetryBatch = 50;
constexpr std::string_view kQuotaAlertKey = "bot.quota_alert_level";
// Tries of one reply for 5xx and network errors: waits of 1, 2, 4 and 8 s in between.
constexpr int kReplyAttempts = 5;

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};

nlohmann::json unit_fields(const InboxUnit& unit) {
  const auto& first = unit.messages.front();
  return {{"chat_id", first.chat.id}, {"message_id", first.message_id}, {"messages", unit.messages.size()},
          {"attempts", unit.attempts}};
}

}  // namespace

BotService::BotService(BotServiceParts parts)
    : parts_(std::move(parts)),
      inbox_(parts_.store),
      typing_(parts_.outbox),
      units_("units", std::max(1u, parts_.config.concurrency)),
      commands_("commands", 1),
      albums_(bot::AlbumAggregator::Limits{
          .window = std::chrono::duration_cast<bot::AlbumAggregator::Clock::duration>(
              parts_.config.album_aggregation_window),
          .max_items = 10,
          .max_open_albums = 256}) {
  router_config_.whitelist.insert(parts_.config.telegram_whitelist_ids.begin(),
                                  parts_.config.telegram_whitelist_ids.end());
  router_config_.bot_username = parts_.bot_username;
}

BotService::~BotService() { stop(std::chrono::milliseconds{0}); }

void BotService::start() {
  auto recovered = inbox_.everything();
  if (!recovered) {
    // The retry loop lists the inbox again every few seconds: nothing is lost.
    log().error("could not read the inbox at start-up", {{"error", recovered.error().message}});
  } else {
    if (!recovered->empty()) log().info("archiving messages left from before", {{"units", recovered->size()}});
    for (auto& unit : *recovered) {
      if (unit.is_album && unit.attempts == 0) {
        // Through the aggregator, so that the rest of an album that was still arriving
        // when the bot stopped joins the same folder.
        for (std::size_t i = 0; i < unit.messages.size(); ++i) add_album_message(unit.messages[i], unit.row_ids[i]);
      } else {
        submit(std::move(unit));
      }
    }
  }
  timer_ = std::jthread([this](const std::stop_token& stop) { timer_loop(stop); });
}

Status BotService::accept(const botapi::Update& update) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return fail(ErrorKind::cancelled, "bot.stopping", "the bot is stopping");
  }
  auto decision = bot::route_update(update, router_config_);
  return std::visit(
      Overloaded{
          [&](const bot::IgnoreDecision& ignore) -> Status {
            log().debug("update ignored", {{"update_id", update.update_id},
                                           {"reason", bot::to_string(ignore.reason)},
                                           {"kind", ignore.update_kind}});
            parts_.metrics.ignored_updates_total.labels(bot::to_string(ignore.reason)).inc();
            return {};
          },
          [&](const bot::CommandDecision& command) -> Status {
            commands_.post([this, chat_id = command.message.chat.id, message_id = command.message.message_id,
                            parsed = command.command] {
              auto waiting = parts_.store.list_deferred(0);
              CommandContext context{
                  .config = parts_.config,
                  .store = parts_.store,
                  .usage = parts_.usage,
                  .health = parts_.health,
                  .started_at = started_at_,
                  .messages_waiting = waiting ? waiting->size() : 0,
                  .queue_control = parts_.queue_control,
                  .worker_control = parts_.worker_control,
                  .chat_id = chat_id,
                  .message_id = message_id,
                  .delete_message = [this](std::int64_t chat, std::int64_t message) {
                    return parts_.outbox.delete_message(chat, message);
                  }};
              log().info("command", {{"chat_id", chat_id}, {"command", parsed.name}});
              reply(chat_id, answer_command(context, parsed));
            });
            return {};
          },
          [&](const bot::NothingToArchiveDecision& nothing) -> Status {
            commands_.post([this, chat_id = nothing.message.chat.id] { reply(chat_id, bot::render_nothing_to_archive()); });
            return {};
          },
          [&](const bot::MediaDecision& media) -> Status {
            auto row = inbox_.remember(media.message, kInboxLease);
            if (!row) return std::unexpected(row.error());
            submit(InboxUnit{.messages = {media.message}, .row_ids = {*row}, .is_album = false, .attempts = 0});
            return {};
          },
          [&](const bot::AlbumItemDecision& item) -> Status {
            auto row = inbox_.remember(item.message, kInboxLease);
            if (!row) return std::unexpected(row.error());
            add_album_message(item.message, *row);
            return {};
          },
      },
      decision);
}

void BotService::add_album_message(const botapi::Message& message, std::int64_t row_id) {
  std::vector<bot::Album> ready;
  {
    std::lock_guard lock(mutex_);
    album_rows_[{message.chat.id, message.message_id}] = row_id;
    ready = albums_.add(message, bot::AlbumAggregator::Clock::now());
  }
  wake_timer_.notify_all();
  for (const auto& album : ready) submit(unit_from_album(album));
}

InboxUnit BotService::unit_from_album(const bot::Album& album) {
  InboxUnit unit;
  unit.is_album = true;
  unit.messages = album.messages;
  std::lock_guard lock(mutex_);
  for (const auto& message : album.messages) {
    auto it = album_rows_.find({message.chat.id, message.message_id});
    if (it == album_rows_.end()) continue;  // cannot happen: every album message was remembered first
    unit.row_ids.push_back(it->second);
    album_rows_.erase(it);
  }
  return unit;
}

void BotService::submit(InboxUnit unit) {
  {
    std::lock_guard lock(mutex_);
    // Already queued or being archived (a re-delivered update, or the retry loop
    // meeting a unit that is still running): once is enough.
    if (std::any_of(unit.row_ids.begin(), unit.row_ids.end(), [&](auto id) { return busy_rows_.contains(id); })) return;
    busy_rows_.insert(unit.row_ids.begin(), unit.row_ids.end());
  }
  auto rows = unit.row_ids;
  const bool queued = units_.post([this, unit = std::move(unit)] {
    try {
      archive(unit);
    } catch (const std::exception& error) {
      // Loop boundary: the unit stays in the inbox and is tried again later.
      log().error("archiving failed unexpectedly", {{"error", redact(error.what())}, {"chat_id", unit.messages.front().chat.id}});
      (void)inbox_.postpone(unit, retry_delay(unit.attempts + 1));
    }
    std::lock_guard lock(mutex_);
    for (auto id : unit.row_ids) busy_rows_.erase(id);
  });
  if (!queued) {
    std::lock_guard lock(mutex_);
    for (auto id : rows) busy_rows_.erase(id);
  }
}

void BotService::archive(const InboxUnit& unit) {
  const auto chat_id = unit.messages.front().chat.id;
  TypingIndicator::Scope typing(typing_, chat_id);
  auto outcome = parts_.ingestor.ingest(unit.messages, unit.is_album);
  if (outcome.quota_paused || outcome.deferred) {
    const auto delay = outcome.quota_paused ? std::chrono::milliseconds{kQuotaRecheck} : retry_delay(unit.attempts + 1);
    if (auto postponed = inbox_.postpone(unit, delay); !postponed) {
      log().error("could not put the message off", {{"error", postponed.error().message}});
    }
    auto fields = unit_fields(unit);
    fields["reason"] = outcome.quota_paused ? std::string("quota_exceeded") : outcome.deferred_reason;
    fields["retry_in_seconds"] = std::chrono::duration_cast<std::chrono::seconds>(delay).count();
    log().warn("archiving put off", fields);
    // The curator hears about it once; the later receipt says it was archived after all.
    if (unit.attempts == 0) reply(chat_id, bot::render_receipt(outcome));
  } else {
    outcome.archived_after_deferral = unit.attempts > 0;
    if (auto finished = inbox_.finish(unit); !finished) {
      // Archived, but the rows stay: a later attempt finds everything deduplicated.
      log().error("could not clear the inbox", {{"error", finished.error().message}});
    }
    log().info("archived", unit_fields(unit));
    reply(chat_id, bot::render_receipt(outcome));
    announce_jobs(outcome);
  }
  check_quota_alerts();
}

void BotService::announce_jobs(const bot::IngestOutcome& outcome) {
  bool any = false;
  for (const auto& item : outcome.items) {
    if (item.status != bot::ItemStatus::queued || item.job_id.empty()) continue;
    any = true;
    if (parts_.job_board != nullptr) parts_.job_board->announce(item.job_id, item.eta);
  }
  // message.json is written: the jobs may go to the worker now, not at the next sweep.
  if (any && parts_.queue_control != nullptr) parts_.queue_control->publish_soon();
}

void BotService::reply(std::int64_t chat_id, const std::string& html) {
  // The Outbox already waits out 429s; a 5xx or a network error is retried here,
  // because a receipt sent twice is better than one the curator never sees.
  std::chrono::milliseconds backoff{1000};
  for (int attempt = 1;; ++attempt) {
    auto sent = parts_.outbox.send(chat_id, html);
    if (sent) return;
    const bool again = sent.error().kind == ErrorKind::retryable && attempt < kReplyAttempts;
    log().warn(again ? "reply failed, retrying" : "reply not delivered",
               {{"chat_id", chat_id}, {"error", sent.error().message}, {"attempt", attempt}});
    if (!again) return;
    {
      std::unique_lock lock(mutex_);
      // Shutdown cuts the wait short; the send is still tried once more.
      wake_timer_.wait_for(lock, backoff, [this] { return stopping_; });
    }
    backoff *= 2;
  }
}

void BotService::check_quota_alerts() {
  const auto quota = parts_.usage.quota_bytes();
  if (quota == 0) return;
  std::lock_guard lock(quota_alert_mutex_);
  const auto used = parts_.usage.used_bytes();
  const int level = quota_level(used, quota);
  int last = 0;
  if (auto stored = parts_.store.get_value(kQuotaAlertKey); stored && *stored) {
    try {
      last = std::stoi(**stored);
    } catch (const std::exception&) {
      last = 0;  // unreadable: warn again rather than never
    }
  }
  if (level == last) return;
  if (auto saved = parts_.store.set_value(kQuotaAlertKey, std::to_string(level)); !saved) return;  // retried next time
  if (auto alert = quota_alert_to_send(level, last)) {
    log().warn("storage quota level reached", {{"level_percent", *alert}});
    for (auto admin : parts_.config.telegram_whitelist_ids) reply(admin, render_quota_alert(*alert, used, quota));
  }
}

void BotService::timer_loop(const std::stop_token& stop) {
  auto next_retry = std::chrono::steady_clock::now();
  while (!stop.stop_requested()) {
    std::vector<bot::Album> due;
    auto wake_at = next_retry;
    {
      std::unique_lock lock(mutex_);
      due = albums_.take_due(bot::AlbumAggregator::Clock::now());
      if (due.empty()) {
        if (auto deadline = albums_.next_deadline()) wake_at = std::min(wake_at, *deadline);
        wake_timer_.wait_until(lock, stop, wake_at, [&] {
          auto deadline = albums_.next_deadline();
          return deadline && *deadline < wake_at;  // an album opened that falls due sooner
        });
        due = albums_.take_due(bot::AlbumAggregator::Clock::now());
      }
    }
    for (const auto& album : due) submit(unit_from_album(album));
    if (std::chrono::steady_clock::now() >= next_retry) {
      retry_due_units();
      next_retry = std::chrono::steady_clock::now() + kRetryTick;
    }
  }
}

void BotService::retry_due_units() {
  auto units = inbox_.due(kRetryBatch);
  if (!units) {
    log().warn("could not read the inbox", {{"error", units.error().message}});
    return;
  }
  for (auto& unit : *units) submit(std::move(unit));
}

bool BotService::stop(std::chrono::milliseconds deadline) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ && !timer_.joinable()) return true;
    stopping_ = true;
  }
  if (timer_.joinable()) {
    timer_.request_stop();
    wake_timer_.notify_all();
    timer_.join();
  }
  // Albums still collecting are in the inbox: the next start archives them.
  const bool commands_done = commands_.shutdown(std::min(deadline, std::chrono::milliseconds{5000}));
  const bool units_done = units_.shutdown(deadline);
  return commands_done && units_done;
}

}  // namespace teltubby::botsvc
