#pragma once
// Everything the S3 client needs, independent of how the application reads its
// configuration (the app maps S3_* / MINIO_* / IO_TIMEOUT_SECONDS onto this).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include "core/error.hpp"

namespace teltubby::storage {

inline constexpr std::uint64_t mebibyte = 1024 * 1024;
// S3 refuses parts smaller than this (except the last one).
inline constexpr std::uint64_t min_part_size_bytes = 5 * mebibyte;
// S3 refuses part numbers above this.
inline constexpr std::uint32_t max_part_count = 10000;

struct S3Settings {
  std::string endpoint;  // "https://minio.example:9000" (scheme, host, optional port; no path)
  std::string access_key;
  std::string secret_key;
  std::string bucket;
  std::string region = "us-east-1";
  bool force_path_style = true;   // MinIO: http://host/bucket/key; false: http://bucket.host/key
  bool tls_skip_verify = false;   // MINIO_TLS_SKIP_VERIFY; only for self-signed test set-ups
  // 8 MiB (with 2 in flight) uploads as fast as 16 MiB against s3rver and as `aws s3
  // cp`'s own 8 MiB parts, and keeps the part buffers at 24 MiB: 16 MiB parts put the
  // worker at 65 MiB peak RSS, over its 64 MiB budget (docs/BENCHMARKS.md). 8 MiB ×
  // 10000 parts still allows objects of 78 GiB.
  std::uint64_t part_size_bytes = 8 * mebibyte;
  // Parts in flight at once; memory ≈ (parallel_parts + 1) × part size.
  unsigned parallel_parts = 2;
  // Objects smaller than this go in one PUT; capped at part_size_bytes (the PUT body is
  // one part buffer). 0 means "same as part_size_bytes".
  std::uint64_t multipart_threshold_bytes = 0;
  std::chrono::seconds io_timeout{60};  // per request: no progress for this long fails it
  unsigned max_attempts = 4;            // per request, first try included
  std::chrono::milliseconds retry_base_delay{250};  // backoff: base × 2^(attempt-1), ± jitter
  std::chrono::milliseconds retry_max_delay{8000};
};

struct Endpoint {
  std::string scheme;  // "http" or "https"
  std::string host;    // host name or IP (IPv6 without brackets)
  std::optional<std::uint16_t> port;
};

// Parses "scheme://host[:port][/]"; anything else is invalid_input naming the problem.
Result<Endpoint> parse_endpoint(std::string_view endpoint);

// Checks every field; the error message lists all problems (secrets never shown).
Status validate(const S3Settings& settings);

// The effective single-PUT threshold (see multipart_threshold_bytes).
std::uint64_t effective_threshold(const S3Settings& settings);

}  // namespace teltubby::storage
