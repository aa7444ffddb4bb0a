#pragma once
// S3 client for MinIO / AWS S3 / any S3-compatible store: SigV4-signed requests over the
// general http client, with retries (exponential backoff + jitter, bounded attempts) for
// retryable failures. Thread-safe: requests may run concurrently (each borrows an HTTP
// connection from a small pool).
//
// Payload hashing: every request carries the real SHA-256 of its body in
// x-amz-content-sha256 (never UNSIGNED-PAYLOAD), because every body we send is in memory
// when it is sent — small objects and single parts are buffered before upload anyway.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "http/http_client.hpp"
#include "storage/byte_source.hpp"
#include "storage/s3_settings.hpp"
#include "storage/sigv4.hpp"

namespace teltubby::storage {

struct ObjectInfo {
  std::string key;
  std::uint64_t size = 0;
  std::string etag;
  std::string last_modified;
};

struct ObjectHead {
  std::uint64_t size = 0;
  std::string etag;
  std::string content_type;
};

struct ListPage {
  std::vector<ObjectInfo> objects;
  std::optional<std::string> next_continuation_token;  // empty when this was the last page
};

struct MultipartUploadInfo {
  std::string key;
  std::string upload_id;
};

struct CompletedPart {
  std::uint32_t number = 0;
  std::string etag;
};

struct UploadResult {
  std::string key;
  std::uint64_t size = 0;
  std::string sha256_hex;  // of the whole content, computed while streaming
  std::string etag;
  bool multipart = false;
};

class S3Client {
 public:
  // Throws FatalError when the settings are invalid (start-up configuration).
  explicit S3Client(S3Settings settings);
  ~S3Client();
  S3Client(const S3Client&) = delete;
  S3Client& operator=(const S3Client&) = delete;

  [[nodiscard]] const S3Settings& settings() const { return settings_; }

  // Bucket
  Status head_bucket();
  Status create_bucket();
  // HeadBucket, and CreateBucket when it does not exist (call once on start).
  Status ensure_bucket();

  // Objects
  Result<std::string> put_object(std::string_view key, std::span<const std::byte> content,
                                 std::string_view content_type);
  Result<std::string> put_object(std::string_view key, std::string_view content, std::string_view content_type);
  // Streams the object body to `sink` (not retried once bytes have reached the sink).
  Result<ObjectHead> get_object(std::string_view key, const http::BodySink& sink);
  Result<ObjectHead> head_object(std::string_view key);
  // Deleting a key that does not exist succeeds (S3 semantics).
  Status delete_object(std::string_view key);
  Status copy_object(std::string_view source_key, std::string_view destination_key);
  // One page of ListObjectsV2; `max_keys` 0 means the server's default (1000).
  Result<ListPage> list_objects_page(std::string_view prefix, std::optional<std::string> continuation_token,
                                     unsigned max_keys = 0);
  // Every object under `prefix`, page by page; stops at the first error `visit` returns.
  Status list_objects(std::string_view prefix, const std::function<Status(const ObjectInfo&)>& visit);

  // Multipart
  Result<std::string> create_multipart_upload(std::string_view key, std::string_view content_type);
  Result<std::string> upload_part(std::string_view key, std::string_view upload_id, std::uint32_t part_number,
                                  std::span<const std::byte> data);
  Result<std::string> complete_multipart_upload(std::string_view key, std::string_view upload_id,
                                                const std::vector<CompletedPart>& parts);
  Status abort_multipart_upload(std::string_view key, std::string_view upload_id);
  Result<std::vector<MultipartUploadInfo>> list_multipart_uploads(std::string_view prefix = {});

  // Streams `source` to `key` with memory bounded by (parallel_parts + 1) × part size:
  // one PUT below the threshold, a multipart upload above it (parts in parallel, each
  // retried on its own). Any failure, exception or cancellation aborts the multipart
  // upload; when even the abort fails (server down) it is remembered and retried by
  // retry_pending_aborts(). `expected_size`, when given, must match what the source yields.
  Result<UploadResult> upload_stream(std::string_view key, ByteSource& source, std::string_view content_type,
                                     std::optional<std::uint64_t> expected_size = std::nullopt);

  // Aborts multipart uploads whose abort failed earlier; returns the first error and keeps
  // the ones that still fail. Call it periodically (e.g. with the quota re-listing).
  Status retry_pending_aborts();
  [[nodiscard]] std::size_t pending_abort_count() const;
  // Used by upload_stream's guard: abort now, remember for later if that fails.
  void abort_or_remember(const std::string& key, const std::string& upload_id) noexcept;

 private:
  struct Call {
    std::string method;
    std::string_view key;  // empty: a bucket-level request
    sigv4::Pairs query;
    http::Headers headers;
    std::span<const std::byte> body;
    http::BodySink sink;
    std::string context;  // "PUT key" for error texts
    // Seconds without progress before the request fails; 0 means the settings' io_timeout.
    std::chrono::seconds idle_timeout{0};
  };
  Result<http::Response> send(const Call& call);
  Result<http::Response> send_once(const Call& call, const std::string& payload_sha256);
  std::unique_ptr<http::HttpClient> borrow_connection();
  void return_connection(std::unique_ptr<http::HttpClient> connection);
  std::chrono::milliseconds backoff_delay(unsigned attempt);

  S3Settings settings_;
  Endpoint endpoint_;
  mutable std::mutex mutex_;  // guards the two members below
  std::vector<std::unique_ptr<http::HttpClient>> idle_connections_;
  std::vector<MultipartUploadInfo> pending_aborts_;
};

// The periodic storage health check of bot and worker: HeadBucket, and while storage
// answers, the aborts of multipart uploads that failed during an outage are retried,
// so no orphaned parts keep using space.
Status probe_and_tidy(S3Client& client);

}  // namespace teltubby::storage
