#pragma once
// Typed configuration (DESIGN.md section 7). `load_config` is a pure function over a
// name -> value map; `load_startup_config` is the I/O shell every command uses (reads
// the process environment and the .env file, registers secrets for log redaction).
// The variables, their defaults and descriptions are in core/config_table.cpp.
#include <chrono>
#include <cstdint>
#include <expected>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/config_parse.hpp"
#include "core/config_table.hpp"
#include "core/log.hpp"

namespace teltubby {

using EnvMap = std::map<std::string, std::string, std::less<>>;

enum class TelegramMode { polling, webhook };
std::string_view to_string(TelegramMode mode);

using HostPort = config_parse::HostPort;

// One thing wrong with the configuration. Never holds a secret: `value` is masked.
struct ConfigProblem {
  std::string variable;  // e.g. "CONCURRENCY"; for .env syntax errors the key if known
  std::string value;     // as given, masked per the variable's secrecy; "" when unset
  bool was_set = false;  // false: the problem is that the variable is missing
  std::string expected;  // what would be accepted, e.g. "a whole number 1-32"
  std::string source;    // where the value came from when not the environment: ".env:12"
};
// One line: `CONCURRENCY="99": expected a whole number 1-32`.
std::string describe(const ConfigProblem& problem);

struct Config {
  // Telegram
  std::string telegram_bot_token;
  std::vector<std::int64_t> telegram_whitelist_ids;
  TelegramMode telegram_mode = TelegramMode::polling;
  std::string webhook_url;     // empty unless set
  std::string webhook_secret;  // empty unless set
  HostPort webhook_listen;
  std::string telegram_api_base_url;  // no trailing '/'
  bool telegram_local_mode = false;
  std::uint64_t bot_api_max_file_bytes = 0;

  // S3
  std::string s3_endpoint;  // no trailing '/'
  std::string s3_access_key_id;
  std::string s3_secret_access_key;
  std::string s3_bucket;
  std::string s3_region;
  bool s3_force_path_style = true;
  bool minio_tls_skip_verify = false;
  std::uint64_t s3_bucket_quota_bytes = 0;  // 0 = no quota
  std::uint64_t s3_multipart_part_bytes = 0;
  std::chrono::milliseconds s3_quota_relist_interval{0};

  // Ingestion
  std::chrono::milliseconds album_aggregation_window{0};
  std::uint64_t max_file_bytes = 0;  // MAX_FILE_GB in bytes (GiB)
  unsigned concurrency = 0;
  std::chrono::milliseconds io_timeout{0};
  bool dedup_enable = true;

  // Paths
  std::filesystem::path data_dir;
  std::filesystem::path sqlite_path;
  std::filesystem::path work_dir;

  // Logging and health
  LogLevel log_level = LogLevel::info;
  std::filesystem::path log_file;  // empty = stdout only
  std::uint64_t log_rotate_max_bytes = 0;
  unsigned log_rotate_backup_count = 0;
  std::uint16_t health_port = 0;
  bool bind_health_localhost_only = true;

  // RabbitMQ and jobs
  std::string rabbitmq_host;
  std::uint16_t rabbitmq_port = 0;
  std::string rabbitmq_username;
  std::string rabbitmq_password;
  std::string rabbitmq_vhost;
  std::string job_queue_name;
  std::string job_dead_letter_queue;
  std::string job_priority_queue;
  std::string job_retry_queue;
  std::string job_exchange;
  std::string job_dlx_exchange;
  std::string job_events_exchange;       // worker -> bot events (topic)
  std::string job_bot_events_queue;      // the bot's durable queue of those events
  std::string job_worker_control_queue;  // bot -> worker control messages

  // Worker
  unsigned worker_concurrency = 0;
  unsigned worker_max_retries = 0;
  std::chrono::milliseconds worker_retry_delay{0};
  std::chrono::milliseconds worker_health_check_interval{0};

  // MTProto
  std::int32_t mtproto_api_id = 0;  // 0 = unset
  std::string mtproto_api_hash;
  std::string mtproto_phone_number;  // empty = asked at login
  std::filesystem::path mtproto_session_path;
  std::string mtproto_database_key;  // empty = unencrypted TDLib database
  std::filesystem::path tdjson_path;
};

using ConfigResult = std::expected<Config, std::vector<ConfigProblem>>;

// Validates every variable of the table (an empty value counts as unset) and reports
// ALL problems at once. Pure: no environment, no files, no global state.
ConfigResult load_config(const EnvMap& env, ConfigRole role);

// Every secret of `config` (and the phone number) goes to register_secret(), so log
// lines and error texts redact it. Values equal to their public default (the RabbitMQ
// "guest" password) are not registered: hiding a well-known word helps nobody.
void register_config_secrets(const Config& config);

LogSettings make_log_settings(const Config& config);

// The start-up shell: environment merged over the .env file (`env_file` if given, which
// must exist; otherwise ./.env when present), loaded for `role`, secrets registered.
ConfigResult load_startup_config(ConfigRole role, const std::optional<std::filesystem::path>& env_file);

// The configuration as NAME -> shown value (secrets masked, unset = ""), table order.
std::vector<std::pair<std::string, std::string>> describe_config(const Config& config);
// `teltubby config` output: `NAME=value` lines under `# Group` headings.
std::string format_config(const Config& config);
// The README's configuration reference table (GitHub markdown).
std::string config_reference_markdown();

}  // namespace teltubby
