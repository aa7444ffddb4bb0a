#include "storage/bucket_usage.hpp"

#include "core/log.hpp"

namespace teltubby::storage {

std::optional<double> ratio_of(std::uint64_t used_bytes, std::uint64_t quota_bytes) {
  if (quota_bytes == 0) return std::nullopt;
  return static_cast<double>(used_bytes) / static_cast<double>(quota_bytes);
}

BucketUsage::BucketUsage(S3Client& client, std::uint64_t quota_bytes, std::chrono::seconds relist_interval,
                         Clock clock)
    : client_(client), quota_bytes_(quota_bytes), relist_interval_(relist_interval), clock_(std::move(clock)) {}

Status BucketUsage::refresh() {
  {
    std::lock_guard lock(mutex_);
    listing_ = true;
    delta_during_listing_ = 0;
  }
  std::uint64_t total = 0;
  auto listed = client_.list_objects("", [&](const ObjectInfo& object) -> Status {
    total += object.size;
    return {};
  });
  std::lock_guard lock(mutex_);
  listing_ = false;
  if (!listed) return listed;
  const std::int64_t adjusted = static_cast<std::int64_t>(total) + delta_during_listing_;
  used_bytes_ = adjusted < 0 ? 0 : static_cast<std::uint64_t>(adjusted);
  listed_at_ = clock_();
  Logger{"quota"}.info("bucket usage listed", {{"used_bytes", used_bytes_}, {"quota_bytes", quota_bytes_}});
  return {};
}

Status BucketUsage::refresh_if_due() {
  {
    std::lock_guard lock(mutex_);
    if (listed_at_ && clock_() - *listed_at_ < relist_interval_) return {};
  }
  return refresh();
}

void BucketUsage::record_upload(std::uint64_t bytes) {
  std::lock_guard lock(mutex_);
  used_bytes_ += bytes;
  if (listing_) delta_during_listing_ += static_cast<std::int64_t>(bytes);
}

void BucketUsage::record_delete(std::uint64_t bytes) {
  std::lock_guard lock(mutex_);
  used_bytes_ = bytes > used_bytes_ ? 0 : used_bytes_ - bytes;
  if (listing_) delta_during_listing_ -= static_cast<std::int64_t>(bytes);
}

std::uint64_t BucketUsage::used_bytes() const {
  std::lock_guard lock(mutex_);
  return used_bytes_;
}

std::optional<double> BucketUsage::ratio() const { return ratio_of(used_bytes(), quota_bytes_); }

bool BucketUsage::exhausted() const { return quota_bytes_ > 0 && used_bytes() >= quota_bytes_; }

bool BucketUsage::listed() const {
  std::lock_guard lock(mutex_);
  return listed_at_.has_value();
}

}  // namespace teltubby::storage
