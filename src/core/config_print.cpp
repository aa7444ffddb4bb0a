// Showing the configuration: `teltubby config` (effective values, secrets masked) and
// the README reference table. Both walk the variable table, so neither can miss one.
#include <functional>
#include <sstream>
#include <stdexcept>

#include "core/config.hpp"

namespace teltubby {
namespace {

namespace parse = config_parse;
using Show = std::function<std::string(const Config&)>;

std::string yes_no(bool value) {
  return value ? "true" : "false";
}

std::string id_list(const std::vector<std::int64_t>& ids) {
  std::string text;
  for (const auto id : ids) text += (text.empty() ? "" : ",") + std::to_string(id);
  return text;
}

std::string host_port_text(const HostPort& value) {
  const bool ipv6 = value.host.find(':') != std::string::npos;
  return (ipv6 ? "[" + value.host + "]" : value.host) + ":" + std::to_string(value.port);
}

// The unmasked value of each variable, in the syntax the loader reads.
const std::map<std::string_view, Show>& formatters() {
  static const std::map<std::string_view, Show> table{
      {"TELEGRAM_BOT_TOKEN", [](const Config& c) { return c.telegram_bot_token; }},
      {"TELEGRAM_WHITELIST_IDS", [](const Config& c) { return id_list(c.telegram_whitelist_ids); }},
      {"TELEGRAM_MODE", [](const Config& c) { return std::string(to_string(c.telegram_mode)); }},
      {"WEBHOOK_URL", [](const Config& c) { return c.webhook_url; }},
      {"WEBHOOK_SECRET", [](const Config& c) { return c.webhook_secret; }},
      {"WEBHOOK_LISTEN", [](const Config& c) { return host_port_text(c.webhook_listen); }},
      {"TELEGRAM_API_BASE_URL", [](const Config& c) { return c.telegram_api_base_url; }},
      {"TELEGRAM_LOCAL_MODE", [](const Config& c) { return yes_no(c.telegram_local_mode); }},
      {"BOT_API_MAX_FILE_BYTES", [](const Config& c) { return std::to_string(c.bot_api_max_file_bytes); }},
      {"S3_ENDPOINT", [](const Config& c) { return c.s3_endpoint; }},
      {"S3_ACCESS_KEY_ID", [](const Config& c) { return c.s3_access_key_id; }},
      {"S3_SECRET_ACCESS_KEY", [](const Config& c) { return c.s3_secret_access_key; }},
      {"S3_BUCKET", [](const Config& c) { return c.s3_bucket; }},
      {"S3_REGION", [](const Config& c) { return c.s3_region; }},
      {"S3_FORCE_PATH_STYLE", [](const Config& c) { return yes_no(c.s3_force_path_style); }},
      {"MINIO_TLS_SKIP_VERIFY", [](const Config& c) { return yes_no(c.minio_tls_skip_verify); }},
      {"S3_BUCKET_QUOTA_BYTES", [](const Config& c) { return std::to_string(c.s3_bucket_quota_bytes); }},
      {"S3_MULTIPART_PART_BYTES", [](const Config& c) { return std::to_string(c.s3_multipart_part_bytes); }},
      {"S3_QUOTA_RELIST_SECONDS",
       [](const Config& c) { return parse::format_seconds(c.s3_quota_relist_interval); }},
      {"ALBUM_AGGREGATION_WINDOW_SECONDS",
       [](const Config& c) { return parse::format_seconds(c.album_aggregation_window); }},
      {"MAX_FILE_GB", [](const Config& c) { return parse::format_gibibytes(c.max_file_bytes); }},
      {"CONCURRENCY", [](const Config& c) { return std::to_string(c.concurrency); }},
      {"IO_TIMEOUT_SECONDS", [](const Config& c) { return parse::format_seconds(c.io_timeout); }},
      {"DEDUP_ENABLE", [](const Config& c) { return yes_no(c.dedup_enable); }},
      {"TELTUBBY_DATA_DIR", [](const Config& c) { return c.data_dir.string(); }},
      {"SQLITE_PATH", [](const Config& c) { return c.sqlite_path.string(); }},
      {"TELTUBBY_WORK_DIR", [](const Config& c) { return c.work_dir.string(); }},
      {"LOG_LEVEL", [](const Config& c) { return std::string(to_string(c.log_level)); }},
      {"LOG_FILE", [](const Config& c) { return c.log_file.string(); }},
      {"LOG_ROTATE_MAX_BYTES", [](const Config& c) { return std::to_string(c.log_rotate_max_bytes); }},
      {"LOG_ROTATE_BACKUP_COUNT", [](const Config& c) { return std::to_string(c.log_rotate_backup_count); }},
      {"HEALTH_PORT", [](const Config& c) { return std::to_string(c.health_port); }},
      {"BIND_HEALTH_LOCALHOST_ONLY", [](const Config& c) { return yes_no(c.bind_health_localhost_only); }},
      {"RABBITMQ_HOST", [](const Config& c) { return c.rabbitmq_host; }},
      {"RABBITMQ_PORT", [](const Config& c) { return std::to_string(c.rabbitmq_port); }},
      {"RABBITMQ_USERNAME", [](const Config& c) { return c.rabbitmq_username; }},
      {"RABBITMQ_PASSWORD", [](const Config& c) { return c.rabbitmq_password; }},
      {"RABBITMQ_VHOST", [](const Config& c) { return c.rabbitmq_vhost; }},
      {"JOB_QUEUE_NAME", [](const Config& c) { return c.job_queue_name; }},
      {"JOB_DEAD_LETTER_QUEUE", [](const Config& c) { return c.job_dead_letter_queue; }},
      {"JOB_PRIORITY_QUEUE", [](const Config& c) { return c.job_priority_queue; }},
      {"JOB_RETRY_QUEUE", [](const Config& c) { return c.job_retry_queue; }},
      {"JOB_EXCHANGE", [](const Config& c) { return c.job_exchange; }},
      {"JOB_DLX_EXCHANGE", [](const Config& c) { return c.job_dlx_exchange; }},
      {"JOB_EVENTS_EXCHANGE", [](const Config& c) { return c.job_events_exchange; }},
      {"JOB_BOT_EVENTS_QUEUE", [](const Config& c) { return c.job_bot_events_queue; }},
      {"JOB_WORKER_CONTROL_QUEUE", [](const Config& c) { return c.job_worker_control_queue; }},
      {"WORKER_CONCURRENCY", [](const Config& c) { return std::to_string(c.worker_concurrency); }},
      {"WORKER_MAX_RETRIES", [](const Config& c) { return std::to_string(c.worker_max_retries); }},
      {"WORKER_RETRY_DELAY_SECONDS",
       [](const Config& c) { return parse::format_seconds(c.worker_retry_delay); }},
      {"WORKER_HEALTH_CHECK_INTERVAL",
       [](const Config& c) { return parse::format_seconds(c.worker_health_check_interval); }},
      {"MTPROTO_API_ID",
       [](const Config& c) {
         return c.mtproto_api_id == 0 ? std::string() : std::to_string(c.mtproto_api_id);
       }},
      {"MTPROTO_API_HASH", [](const Config& c) { return c.mtproto_api_hash; }},
      {"MTPROTO_PHONE_NUMBER", [](const Config& c) { return c.mtproto_phone_number; }},
      {"MTPROTO_SESSION_PATH", [](const Config& c) { return c.mtproto_session_path.string(); }},
      {"MTPROTO_DATABASE_KEY", [](const Config& c) { return c.mtproto_database_key; }},
      {"TDJSON_PATH", [](const Config& c) { return c.tdjson_path.string(); }},
  };
  return table;
}

std::string roles_text(unsigned required_for) {
  std::string text;
  for (const auto role : {ConfigRole::bot, ConfigRole::worker}) {
    if ((required_for & role_bit(role)) != 0)
      text += (text.empty() ? "" : ", ") + std::string(to_string(role));
  }
  return text;
}

std::string markdown_cell(std::string_view text) {
  std::string cell;
  for (const char c : text) cell += c == '|' ? std::string("\\|") : std::string(1, c);
  return cell;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> describe_config(const Config& config) {
  std::vector<std::pair<std::string, std::string>> rows;
  for (const auto& variable : config_variables()) {
    const auto found = formatters().find(variable.name);
    if (found == formatters().end()) {
      throw std::logic_error("no formatter for configuration variable " + std::string(variable.name));
    }
    rows.emplace_back(std::string(variable.name), mask_value(found->second(config), variable.secrecy));
  }
  return rows;
}

std::string format_config(const Config& config) {
  std::ostringstream out;
  std::string_view group;
  const auto rows = describe_config(config);
  const auto variables = config_variables();
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (variables[i].group != group) {
      group = variables[i].group;
      out << (i == 0 ? "" : "\n") << "# " << group << '\n';
    }
    out << rows[i].first << '=' << rows[i].second << '\n';
  }
  return out.str();
}

std::string config_reference_markdown() {
  std::ostringstream out;
  out << "| Variable | Default | Required for | Description |\n| --- | --- | --- | --- |\n";
  for (const auto& variable : config_variables()) {
    const auto default_text = variable.default_text.empty() ? std::string("(none)")
                                                            : "`" + std::string(variable.default_text) + "`";
    std::string description = markdown_cell(variable.description);
    if (variable.secrecy == Secrecy::secret || variable.secrecy == Secrecy::bot_token) {
      description += ". **Secret**: masked when shown, redacted from logs";
    } else if (variable.secrecy == Secrecy::partial) {
      description += ". Partly masked when shown";
    }
    out << "| `" << variable.name << "` | " << default_text << " | " << roles_text(variable.required_for)
        << " | " << description << " |\n";
  }
  return out.str();
}

}  // namespace teltubby
