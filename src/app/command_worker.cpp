// `teltubby worker [--env-file PATH]`: the large-file worker (DESIGN.md section 5).
// Loads the configuration (role worker), opens storage, the database and the queues,
// serves /healthz and /metrics on HEALTH_PORT, and consumes jobs with
// WORKER_CONCURRENCY threads until SIGTERM or SIGINT: then it takes no new job, puts
// a job in flight back into its queue, and exits 0.
//
// The bytes come from a LargeFileSource: the worker's Telegram user account through
// TDLib (TDJSON_PATH; login through the bot or `teltubby login`, docs/mtproto.md). Tests
// that exercise only the job machinery may use the fake world's account API directly
// (TELTUBBY_FAKE_TELEGRAM_URL with TELTUBBY_FAKE_TELEGRAM_SESSION); production never
// sets those.
#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <thread>

#include "app/build_info.hpp"
#include "app/commands.hpp"
#include "app/env_file_option.hpp"
#include "app/startup_retries.hpp"
#include "app/stop_signals.hpp"
#include "app/settings_from_config.hpp"
#include "core/config.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "jobs/worker_status.hpp"
#include "metrics/catalog.hpp"
#include "mtproto/td_account.hpp"
#include "mtproto/tdlib_file_source.hpp"
#include "mtproto/worker_login.hpp"
#include "observability/health.hpp"
#include "observability/observability_server.hpp"
#include "queue/session.hpp"
#include "storage/s3_client.hpp"
#include "store/sqlite_store.hpp"
#include "telegram/tdlib/td_json_library.hpp"
#include "telegram/tdlib/td_log.hpp"
#include "worker/disk_admission.hpp"
#include "worker/fake_world_file_source.hpp"
#include "worker/job_processor.hpp"
#include "worker/worker_service.hpp"

namespace teltubby::app {
namespace {

constexpr std::string_view kUsage = "usage: teltubby worker [--env-file PATH]\n";
// Kept free in WORK_DIR beyond a job's file (database, logs, TDLib's own files).
constexpr std::uint64_t kDiskMarginBytes = 256ULL * 1024 * 1024;

std::optional<std::string> environment(const char* name) {
  const char* value = std::getenv(name);  // NOLINT(concurrency-mt-unsafe): read before threads start
  if (value == nullptr || *value == '\0') return std::nullopt;
  return std::string(value);
}

// The fake world's account API as the source (tests of the job machinery only).
std::unique_ptr<worker::FakeWorldFileSource> make_fake_source(const Config& config) {
  const auto fake_url = environment("TELTUBBY_FAKE_TELEGRAM_URL");
  const auto session = environment("TELTUBBY_FAKE_TELEGRAM_SESSION");
  if (!fake_url || !session) return nullptr;
  return std::make_unique<worker::FakeWorldFileSource>(*fake_url, *session,
                                                       std::chrono::duration_cast<std::chrono::seconds>(config.io_timeout));
}

// The TDLib account, its login handling and its file source. Members are destroyed in
// reverse order: the source, then the login thread, then the account, whose destructor
// closes the TDLib client — TDLib aborts at exit when a client is still open, so this
// must happen on every way out of the worker, exceptions included.
struct TdlibParts {
  std::shared_ptr<const tdlib::TdJsonLibrary> library;
  std::unique_ptr<mtproto::TdAccount> account;
  std::unique_ptr<mtproto::WorkerLogin> login;
  std::unique_ptr<mtproto::TdlibFileSource> source;
};

TdlibParts make_tdlib_parts(const Config& config, store::Store& store, const std::string& worker_id) {
  TdlibParts parts;
  parts.library = std::make_shared<const tdlib::TdJsonLibrary>(config.tdjson_path);
  if (auto routed = tdlib::route_tdlib_log(*parts.library); !routed) {
    Logger{"worker"}.warn("TDLib's log is not routed to ours", {{"error", routed.error().describe()}});
  }
  parts.account =
      std::make_unique<mtproto::TdAccount>(parts.library, account_settings_from(config, std::chrono::seconds{30}));
  parts.login = std::make_unique<mtproto::WorkerLogin>(
      mtproto::WorkerLoginSettings{.queue = queue_settings_from(config),
                                   .worker_id = worker_id,
                                   .phone_number = config.mtproto_phone_number,
                                   .bot_username = [&store]() -> std::optional<std::string> {
                                     auto name = store.get_value(jobs::kBotUsernameKey);
                                     if (!name) return std::nullopt;
                                     return *name;
                                   },
                                   .poll = std::chrono::milliseconds{500}},
      *parts.account);
  parts.source = std::make_unique<mtproto::TdlibFileSource>(*parts.account, parts.login->context());
  return parts;
}

std::string make_worker_id() {
  std::array<char, 256> host{};
  if (::gethostname(host.data(), host.size() - 1) != 0) return "worker-" + std::to_string(::getpid());
  return std::string(host.data()) + "-" + std::to_string(::getpid());
}

int run_worker_with(const Config& config) {
  Logger log{"worker"};
  std::filesystem::create_directories(config.work_dir);
  std::filesystem::permissions(config.work_dir, std::filesystem::perms::owner_all,
                               std::filesystem::perm_options::replace);
  storage::S3Client s3(s3_settings_from(config));
  // The bot creates the bucket too; whichever process starts first does it.
  if (auto bucket = with_startup_retries(log, "bucket", [&] { return s3.ensure_bucket(); }); !bucket) {
    throw FatalError("S3 bucket not usable: " + bucket.error().describe());
  }
  auto store = store::SqliteStore::open({.path = config.sqlite_path, .busy_timeout = std::chrono::seconds{10},
                                         .clock = {}});
  const std::string worker_id = make_worker_id();

  // The account the bytes come from. The fake source's account is fixed and announced
  // once (worker.auth ready); the TDLib account announces itself as its login goes.
  std::optional<std::int64_t> fake_account;
  TdlibParts tdlib_parts;
  std::unique_ptr<worker::FakeWorldFileSource> fake_source = make_fake_source(config);
  worker::LargeFileSource* source = fake_source.get();
  if (fake_source) {
    auto account = fake_source->account_user_id();
    if (!account) throw FatalError("the fake world session is not usable: " + account.error().describe());
    fake_account = *account;
  } else {
    tdlib_parts = make_tdlib_parts(config, *store, worker_id);
    source = tdlib_parts.source.get();
  }

  const queue::QueueSettings queue_settings = queue_settings_from(config);
  {
    queue::Session probe(queue_settings);  // reports a wrong host or password at once; declares the topology
    if (auto connected = probe.connect(); !connected && !connected.error().retryable()) {
      throw FatalError("RabbitMQ: " + connected.error().describe());
    }
  }

  metrics::Catalog& metrics = metrics::process_catalog();
  observability::HealthRegistry health({.interval = config.worker_health_check_interval,
                                        .stale_after = 3 * config.worker_health_check_interval});
  health.add("s3", [&s3] { return storage::probe_and_tidy(s3); });
  health.add("database", [&store]() -> Status {
    auto ok = store->get_value("worker.health");
    if (!ok) return std::unexpected(ok.error());
    return {};
  });
  health.add("rabbitmq", [queue_settings]() -> Status {
    queue::Session session(queue_settings);
    return session.connect();
  });
  health.start();
  observability::ObservabilityServer server({.port = config.health_port,
                                             .localhost_only = config.bind_health_localhost_only,
                                             .threads = 2},
                                            metrics::process_registry(), health);
  const std::uint16_t port = server.start();

  worker::DiskAdmission disk(config.work_dir, kDiskMarginBytes);
  worker::JobProcessor processor({.work_dir = config.work_dir,
                                  .worker_id = worker_id,
                                  .max_retries = static_cast<int>(config.worker_max_retries),
                                  .progress_interval = std::chrono::seconds{2},
                                  .cancel_poll_interval = std::chrono::seconds{1}},
                                 *store, s3, *source, disk, metrics);
  std::function<bool()> can_take_jobs;
  std::function<std::int64_t()> cache_bytes;
  if (tdlib_parts.login) can_take_jobs = [login = tdlib_parts.login.get()] { return login->ready(); };
  if (tdlib_parts.account) cache_bytes = [account = tdlib_parts.account.get()] { return account->cache_bytes(); };
  worker::WorkerService service({.queue = queue_settings,
                                 .concurrency = config.worker_concurrency,
                                 .heartbeat_interval = config.worker_health_check_interval,
                                 .idle_wait = std::chrono::seconds{1},
                                 .no_room_wait = std::chrono::seconds{2},
                                 .worker_id = worker_id,
                                 .version = build_info::version,
                                 .account_user_id = fake_account,
                                 .can_take_jobs = can_take_jobs,
                                 .cache_bytes = cache_bytes},
                                processor);
  log.info("worker started", {{"worker_id", worker_id}, {"health_port", port}});

  // SIGTERM/SIGINT are blocked in every thread (the mask is inherited) and taken here
  // with sigtimedwait, so the stop runs in ordinary code, not in a signal handler.
  if (tdlib_parts.account) {
    tdlib_parts.login->start();
    tdlib_parts.account->start();
  }
  std::jthread runner([&service] { service.run(); });
  const sigset_t signals = block_stop_signals();  // already blocked: this only names the set
  const timespec poll{0, 200'000'000};
  while (true) {
    const int signal_number = ::sigtimedwait(&signals, nullptr, &poll);
    if (signal_number == SIGTERM || signal_number == SIGINT) {
      log.info("stopping: no new jobs; a job in flight goes back to its queue", {{"signal", signal_number}});
      service.stop();
      break;
    }
  }
  runner.join();
  if (tdlib_parts.login) tdlib_parts.login->stop();
  if (tdlib_parts.account) {
    if (auto closed = tdlib_parts.account->close(); !closed) {
      log.error("TDLib did not close cleanly", {{"error", closed.error().describe()}});
    }
  }
  health.stop();
  server.stop();
  log.info("worker stopped");
  return 0;
}

}  // namespace

int run_worker(CommandArgs args) {
  const auto options = only_env_file(args, "worker", kUsage);
  if (!options) return 2;
  const auto& env_file = options->env_file;
  // Before any thread exists, so that only sigtimedwait in run_worker_with sees them.
  (void)block_stop_signals();

  const auto config = load_startup_config(ConfigRole::worker, env_file);
  if (!config) {
    std::cerr << "teltubby worker: configuration problems:\n";
    for (const auto& problem : config.error()) std::cerr << "  " << describe(problem) << '\n';
    return 2;
  }
  configure_logging(make_log_settings(*config));
  try {
    return run_worker_with(*config);
  } catch (const FatalError& error) {
    std::cerr << "teltubby worker: " << redact(error.what()) << '\n';
    return 1;
  }
}

}  // namespace teltubby::app
