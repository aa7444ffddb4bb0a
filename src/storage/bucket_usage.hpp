#pragma once
// Bucket quota accounting (DESIGN.md section 3): used bytes = sum of object sizes,
// computed by one paginated listing, then kept current from our own writes, and re-listed
// every `relist_interval` to pick up what others wrote or deleted.
//
// Publish ratio() as the `teltubby_minio_bucket_used_ratio` gauge (the metrics module
// reads it; this class has no metrics dependency). Thread-safe.
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>

#include "core/error.hpp"
#include "storage/s3_client.hpp"

namespace teltubby::storage {

class BucketUsage {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // `quota_bytes` 0 means no quota (ratio() is then empty). `clock` is for tests.
  BucketUsage(S3Client& client, std::uint64_t quota_bytes, std::chrono::seconds relist_interval,
              Clock clock = [] { return std::chrono::steady_clock::now(); });

  // Lists the whole bucket now and replaces the running total.
  Status refresh();
  // Refreshes when never listed or when the interval has passed since the last listing.
  Status refresh_if_due();

  // Our own writes, applied between listings. A delete never drives the total below 0.
  void record_upload(std::uint64_t bytes);
  void record_delete(std::uint64_t bytes);

  [[nodiscard]] std::uint64_t used_bytes() const;
  [[nodiscard]] std::uint64_t quota_bytes() const { return quota_bytes_; }
  // used / quota (may exceed 1.0); nullopt when there is no quota.
  [[nodiscard]] std::optional<double> ratio() const;
  // True when a quota is set and used bytes have reached it (ingestion pauses).
  [[nodiscard]] bool exhausted() const;
  [[nodiscard]] bool listed() const;

 private:
  S3Client& client_;
  std::uint64_t quota_bytes_;
  std::chrono::seconds relist_interval_;
  Clock clock_;
  mutable std::mutex mutex_;
  std::uint64_t used_bytes_ = 0;
  std::optional<std::chrono::steady_clock::time_point> listed_at_;
  // Writes recorded while a listing runs are re-applied on top of its result, since the
  // listing may or may not have seen them; listings are rare, so over-counting one write
  // until the next listing is the accepted error.
  std::int64_t delta_during_listing_ = 0;
  bool listing_ = false;
};

// ratio_of(used, quota): used / quota, nullopt when quota is 0. Pure, for tests and gauges.
std::optional<double> ratio_of(std::uint64_t used_bytes, std::uint64_t quota_bytes);

}  // namespace teltubby::storage
