#include "app/settings_from_config.hpp"

#include <chrono>

#include "app/build_info.hpp"

namespace teltubby::app {

storage::S3Settings s3_settings_from(const Config& config) {
  storage::S3Settings settings;
  settings.endpoint = config.s3_endpoint;
  settings.access_key = config.s3_access_key_id;
  settings.secret_key = config.s3_secret_access_key;
  settings.bucket = config.s3_bucket;
  settings.region = config.s3_region;
  settings.force_path_style = config.s3_force_path_style;
  settings.tls_skip_verify = config.minio_tls_skip_verify;
  if (config.s3_multipart_part_bytes > 0) settings.part_size_bytes = config.s3_multipart_part_bytes;
  settings.io_timeout = std::chrono::duration_cast<std::chrono::seconds>(config.io_timeout);
  return settings;
}

queue::QueueSettings queue_settings_from(const Config& config) {
  queue::QueueSettings s;
  s.host = config.rabbitmq_host;
  s.port = config.rabbitmq_port;
  s.username = config.rabbitmq_username;
  s.password = config.rabbitmq_password;
  s.vhost = config.rabbitmq_vhost;
  s.job_exchange = queue::ExchangeName{config.job_exchange};
  s.job_queue = queue::QueueName{config.job_queue_name};
  s.priority_queue = queue::QueueName{config.job_priority_queue};
  s.retry_queue_prefix = config.job_retry_queue;
  s.dlx_exchange = queue::ExchangeName{config.job_dlx_exchange};
  s.dead_letter_queue = queue::QueueName{config.job_dead_letter_queue};
  s.events_exchange = queue::ExchangeName{config.job_events_exchange};
  s.bot_events_queue = queue::QueueName{config.job_bot_events_queue};
  s.worker_control_queue = queue::QueueName{config.job_worker_control_queue};
  s.prefetch = static_cast<std::uint16_t>(config.worker_concurrency);
  s.retry_base_delay = config.worker_retry_delay;
  s.max_retries = static_cast<int>(config.worker_max_retries);
  return s;
}

mtproto::AccountSettings account_settings_from(const Config& config, std::chrono::milliseconds request_timeout) {
  return {.session_directory = config.mtproto_session_path,
          .files_directory = config.work_dir / "tdlib-files",
          .database_key = config.mtproto_database_key,
          .api_id = config.mtproto_api_id,
          .api_hash = config.mtproto_api_hash,
          .application_version = std::string(build_info::version),
          .request_timeout = request_timeout};
}

}  // namespace teltubby::app
