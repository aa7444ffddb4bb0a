// `teltubby jobs [--env-file PATH] list | show <id> | retry <id> | cancel <id>`: the
// curator's job commands from a shell, on the database at SQLITE_PATH (the bot's and
// the worker's). <id> is a job's uuid or a unique prefix of at least 8 hex digits.
// `retry` also publishes the job at once when the broker answers; otherwise the bot's
// sweep publishes it when it runs. Plain text on stdout; errors on stderr.
// Exit codes: 0 done, 1 refused (unknown job, wrong state) or the database failed,
// 2 usage or configuration error.
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "app/commands.hpp"
#include "app/env_file_option.hpp"
#include "app/settings_from_config.hpp"
#include "core/config.hpp"
#include "core/log.hpp"
#include "jobs/job_admin.hpp"
#include "jobs/job_ref.hpp"
#include "jobs/job_views.hpp"
#include "jobs/publishing.hpp"
#include "queue/job_publisher.hpp"
#include "queue/session.hpp"
#include "store/sqlite_store.hpp"

namespace teltubby::app {
namespace {

constexpr std::string_view kUsage =
    "usage: teltubby jobs [--env-file PATH] list\n"
    "       teltubby jobs [--env-file PATH] show <job id>\n"
    "       teltubby jobs [--env-file PATH] retry <job id>\n"
    "       teltubby jobs [--env-file PATH] cancel <job id>\n"
    "<job id>: the job's uuid or its first 8 (or more) hex digits\n";

// A shell user waits for this command: do not hang on a broker that does not answer.
constexpr std::chrono::milliseconds kBrokerTimeout{3'000};

constexpr int kOk = 0;
constexpr int kRefused = 1;
constexpr int kUsageError = 2;

using jobs::Format;

int refused(std::string_view action, const Error& error) {
  std::cerr << "teltubby jobs: " << redact(jobs::render_refusal(action, error, Format::text)) << '\n';
  return kRefused;
}

int list(store::Store& store) {
  auto overview = jobs::load_queue_overview(store, jobs::kQueueOverviewLimit);
  if (!overview) return refused("list the jobs", overview.error());
  std::cout << jobs::render_queue(*overview, Format::text) << '\n';
  return kOk;
}

int show(store::Store& store, std::string_view id) {
  auto job = jobs::find_job(store, id);
  if (!job) return refused("show the job", job.error());
  auto history = store.job_events(job->job_id);
  if (!history) return refused("show the job", history.error());
  std::cout << jobs::render_job(*job, *history, Format::text) << '\n';
  return kOk;
}

// Publishes the retried job now; when that is impossible the bot's sweep does it.
void publish_now(const Config& config, store::Store& store, const store::JobRecord& job) {
  queue::QueueSettings settings = queue_settings_from(config);
  settings.connect_timeout = kBrokerTimeout;
  settings.rpc_timeout = kBrokerTimeout;
  queue::Session session(settings);
  Status published = session.connect();
  if (published) {
    queue::JobPublisher publisher(session);
    published = jobs::publish_job(store, publisher, job);
  }
  session.disconnect();
  if (published) {
    std::cout << "Published to the broker.\n";
  } else {
    std::cout << "Not published now (" << redact(published.error().message)
              << "); the bot will publish it when it runs.\n";
  }
}

int retry(const Config& config, store::Store& store, std::string_view id) {
  auto outcome = jobs::retry_job(store, id);
  if (!outcome) return refused("retry", outcome.error());
  std::cout << jobs::render_retried(*outcome, Format::text) << '\n';
  publish_now(config, store, outcome->job);
  return kOk;
}

int cancel(store::Store& store, std::string_view id) {
  auto outcome = jobs::cancel_job(store, id);
  if (!outcome) return refused("cancel", outcome.error());
  std::cout << jobs::render_cancelled(*outcome, Format::text) << '\n';
  return kOk;
}

}  // namespace

int run_jobs(CommandArgs args) {
  const auto options = take_env_file(args);
  if (!options) {
    std::cerr << "teltubby jobs: " << options.error() << '\n' << kUsage;
    return kUsageError;
  }
  const auto& env_file = options->env_file;
  const std::vector<std::string>& words = options->rest;
  for (const auto& word : words) {
    if (word == "help" || word == "--help" || word == "-h") {
      std::cout << kUsage;
      return kOk;
    }
  }
  const bool needs_id = !words.empty() && (words[0] == "show" || words[0] == "retry" || words[0] == "cancel");
  const bool valid = !words.empty() && ((words[0] == "list" && words.size() == 1) || (needs_id && words.size() == 2));
  if (!valid) {
    std::cerr << (words.empty() ? std::string("teltubby jobs: what to do?\n")
                                : "teltubby jobs: cannot understand '" + words[0] + "' here\n")
              << kUsage;
    return kUsageError;
  }

  const auto config = load_startup_config(ConfigRole::any, env_file);
  if (!config) {
    std::cerr << "teltubby jobs: configuration problems:\n";
    for (const auto& problem : config.error()) std::cerr << "  " << describe(problem) << '\n';
    return kUsageError;
  }
  // stdout is the command's answer: log lines go only to LOG_FILE, when one is set.
  LogSettings log_settings = make_log_settings(*config);
  log_settings.to_stdout = false;
  configure_logging(log_settings);

  // Opening would create an empty database: a wrong SQLITE_PATH must say so instead.
  std::error_code missing;
  if (!std::filesystem::exists(config->sqlite_path, missing)) {
    std::cerr << "teltubby jobs: no database at " << config->sqlite_path.string()
              << " (SQLITE_PATH; the bot creates it on its first start)\n";
    return kUsageError;
  }
  auto store = store::SqliteStore::open({.path = config->sqlite_path, .busy_timeout = std::chrono::seconds{10},
                                         .clock = {}});
  if (words[0] == "list") return list(*store);
  if (words[0] == "show") return show(*store, words[1]);
  if (words[0] == "retry") return retry(*config, *store, words[1]);
  return cancel(*store, words[1]);
}

}  // namespace teltubby::app
