#include "app/settings_from_config.hpp"

#include <chrono>

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

}  // namespace teltubby::app
