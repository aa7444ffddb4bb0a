// `teltubby doctor [--env-file PATH]`: checks, one line each, what the bot and the worker
// need — the configuration, the TDLib library (loads, version), the MTProto session
// directory, the work directory, SQLite, S3 and RabbitMQ — and says what to fix.
// Exit 0 when every check passed, 1 otherwise, 2 for bad usage. Changes nothing except
// a probe object in the bucket that storage::probe_and_tidy removes again.
#include <sys/stat.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>

#include "app/commands.hpp"
#include "app/env_file_option.hpp"
#include "app/settings_from_config.hpp"
#include "core/config.hpp"
#include "core/log.hpp"
#include "queue/session.hpp"
#include "storage/s3_client.hpp"
#include "store/sqlite_store.hpp"
#include "telegram/tdlib/td_json_library.hpp"

namespace teltubby::app {
namespace {

namespace fs = std::filesystem;
constexpr std::string_view kUsage = "usage: teltubby doctor [--env-file PATH]\n";

class Report {
 public:
  void pass(std::string_view check, const std::string& detail) { std::cout << "ok    " << check << ": " << detail << '\n'; }
  void fail(std::string_view check, const std::string& reason) {
    std::cout << "FAIL  " << check << ": " << redact(reason) << '\n';
    failed_ = true;
  }
  template <class Fn>
  void run(std::string_view check, Fn&& fn) {
    try {
      fn();
    } catch (const std::exception& error) {
      fail(check, error.what());
    }
  }
  [[nodiscard]] bool failed() const { return failed_; }

 private:
  bool failed_ = false;
};

void check_tdlib(Report& report, const Config& config) {
  report.run("tdlib", [&] {
    tdlib::TdJsonLibrary library(config.tdjson_path);
    auto version = library.version();
    if (!version) {
      report.fail("tdlib", config.tdjson_path.string() + " loads but does not answer getOption(version): " +
                               version.error().describe());
      return;
    }
    report.pass("tdlib", "TDLib " + *version + " from " + config.tdjson_path.string());
  });
}

void check_session(Report& report, const Config& config) {
  const fs::path& directory = config.mtproto_session_path;
  std::error_code error;
  if (!fs::exists(directory, error)) {
    report.pass("session", directory.string() + " does not exist yet: log in with `teltubby login` or through the "
                                                "bot (/mtcode, /mtqr) once the worker runs");
    return;
  }
  struct stat info {};
  if (::stat(directory.c_str(), &info) != 0 || !S_ISDIR(info.st_mode)) {
    report.fail("session", directory.string() + " is not a directory");
    return;
  }
  if ((info.st_mode & 077) != 0) {
    std::array<char, 8> mode{};
    std::snprintf(mode.data(), mode.size(), "%03o", static_cast<unsigned>(info.st_mode & 0777));
    report.fail("session", directory.string() + " is open to others (mode " + mode.data() +
                               "); run chmod 700 on it: it holds the account's authorization key");
    return;
  }
  const bool empty = fs::is_empty(directory, error);
  report.pass("session", directory.string() + (empty ? " is empty: the worker will ask for a login"
                                                     : " holds a TDLib database (a saved session)"));
}

void check_work_dir(Report& report, const Config& config) {
  std::error_code error;
  fs::create_directories(config.work_dir, error);
  if (error) {
    report.fail("work_dir", "cannot create " + config.work_dir.string() + ": " + error.message());
    return;
  }
  const auto space = fs::space(config.work_dir, error);
  if (error) {
    report.fail("work_dir", config.work_dir.string() + ": " + error.message());
    return;
  }
  report.pass("work_dir", config.work_dir.string() + ", " + std::to_string(space.available / (1024 * 1024)) +
                              " MiB free (a large file needs about twice its size while it is archived)");
}

}  // namespace

int run_doctor(CommandArgs args) {
  const auto options = only_env_file(args, "doctor", kUsage);
  if (!options) return 2;
  const auto& env_file = options->env_file;
  // Quiet: the report is the output.
  configure_logging({.level = LogLevel::error, .to_stdout = false, .file = std::nullopt});
  Report report;
  auto config = load_startup_config(ConfigRole::any, env_file);
  if (!config) {
    for (const auto& problem : config.error()) report.fail("config", describe(problem));
    return 1;
  }
  for (ConfigRole role : {ConfigRole::bot, ConfigRole::worker}) {
    auto for_role = load_startup_config(role, env_file);
    if (for_role) {
      report.pass("config", std::string(to_string(role)) + ": complete");
    } else {
      for (const auto& problem : for_role.error()) report.fail("config", std::string(to_string(role)) + ": " + describe(problem));
    }
  }
  check_tdlib(report, *config);
  check_session(report, *config);
  check_work_dir(report, *config);
  report.run("sqlite", [&] {
    auto store = store::SqliteStore::open({.path = config->sqlite_path, .busy_timeout = std::chrono::seconds{5},
                                           .clock = {}});
    auto probe = store->get_value("doctor.probe");
    if (!probe) {
      report.fail("sqlite", probe.error().describe());
      return;
    }
    report.pass("sqlite", config->sqlite_path.string());
  });
  report.run("s3", [&] {
    storage::S3Client s3(s3_settings_from(*config));
    if (auto probed = storage::probe_and_tidy(s3); !probed) {
      report.fail("s3", probed.error().describe());
      return;
    }
    report.pass("s3", "bucket " + config->s3_bucket + " at " + config->s3_endpoint + " is writable");
  });
  report.run("rabbitmq", [&] {
    queue::Session session(queue_settings_from(*config));
    if (auto connected = session.connect(); !connected) {
      report.fail("rabbitmq", connected.error().describe());
      return;
    }
    report.pass("rabbitmq", config->rabbitmq_host + ":" + std::to_string(config->rabbitmq_port) +
                                ", queues declared");
  });
  return report.failed() ? 1 : 0;
}

}  // namespace teltubby::app
