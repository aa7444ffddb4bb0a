#include "core/config.hpp"

#include <stdexcept>
#include <utility>

namespace teltubby {
namespace {

namespace parse = config_parse;
using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr std::uint64_t kMiB = 1024ULL * 1024;
constexpr std::string_view kOfficialBotApi = "https://api.telegram.org";
constexpr std::uint64_t kGiB = 1024 * kMiB;
constexpr milliseconds kOneDay = std::chrono::hours(24);

// Reads variables by name from the environment, falling back to the table default,
// and collects problems instead of stopping at the first.
class Reader {
 public:
  Reader(const EnvMap& env, ConfigRole role) : env_(env), role_(role) {}

  // The text to parse (value given, else the default), or nullopt when neither exists;
  // then a problem is recorded if `role` requires the variable.
  std::optional<std::string> text(std::string_view name) {
    const auto& variable = spec(name);
    if (const auto given = given_value(name)) return std::string(*given);
    if (!variable.default_text.empty()) return expand_default(variable.default_text);
    if ((variable.required_for & role_bit(role_)) != 0) {
      problems_.push_back(ConfigProblem{std::string(name), "", false,
                                        "required for `teltubby " + std::string(to_string(role_)) +
                                            "`: " + std::string(variable.description),
                                        ""});
    }
    return std::nullopt;
  }

  // Parses the variable into `out` with `parser` (a function returning Parsed<T>).
  template <class T, class Parser>
  void read(std::string_view name, T& out, Parser&& parser) {
    const auto raw = text(name);
    if (!raw) return;
    auto parsed = parser(std::string_view(*raw));
    if (parsed) {
      out = static_cast<T>(std::move(*parsed));
    } else {
      report(name, parsed.error());
    }
  }

  void report(std::string_view name, std::string expected) {
    const auto given = given_value(name);
    const auto shown =
        given ? mask_value(*given, spec(name).secrecy) : std::string(spec(name).default_text) + " (default)";
    problems_.push_back(
        ConfigProblem{std::string(name), shown_safely(name, shown), true, std::move(expected), ""});
  }
  void report_missing(std::string_view name, std::string expected) {
    problems_.push_back(ConfigProblem{std::string(name), "", false, std::move(expected), ""});
  }

  [[nodiscard]] bool is_set(std::string_view name) const { return given_value(name).has_value(); }
  void set_data_dir(std::string dir) { data_dir_ = std::move(dir); }
  std::vector<ConfigProblem> take_problems() { return std::move(problems_); }

 private:
  static const ConfigVariable& spec(std::string_view name) {
    const auto* variable = find_config_variable(name);
    // A name missing from the table is a programming error, caught by every test run.
    if (variable == nullptr)
      throw std::logic_error("configuration variable not in the table: " + std::string(name));
    return *variable;
  }
  std::optional<std::string_view> given_value(std::string_view name) const {
    const auto found = env_.find(name);
    if (found == env_.end() || found->second.empty()) return std::nullopt;
    return std::string_view(found->second);
  }
  std::string expand_default(std::string_view text) const {
    if (!text.starts_with(kDataDirPlaceholder)) return std::string(text);
    auto rest = text.substr(kDataDirPlaceholder.size());
    while (rest.starts_with('/')) rest.remove_prefix(1);
    return (std::filesystem::path(data_dir_) / rest).string();
  }
  // A non-secret variable may still hold a pasted token: pass it through the redactor.
  static std::string shown_safely(std::string_view name, const std::string& shown) {
    return spec(name).secrecy == Secrecy::none ? redact(shown) : shown;
  }

  const EnvMap& env_;
  ConfigRole role_;
  std::string data_dir_ = "data";
  std::vector<ConfigProblem> problems_;
};

auto whole(std::uint64_t min, std::uint64_t max) {
  return [min, max](std::string_view text) { return parse::unsigned_in(text, min, max); };
}
auto secs(milliseconds min, milliseconds max) {
  return [min, max](std::string_view text) { return parse::seconds_in(text, min, max); };
}
auto path() {
  return [](std::string_view text) -> parse::Parsed<std::filesystem::path> {
    auto checked = parse::plain_text(text);
    if (!checked) return std::unexpected<std::string>("a file system path without control characters");
    return std::filesystem::path(*checked);
  };
}
// Secrets may hold any printable characters, spaces included.
auto any_text() {
  return [](std::string_view text) -> parse::Parsed<std::string> {
    for (const char c : text) {
      if (static_cast<unsigned char>(c) < 0x20 || c == '\x7f') {
        return std::unexpected<std::string>("text without control characters");
      }
    }
    return std::string(text);
  };
}

void read_telegram(Reader& r, Config& c) {
  r.read("TELEGRAM_BOT_TOKEN", c.telegram_bot_token, parse::bot_token);
  r.read("TELEGRAM_WHITELIST_IDS", c.telegram_whitelist_ids, parse::user_ids);
  r.read("TELEGRAM_MODE", c.telegram_mode, [](std::string_view text) -> parse::Parsed<TelegramMode> {
    if (text == "polling") return TelegramMode::polling;
    if (text == "webhook") return TelegramMode::webhook;
    return std::unexpected<std::string>("polling or webhook");
  });
  r.read("WEBHOOK_URL", c.webhook_url, [](std::string_view text) { return parse::url(text, false); });
  r.read("WEBHOOK_SECRET", c.webhook_secret, parse::webhook_secret);
  r.read("WEBHOOK_LISTEN", c.webhook_listen, parse::host_port);
  r.read("TELEGRAM_API_BASE_URL", c.telegram_api_base_url,
         [](std::string_view text) { return parse::url(text, false); });
  r.read("TELEGRAM_LOCAL_MODE", c.telegram_local_mode, parse::boolean);
  // Upper bound: a local Bot API server serves up to 2000 MB; 0 would route everything to the worker.
  r.read("BOT_API_MAX_FILE_BYTES", c.bot_api_max_file_bytes, whole(1, 4 * kGiB));

  if (c.telegram_mode == TelegramMode::webhook) {
    if (!r.is_set("WEBHOOK_URL"))
      r.report_missing("WEBHOOK_URL", "required when TELEGRAM_MODE=webhook: an https:// URL");
    if (!r.is_set("WEBHOOK_SECRET")) {
      r.report_missing("WEBHOOK_SECRET", "required when TELEGRAM_MODE=webhook: 1-256 of A-Z a-z 0-9 _ -");
    }
  }
  // Telegram's own servers only call https:// webhooks; a local Bot API server (or the
  // fake world in tests) also calls plain http:// ones.
  if (c.webhook_url.starts_with("http://") && c.telegram_api_base_url == kOfficialBotApi) {
    r.report("WEBHOOK_URL", "an https:// URL (Telegram calls only https webhooks; http:// works with a local "
                            "Bot API server set in TELEGRAM_API_BASE_URL)");
  }
  if (c.telegram_local_mode && !r.is_set("TELEGRAM_API_BASE_URL")) {
    r.report_missing("TELEGRAM_API_BASE_URL",
                     "required when TELEGRAM_LOCAL_MODE=true: the URL of your local Bot API server");
  }
  // A local Bot API server hands out files up to 2000 MB: that is the point of running
  // one, so it is the default limit there unless the operator chose another.
  if (c.telegram_local_mode && !r.is_set("BOT_API_MAX_FILE_BYTES")) c.bot_api_max_file_bytes = 2000 * kMiB;
}

void read_s3(Reader& r, Config& c) {
  r.read("S3_ENDPOINT", c.s3_endpoint, [](std::string_view text) { return parse::url(text, false); });
  r.read("S3_ACCESS_KEY_ID", c.s3_access_key_id, parse::plain_text);
  r.read("S3_SECRET_ACCESS_KEY", c.s3_secret_access_key, any_text());
  r.read("S3_BUCKET", c.s3_bucket, parse::bucket_name);
  r.read("S3_REGION", c.s3_region, parse::plain_text);
  r.read("S3_FORCE_PATH_STYLE", c.s3_force_path_style, parse::boolean);
  r.read("MINIO_TLS_SKIP_VERIFY", c.minio_tls_skip_verify, parse::boolean);
  r.read("S3_BUCKET_QUOTA_BYTES", c.s3_bucket_quota_bytes, whole(0, UINT64_MAX));
  // S3's own limits: parts of 5 MiB to 5 GiB (only the last part may be smaller).
  r.read("S3_MULTIPART_PART_BYTES", c.s3_multipart_part_bytes, whole(5 * kMiB, 5 * kGiB));
  r.read("S3_QUOTA_RELIST_SECONDS", c.s3_quota_relist_interval, secs(seconds(1), kOneDay * 7));
}

void read_ingestion(Reader& r, Config& c) {
  r.read("ALBUM_AGGREGATION_WINDOW_SECONDS", c.album_aggregation_window, secs(milliseconds(0), seconds(60)));
  // Telegram's largest file is 4 GB (Premium); allow some headroom but catch typos like 4000.
  r.read("MAX_FILE_GB", c.max_file_bytes,
         [](std::string_view text) { return parse::gibibytes_in(text, 1, 16 * kGiB); });
  r.read("CONCURRENCY", c.concurrency, whole(1, 32));
  r.read("IO_TIMEOUT_SECONDS", c.io_timeout, secs(seconds(1), seconds(3600)));
  r.read("DEDUP_ENABLE", c.dedup_enable, parse::boolean);
}

void read_paths(Reader& r, Config& c) {
  r.read("TELTUBBY_DATA_DIR", c.data_dir, path());
  r.set_data_dir(c.data_dir.string());
  r.read("SQLITE_PATH", c.sqlite_path, path());
  r.read("TELTUBBY_WORK_DIR", c.work_dir, path());
}

void read_logging(Reader& r, Config& c) {
  r.read("LOG_LEVEL", c.log_level, [](std::string_view text) -> parse::Parsed<LogLevel> {
    if (const auto level = parse_log_level(text)) return *level;
    return std::unexpected<std::string>("debug, info, warn or error");
  });
  r.read("LOG_FILE", c.log_file, path());
  r.read("LOG_ROTATE_MAX_BYTES", c.log_rotate_max_bytes, whole(1024, UINT64_MAX));
  r.read("LOG_ROTATE_BACKUP_COUNT", c.log_rotate_backup_count, whole(0, 1000));
  r.read("HEALTH_PORT", c.health_port, parse::port);
  r.read("BIND_HEALTH_LOCALHOST_ONLY", c.bind_health_localhost_only, parse::boolean);
}

void read_rabbitmq(Reader& r, Config& c) {
  r.read("RABBITMQ_HOST", c.rabbitmq_host, parse::plain_text);
  r.read("RABBITMQ_PORT", c.rabbitmq_port, parse::port);
  r.read("RABBITMQ_USERNAME", c.rabbitmq_username, parse::plain_text);
  r.read("RABBITMQ_PASSWORD", c.rabbitmq_password, any_text());
  r.read("RABBITMQ_VHOST", c.rabbitmq_vhost, parse::plain_text);
  r.read("JOB_QUEUE_NAME", c.job_queue_name, parse::amqp_name);
  r.read("JOB_DEAD_LETTER_QUEUE", c.job_dead_letter_queue, parse::amqp_name);
  r.read("JOB_PRIORITY_QUEUE", c.job_priority_queue, parse::amqp_name);
  r.read("JOB_RETRY_QUEUE", c.job_retry_queue, parse::amqp_name);
  r.read("JOB_EXCHANGE", c.job_exchange, parse::amqp_name);
  r.read("JOB_DLX_EXCHANGE", c.job_dlx_exchange, parse::amqp_name);
  r.read("JOB_EVENTS_EXCHANGE", c.job_events_exchange, parse::amqp_name);
  r.read("JOB_BOT_EVENTS_QUEUE", c.job_bot_events_queue, parse::amqp_name);
  r.read("JOB_WORKER_CONTROL_QUEUE", c.job_worker_control_queue, parse::amqp_name);
}

void read_worker(Reader& r, Config& c) {
  r.read("WORKER_CONCURRENCY", c.worker_concurrency, whole(1, 32));
  r.read("WORKER_MAX_RETRIES", c.worker_max_retries, whole(0, 100));
  r.read("WORKER_RETRY_DELAY_SECONDS", c.worker_retry_delay, secs(milliseconds(0), kOneDay));
  r.read("WORKER_HEALTH_CHECK_INTERVAL", c.worker_health_check_interval, secs(seconds(1), seconds(3600)));
}

void read_mtproto(Reader& r, Config& c) {
  r.read("MTPROTO_API_ID", c.mtproto_api_id, whole(1, INT32_MAX));
  r.read("MTPROTO_API_HASH", c.mtproto_api_hash, parse::api_hash);
  r.read("MTPROTO_PHONE_NUMBER", c.mtproto_phone_number, parse::phone_number);
  r.read("MTPROTO_SESSION_PATH", c.mtproto_session_path, path());
  r.read("MTPROTO_DATABASE_KEY", c.mtproto_database_key, any_text());
  r.read("TDJSON_PATH", c.tdjson_path, path());
}

}  // namespace

std::string_view to_string(TelegramMode mode) {
  return mode == TelegramMode::webhook ? "webhook" : "polling";
}

std::string describe(const ConfigProblem& problem) {
  std::string line;
  if (!problem.source.empty()) line += problem.source + ": ";
  if (problem.variable.empty()) {
    line += "expected " + problem.expected;
  } else if (!problem.was_set) {
    line += problem.variable + " is not set: " + problem.expected;
  } else if (problem.value.empty()) {
    line += problem.variable + ": expected " + problem.expected;
  } else {
    line += problem.variable + "=\"" + problem.value + "\": expected " + problem.expected;
  }
  return line;
}

ConfigResult load_config(const EnvMap& env, ConfigRole role) {
  Reader reader(env, role);
  Config config;
  // Paths first: other defaults are derived from TELTUBBY_DATA_DIR.
  read_paths(reader, config);
  read_telegram(reader, config);
  read_s3(reader, config);
  read_ingestion(reader, config);
  read_logging(reader, config);
  read_rabbitmq(reader, config);
  read_worker(reader, config);
  read_mtproto(reader, config);
  auto problems = reader.take_problems();
  if (!problems.empty()) return std::unexpected(std::move(problems));
  return config;
}

void register_config_secrets(const Config& config) {
  for (const auto* value :
       {&config.telegram_bot_token, &config.webhook_secret, &config.s3_secret_access_key,
        &config.mtproto_api_hash, &config.mtproto_database_key, &config.mtproto_phone_number}) {
    register_secret(*value);
  }
  if (config.rabbitmq_password != find_config_variable("RABBITMQ_PASSWORD")->default_text) {
    register_secret(config.rabbitmq_password);
  }
}

LogSettings make_log_settings(const Config& config) {
  LogSettings settings;
  settings.level = config.log_level;
  settings.to_stdout = true;
  if (!config.log_file.empty()) settings.file = config.log_file;
  settings.rotate_max_bytes = config.log_rotate_max_bytes;
  settings.rotate_backup_count = config.log_rotate_backup_count;
  return settings;
}

}  // namespace teltubby
