#include "core/config_table.hpp"

#include <array>

namespace teltubby {
namespace {

using S = Secrecy;

// Order is the order of `teltubby config` output and of the README table.
constexpr std::array kVariables{
    // Telegram
    ConfigVariable{"TELEGRAM_BOT_TOKEN", "Telegram", "",
                   "Bot API token from @BotFather: `<bot id digits>:<35 characters>`", S::bot_token, kForBot},
    ConfigVariable{"TELEGRAM_WHITELIST_IDS", "Telegram", "",
                   "Comma-separated Telegram user ids of the curators; everyone else gets no reply", S::none,
                   kForBot},
    ConfigVariable{"TELEGRAM_MODE", "Telegram", "polling", "How updates arrive: `polling` or `webhook`"},
    ConfigVariable{"WEBHOOK_URL", "Telegram", "",
                   "Public https URL Telegram posts updates to (required in webhook mode; http:// only "
                   "with a local Bot API server)"},
    ConfigVariable{"WEBHOOK_SECRET", "Telegram", "",
                   "Secret token Telegram echoes in `X-Telegram-Bot-Api-Secret-Token`: 1-256 of "
                   "`A-Z a-z 0-9 _ -` (required in webhook mode)",
                   S::secret},
    ConfigVariable{"WEBHOOK_LISTEN", "Telegram", "0.0.0.0:8080",
                   "`host:port` the webhook server listens on (`[::1]:8080` for IPv6)"},
    ConfigVariable{"TELEGRAM_API_BASE_URL", "Telegram", "https://api.telegram.org",
                   "Bot API server: the official one, a local Bot API server, or the fake world"},
    ConfigVariable{"TELEGRAM_LOCAL_MODE", "Telegram", "false",
                   "The Bot API server is a local one (`--local`): files up to 2000 MB come as local "
                   "paths; needs TELEGRAM_API_BASE_URL; BOT_API_MAX_FILE_BYTES then defaults to 2000 MB"},
    ConfigVariable{"BOT_API_MAX_FILE_BYTES", "Telegram", "20971520",
                   "Largest file (bytes) the bot downloads itself; larger files become worker jobs "
                   "(2097152000 = 2000 MB by default in local mode)"},
    // S3
    ConfigVariable{"S3_ENDPOINT", "S3", "", "S3-compatible endpoint, `http(s)://host[:port]`", S::none,
                   kForBot | kForWorker},
    ConfigVariable{"S3_ACCESS_KEY_ID", "S3", "", "S3 access key id", S::partial, kForBot | kForWorker},
    ConfigVariable{"S3_SECRET_ACCESS_KEY", "S3", "", "S3 secret access key", S::secret, kForBot | kForWorker},
    ConfigVariable{"S3_BUCKET", "S3", "",
                   "Bucket the archive is written to (the bot creates it at start when missing)", S::none,
                   kForBot | kForWorker},
    ConfigVariable{"S3_REGION", "S3", "us-east-1", "Region used for request signing"},
    ConfigVariable{"S3_FORCE_PATH_STYLE", "S3", "true",
                   "Path-style URLs (`endpoint/bucket/key`, MinIO) instead of virtual-host style"},
    ConfigVariable{"MINIO_TLS_SKIP_VERIFY", "S3", "false",
                   "Do not verify the endpoint's TLS certificate (self-signed MinIO only)"},
    ConfigVariable{
        "S3_BUCKET_QUOTA_BYTES", "S3", "0",
        "Bucket size limit in bytes for the used-ratio metric and the pause at 100%; 0 = no quota"},
    ConfigVariable{"S3_MULTIPART_PART_BYTES", "S3", "8388608",
                   "Multipart upload part size in bytes, 5242880 (5 MiB) to 5368709120 (5 GiB)"},
    ConfigVariable{"S3_QUOTA_RELIST_SECONDS", "S3", "3600",
                   "How often the bucket is listed again to correct the quota estimate (seconds)"},
    // Ingestion
    ConfigVariable{"ALBUM_AGGREGATION_WINDOW_SECONDS", "Ingestion", "2",
                   "How long to wait for more messages of an album (seconds, decimals allowed)"},
    ConfigVariable{"MAX_FILE_GB", "Ingestion", "4",
                   "Largest file archived at all, in GiB (decimals allowed); larger ones are skipped"},
    ConfigVariable{"CONCURRENCY", "Ingestion", "8", "Parallel downloads/uploads in the bot, 1-32"},
    ConfigVariable{"IO_TIMEOUT_SECONDS", "Ingestion", "60",
                   "Timeout of one network operation without progress (seconds)"},
    ConfigVariable{"DEDUP_ENABLE", "Ingestion", "true",
                   "Store each distinct file once (by Telegram unique id and SHA-256)"},
    // Paths
    ConfigVariable{"TELTUBBY_DATA_DIR", "Paths", "data",
                   "Directory for local state; the path defaults below live under it"},
    ConfigVariable{"SQLITE_PATH", "Paths", "${TELTUBBY_DATA_DIR}/teltubby.db",
                   "SQLite database shared by bot and worker"},
    ConfigVariable{"TELTUBBY_WORK_DIR", "Paths", "${TELTUBBY_DATA_DIR}/work",
                   "Scratch directory for downloads in progress"},
    // Logging and health
    ConfigVariable{"LOG_LEVEL", "Logging and health", "info", "`debug`, `info`, `warn` or `error`"},
    ConfigVariable{"LOG_FILE", "Logging and health", "",
                   "JSON-lines log file besides stdout; empty = stdout only"},
    ConfigVariable{"LOG_ROTATE_MAX_BYTES", "Logging and health", "5242880",
                   "Rotate the log file before it would exceed this many bytes (at least 1024)"},
    ConfigVariable{"LOG_ROTATE_BACKUP_COUNT", "Logging and health", "10",
                   "Rotated files kept (`file.1` newest .. `file.N`); 0 = truncate instead"},
    ConfigVariable{"HEALTH_PORT", "Logging and health", "8081", "Port of `/healthz` and `/metrics`"},
    ConfigVariable{"BIND_HEALTH_LOCALHOST_ONLY", "Logging and health", "true",
                   "Bind the health port to 127.0.0.1 only; false = all interfaces"},
    // RabbitMQ and jobs
    ConfigVariable{"RABBITMQ_HOST", "RabbitMQ and jobs", "localhost", "RabbitMQ host"},
    ConfigVariable{"RABBITMQ_PORT", "RabbitMQ and jobs", "5672", "RabbitMQ AMQP port"},
    ConfigVariable{"RABBITMQ_USERNAME", "RabbitMQ and jobs", "guest", "RabbitMQ user"},
    ConfigVariable{"RABBITMQ_PASSWORD", "RabbitMQ and jobs", "guest", "RabbitMQ password", S::secret},
    ConfigVariable{"RABBITMQ_VHOST", "RabbitMQ and jobs", "/", "RabbitMQ virtual host"},
    ConfigVariable{"JOB_QUEUE_NAME", "RabbitMQ and jobs", "teltubby.large_files", "Queue of large-file jobs"},
    ConfigVariable{"JOB_DEAD_LETTER_QUEUE", "RabbitMQ and jobs", "teltubby.failed_jobs",
                   "Queue of jobs that failed for good"},
    ConfigVariable{"JOB_PRIORITY_QUEUE", "RabbitMQ and jobs", "teltubby.priority_jobs",
                   "Queue of high-priority jobs"},
    ConfigVariable{"JOB_RETRY_QUEUE", "RabbitMQ and jobs", "teltubby.retry_jobs",
                   "Queue where jobs wait before a retry"},
    ConfigVariable{"JOB_EXCHANGE", "RabbitMQ and jobs", "teltubby.jobs", "Exchange jobs are published to"},
    ConfigVariable{"JOB_DLX_EXCHANGE", "RabbitMQ and jobs", "teltubby.dlx", "Dead-letter exchange"},
    // Not in the spec's list: lets two deployments (or test runs) share one broker.
    ConfigVariable{"JOB_EVENTS_EXCHANGE", "RabbitMQ and jobs", "teltubby.events", "Worker -> bot events exchange (topic)"},
    ConfigVariable{"JOB_BOT_EVENTS_QUEUE", "RabbitMQ and jobs", "teltubby.bot_events",
                   "The bot's durable queue of worker events"},
    ConfigVariable{"JOB_WORKER_CONTROL_QUEUE", "RabbitMQ and jobs", "teltubby.worker_control",
                   "Bot -> worker control queue (login input, cancel)"},
    // Worker
    ConfigVariable{"WORKER_CONCURRENCY", "Worker", "1", "Jobs one worker runs at once, 1-32"},
    ConfigVariable{"WORKER_MAX_RETRIES", "Worker", "3", "Retries of a failed job before it is dead-lettered"},
    ConfigVariable{"WORKER_RETRY_DELAY_SECONDS", "Worker", "60", "Wait before a job is retried (seconds)"},
    ConfigVariable{"WORKER_HEALTH_CHECK_INTERVAL", "Worker", "30",
                   "How often the worker checks its dependencies (seconds)"},
    // MTProto
    ConfigVariable{"MTPROTO_API_ID", "MTProto", "", "Telegram app api_id from my.telegram.org", S::none,
                   kForWorker},
    ConfigVariable{"MTPROTO_API_HASH", "MTProto", "", "Telegram app api_hash (32 hex digits)", S::secret,
                   kForWorker},
    ConfigVariable{
        "MTPROTO_PHONE_NUMBER", "MTProto", "",
        "Phone number of the worker's account, `+` and digits (asked by `teltubby login` if unset)",
        S::partial},
    ConfigVariable{"MTPROTO_SESSION_PATH", "MTProto", "${TELTUBBY_DATA_DIR}/mtproto",
                   "TDLib database directory (the logged-in session)"},
    ConfigVariable{"MTPROTO_DATABASE_KEY", "MTProto", "", "Optional TDLib database encryption key",
                   S::secret},
    ConfigVariable{"TDJSON_PATH", "MTProto", "node_modules/@prebuilt-tdlib/linux-x64-glibc/libtdjson.so",
                   "libtdjson to load; the default is where `scripts/setup` installs it, relative to the "
                   "working directory (the checkout)"},
};

}  // namespace

std::string_view to_string(ConfigRole role) {
  switch (role) {
    case ConfigRole::any:
      return "any";
    case ConfigRole::bot:
      return "bot";
    case ConfigRole::worker:
      return "worker";
  }
  return "any";
}

std::span<const ConfigVariable> config_variables() {
  return kVariables;
}

const ConfigVariable* find_config_variable(std::string_view name) {
  for (const auto& variable : kVariables) {
    if (variable.name == name) return &variable;
  }
  return nullptr;
}

std::string mask_value(std::string_view value, Secrecy secrecy) {
  if (value.empty()) return "";
  switch (secrecy) {
    case Secrecy::none:
      return std::string(value);
    case Secrecy::partial:
      // Short values would be given away almost whole by a 4-character prefix.
      return value.size() >= 8 ? std::string(value.substr(0, 4)) + "***" : "***";
    case Secrecy::bot_token: {
      const auto colon = value.find(':');
      const auto bot_id = value.substr(0, colon);
      const bool bot_id_is_digits = colon != std::string_view::npos && colon > 0 &&
                                    bot_id.find_first_not_of("0123456789") == std::string_view::npos;
      if (bot_id_is_digits) return std::string(bot_id) + ":***";
      break;  // not token-shaped: mask like any other secret
    }
    case Secrecy::secret:
      break;
  }
  return value.size() >= 16 ? std::string(value.substr(0, 2)) + "***" : "***";
}

}  // namespace teltubby
