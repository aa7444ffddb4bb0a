// `teltubby bot [--env-file PATH]`: the Bot API process. Wires the modules together:
// configuration, logging, storage, database, Bot API client, ingestion, the bot
// service, its update source (polling or webhook) and /healthz + /metrics; then waits
// for SIGTERM or SIGINT and stops in order (exit 0).
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <pthread.h>
#include <thread>

#include "app/commands.hpp"
#include "app/env_file_option.hpp"
#include "app/startup_retries.hpp"
#include "app/stop_signals.hpp"
#include "botsvc/auth_notices.hpp"
#include "botsvc/job_events.hpp"
#include "botsvc/job_status_board.hpp"
#include "jobs/bot_job_queue.hpp"
#include "app/settings_from_config.hpp"
#include "bot/commands.hpp"
#include "bot/outbox.hpp"
#include "botsvc/bot_api_fetcher.hpp"
#include "botsvc/bot_service.hpp"
#include "botsvc/polling.hpp"
#include "botsvc/webhook.hpp"
#include "core/config.hpp"
#include "core/log.hpp"
#include "ingest/ingestor.hpp"
#include "ingest/spool.hpp"
#include "metrics/catalog.hpp"
#include "observability/health.hpp"
#include "observability/observability_server.hpp"
#include "storage/bucket_usage.hpp"
#include "storage/s3_client.hpp"
#include "jobs/worker_status.hpp"
#include "store/sqlite_store.hpp"
#include "telegram/botapi/client.hpp"

namespace teltubby::app {
namespace {

constexpr std::string_view kUsage = "usage: teltubby bot [--env-file PATH]\n";
// How long a stop waits for messages being archived; what is not done by then stays
// in the inbox and is archived at the next start.
constexpr std::chrono::seconds kShutdownDeadline{20};

template <class T>
Status status_of(const Result<T>& result) {
  if (!result) return std::unexpected(result.error());
  return {};
}

}  // namespace

int run_bot(CommandArgs args) {
  const auto options = only_env_file(args, "bot", kUsage);
  if (!options) return 2;
  const auto& env_file = options->env_file;
  const auto loaded = load_startup_config(ConfigRole::bot, env_file);
  if (!loaded) {
    std::cerr << "teltubby bot: " << loaded.error().size() << " configuration problem"
              << (loaded.error().size() == 1 ? "" : "s") << ":\n";
    for (const auto& problem : loaded.error()) std::cerr << "  " << describe(problem) << '\n';
    return 2;
  }
  const Config& config = *loaded;
  configure_logging(make_log_settings(config));
  const Logger log{"bot"};
  const sigset_t stop_signals = block_stop_signals();

  // Storage and database: broken set-up ends here with a clear message.
  storage::S3Client s3(s3_settings_from(config));
  if (auto bucket = with_startup_retries(log, "bucket", [&] { return s3.ensure_bucket(); }); !bucket) {
    throw FatalError("storage is not usable: " + bucket.error().message);
  }
  std::filesystem::create_directories(config.work_dir / "spool");
  // Half-written downloads of a process that was killed: their messages are still in
  // the inbox and are downloaded again.
  if (auto cleared = ingest::clear_spool(config.work_dir / "spool"); cleared && *cleared > 0) {
    log.info("removed leftover spool files", {{"files", *cleared}});
  }
  store::SqliteStoreOptions store_options;
  store_options.path = config.sqlite_path;
  auto store = store::SqliteStore::open(store_options);

  botapi::ClientSettings client_settings;
  client_settings.api_base_url = config.telegram_api_base_url;
  client_settings.token = config.telegram_bot_token;
  client_settings.io_timeout = std::chrono::duration_cast<std::chrono::seconds>(config.io_timeout);
  client_settings.local_mode = config.telegram_local_mode;
  botapi::BotApiClient client(client_settings);
  auto me = with_startup_retries(log, "getMe", [&] { return client.get_me(); });
  if (!me) throw FatalError("Telegram refused the bot token or is unreachable: " + me.error().message);
  const std::string bot_username = me->username.value_or("");
  // For the worker account, which starts its chat with the bot by this name.
  if (auto kept = store->set_value(jobs::kBotUsernameKey, bot_username); !kept) {
    log.warn("bot username not recorded for the worker", {{"error", kept.error().describe()}});
  }
  if (auto commands = client.set_my_commands(bot::bot_commands_json()); !commands) {
    log.warn("setMyCommands failed; the command menu may be outdated", {{"error", commands.error().message}});
  }

  // Quota: listed once now (a failure only delays the first figure), then kept current.
  storage::BucketUsage usage(s3, config.s3_bucket_quota_bytes,
                             std::chrono::duration_cast<std::chrono::seconds>(config.s3_quota_relist_interval));
  if (config.s3_bucket_quota_bytes > 0) {
    if (auto listed = usage.refresh(); !listed) log.warn("bucket listing failed", {{"error", listed.error().message}});
  }
  auto& catalog = metrics::process_catalog();
  auto ratio_gauge = catalog.minio_bucket_used_ratio.set_function([&usage] { return usage.ratio().value_or(0.0); });

  observability::HealthRegistry health;
  health.add("telegram", [&] { return status_of(client.get_me()); });
  health.add("s3", [&] { return storage::probe_and_tidy(s3); });
  health.add("database", [&] { return status_of(store->get_value(botsvc::kPollingOffsetKey)); });
  health.start();
  observability::ObservabilitySettings observability_settings;
  observability_settings.port = config.health_port;
  observability_settings.localhost_only = config.bind_health_localhost_only;
  observability::ObservabilityServer observability_server(observability_settings, metrics::process_registry(), health);
  observability_server.start();

  bot::Outbox outbox(client, bot::telegram_send_limits());
  botsvc::BotApiFileFetcher fetcher(client, config.telegram_local_mode
                                                ? std::max<std::uint64_t>(config.bot_api_max_file_bytes, 2000ULL << 20)
                                                : config.bot_api_max_file_bytes);
  // Large-file jobs: recorded by the ingestor, published by their own thread (the broker
  // may be down now; jobs wait in the database until it is back).
  const queue::QueueSettings queue_settings = queue_settings_from(config);
  jobs::BotJobQueue large_files(
      {.queue = queue_settings,
       .max_retries = static_cast<int>(config.worker_max_retries),
       .sweep_interval = std::chrono::seconds{2},
       .sweep_limit = 100,
       .throughput_window = std::chrono::hours{24}},
      *store, catalog, [&outbox](const store::JobRecord& job, std::int64_t worker_user_id) -> Status {
        // Through the Outbox: many jobs published at once must not flood that chat.
        auto copied = outbox.copy_message(worker_user_id, job.chat_id, job.message_id);
        if (!copied) return std::unexpected(copied.error());
        return {};
      });
  botsvc::JobStatusBoard job_board(outbox, *store);
  // Worker login notices go to the admins, the whitelisted users (as quota alerts do).
  botsvc::AuthNotifier auth_notifier(outbox, config.telegram_whitelist_ids);
  botsvc::JobEventsReader job_events(
      queue_settings, *store, job_board, catalog,
      [&auth_notifier](const queue::WorkerAuthEvent& event, std::chrono::sys_seconds at) {
        auth_notifier.notify(event, at);
      });
  large_files.on_job_changed([&job_board](const std::string& job_id) { job_board.refresh(job_id); });
  ingest::IngestSettings ingest_settings;
  ingest_settings.bucket = config.s3_bucket;
  ingest_settings.dedup_enable = config.dedup_enable;
  ingest_settings.limits.bot_api_max_file_bytes = static_cast<std::int64_t>(config.bot_api_max_file_bytes);
  ingest_settings.limits.max_file_bytes = static_cast<std::int64_t>(config.max_file_bytes);
  ingest_settings.spool_dir = config.work_dir / "spool";
  ingest_settings.concurrency = config.concurrency;
  ingest::Ingestor ingestor(ingest_settings, fetcher, s3, *store, usage, large_files);

  botsvc::BotService service(botsvc::BotServiceParts{
      .config = config,
      .outbox = outbox,
      .ingestor = ingestor,
      .store = *store,
      .usage = usage,
      .health = health,
      .metrics = catalog,
      .bot_username = bot_username,
      .job_board = &job_board,
      .queue_control = &large_files,
      .worker_control = &large_files,
  });
  service.start();
  job_board.start();
  job_events.start();
  large_files.start();

  std::optional<botsvc::WebhookSource> webhook;
  std::jthread polling;
  if (config.telegram_mode == TelegramMode::webhook) {
    webhook.emplace(config, client, service);
    webhook->start();
  } else {
    if (auto prepared = with_startup_retries(log, "deleteWebhook", [&] { return botsvc::prepare_polling(client); });
        !prepared) {
      throw FatalError("could not switch Telegram to polling: " + prepared.error().message);
    }
    polling = std::jthread([&](const std::stop_token& stop) { botsvc::run_polling(client, *store, service, stop); });
  }
  log.info("bot ready", {{"mode", to_string(config.telegram_mode)},
                         {"bot_username", bot_username},
                         {"health_port", observability_server.port()}});

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  log.info("stopping", {{"signal", signal_number == SIGTERM ? "SIGTERM" : "SIGINT"}});

  if (webhook) webhook->stop();
  if (polling.joinable()) {
    polling.request_stop();
    polling.join();
  }
  // Receipts of messages still being archived go out while the service drains.
  const bool finished = service.stop(kShutdownDeadline);
  // Receipts are out. No more events; the status board sends the final texts it still
  // holds; then stopping the Outbox cuts short a relay waiting for its slot, so SIGTERM
  // ends in time.
  job_events.stop();
  job_board.stop();
  outbox.stop();
  large_files.stop();
  health.stop();
  observability_server.stop();
  if (!finished) {
    // Whatever still runs is in the inbox and is archived at the next start.
    log.warn("stopped before everything in flight finished; the rest is archived at the next start", {});
    std::_Exit(0);
  }
  log.info("stopped", {});
  return 0;
}

}  // namespace teltubby::app
