#pragma once
// The bot's core, independent of how updates arrive (polling or webhook): routes each
// update, answers commands, makes archivable messages durable in the inbox, collects
// albums, archives units on a pool of threads, sends receipts, retries what was put
// off, and warns admins as the quota fills.
//
//   update source ──accept()──> route ─┬─ ignore (debug log + counter)
//                                      ├─ command / nothing to archive -> reply (commands pool)
//                                      └─ media -> inbox row -> [album aggregator] -> units pool
//                                                                  -> Ingestor -> receipt
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "bot/album.hpp"
#include "bot/outbox.hpp"
#include "bot/router.hpp"
#include "botsvc/commands/command_context.hpp"
#include "botsvc/inbox.hpp"
#include "botsvc/job_status_board.hpp"
#include "botsvc/task_pool.hpp"
#include "botsvc/typing.hpp"
#include "core/config.hpp"
#include "ingest/ingestor.hpp"
#include "jobs/queue_control.hpp"
#include "metrics/catalog.hpp"
#include "observability/health.hpp"
#include "storage/bucket_usage.hpp"
#include "store/store.hpp"

namespace teltubby::botsvc {

struct BotServiceParts {
  const Config& config;
  bot::Outbox& outbox;
  ingest::Ingestor& ingestor;
  store::Store& store;
  storage::BucketUsage& usage;
  const observability::HealthRegistry& health;
  metrics::Catalog& metrics;
  std::string bot_username;  // without '@', for "/cmd@name"
  // Large-file jobs; all null when the bot runs without them (tests of the bot alone).
  JobStatusBoard* job_board = nullptr;
  jobs::QueueControl* queue_control = nullptr;
  jobs::WorkerControl* worker_control = nullptr;  // set with queue_control
};

class BotService {
 public:
  explicit BotService(BotServiceParts parts);
  ~BotService();  // stop(0); never throws
  BotService(const BotService&) = delete;
  BotService& operator=(const BotService&) = delete;

  // Archives what the inbox still holds from before a restart, and starts the album
  // timer and the retry loop. Call once, before the update source starts.
  void start();

  // One update from the source. An error means the update could NOT be made durable
  // (the database refused): the source must not confirm it, so Telegram re-delivers.
  Status accept(const botapi::Update& update);

  // Stops taking updates; albums still collecting stay in the inbox for the next
  // start; waits up to `deadline` for units being archived. True when everything in
  // flight ended in time.
  bool stop(std::chrono::milliseconds deadline);

 private:
  void submit(InboxUnit unit);
  void archive(const InboxUnit& unit);
  void reply(std::int64_t chat_id, const std::string& html);
  // After the receipt: a status message per queued item; its job may be published now.
  void announce_jobs(const bot::IngestOutcome& outcome);
  void add_album_message(const botapi::Message& message, std::int64_t row_id);
  InboxUnit unit_from_album(const bot::Album& album);
  void timer_loop(const std::stop_token& stop);
  void retry_due_units();
  void check_quota_alerts();

  BotServiceParts parts_;
  Inbox inbox_;
  bot::RouterConfig router_config_;
  TypingIndicator typing_;
  TaskPool units_;
  TaskPool commands_;
  std::chrono::steady_clock::time_point started_at_ = std::chrono::steady_clock::now();

  std::mutex mutex_;  // guards everything below
  std::condition_variable_any wake_timer_;
  bot::AlbumAggregator albums_;
  std::map<std::pair<std::int64_t, std::int64_t>, std::int64_t> album_rows_;  // (chat, message) -> inbox row
  std::set<std::int64_t> busy_rows_;  // rows whose unit is queued or being archived
  bool stopping_ = false;
  std::mutex quota_alert_mutex_;  // one alert check at a time
  std::jthread timer_;
};

}  // namespace teltubby::botsvc
