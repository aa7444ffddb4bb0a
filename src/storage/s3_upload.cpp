// S3Client::upload_stream: streaming upload with bounded memory.
//
// The calling thread reads the source into part-sized buffers and hashes the content;
// `parallel_parts` worker threads upload full buffers and hand them back. A fixed pool
// of parallel_parts + 1 buffers bounds memory whatever the object size; reading waits
// while every buffer is in flight.
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>

#include "core/log.hpp"
#include "storage/crypto.hpp"
#include "storage/s3_client.hpp"

namespace teltubby::storage {

namespace {

const Logger& logger() {
  static const Logger log{"s3"};
  return log;
}

struct PartBuffer {
  std::unique_ptr<std::byte[]> bytes;
  std::size_t length = 0;
  std::uint32_t part_number = 0;
};

// Fills `buffer` from `source` until it is full or the source ends.
Result<std::size_t> fill(ByteSource& source, std::span<std::byte> buffer) {
  std::size_t filled = 0;
  while (filled < buffer.size()) {
    auto n = source.read(buffer.subspan(filled));
    if (!n) return std::unexpected(n.error());
    if (*n == 0) break;
    filled += *n;
  }
  return filled;
}

// Aborts the multipart upload unless complete() was reached: covers errors, exceptions
// from the source and cancellation alike.
class AbortGuard {
 public:
  AbortGuard(S3Client& client, std::string key, std::string upload_id)
      : client_(client), key_(std::move(key)), upload_id_(std::move(upload_id)) {}
  AbortGuard(const AbortGuard&) = delete;
  AbortGuard& operator=(const AbortGuard&) = delete;
  ~AbortGuard() {
    if (!completed_) client_.abort_or_remember(key_, upload_id_);
  }
  void completed() { completed_ = true; }

 private:
  S3Client& client_;
  std::string key_;
  std::string upload_id_;
  bool completed_ = false;
};

// The uploading side: a queue of filled buffers, worker threads, the free-buffer pool.
class PartUploader {
 public:
  PartUploader(S3Client& client, std::string key, std::string upload_id, std::vector<PartBuffer> pool,
               unsigned workers)
      : client_(client), key_(std::move(key)), upload_id_(std::move(upload_id)), free_(std::move(pool)) {
    for (unsigned i = 0; i < workers; ++i) threads_.emplace_back([this] { work(); });
  }
  PartUploader(const PartUploader&) = delete;
  PartUploader& operator=(const PartUploader&) = delete;
  // Joins the workers (queued parts are dropped when stopping early).
  ~PartUploader() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    for (auto& thread : threads_) thread.join();
  }

  // A free buffer, waiting while all are in flight; nullopt once a part has failed.
  std::optional<PartBuffer> take_free_buffer() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return !free_.empty() || failure_; });
    if (failure_) return std::nullopt;
    PartBuffer buffer = std::move(free_.back());
    free_.pop_back();
    return buffer;
  }

  void submit(PartBuffer buffer) {
    {
      std::lock_guard lock(mutex_);
      queue_.push_back(std::move(buffer));
      ++outstanding_;
    }
    changed_.notify_all();
  }

  // Waits for every submitted part; returns the parts in order, or the first failure.
  Result<std::vector<CompletedPart>> finish() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return outstanding_ == 0 || failure_; });
    if (failure_) return std::unexpected(*failure_);
    std::sort(done_.begin(), done_.end(), [](const auto& a, const auto& b) { return a.number < b.number; });
    return done_;
  }

  std::optional<Error> failure() {
    std::lock_guard lock(mutex_);
    return failure_;
  }

 private:
  void work() {
    for (;;) {
      PartBuffer buffer;
      {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [&] { return stopping_ || failure_ || !queue_.empty(); });
        if (stopping_ || failure_) return;
        buffer = std::move(queue_.front());
        queue_.pop_front();
      }
      Result<std::string> etag = std::unexpected(Error{});
      try {
        etag = client_.upload_part(key_, upload_id_, buffer.part_number,
                                   std::span<const std::byte>(buffer.bytes.get(), buffer.length));
      } catch (const std::exception& exception) {
        etag = fail(ErrorKind::permanent, "s3.upload_part", exception.what());
      }
      {
        std::lock_guard lock(mutex_);
        if (etag) {
          done_.push_back({buffer.part_number, *etag});
        } else if (!failure_) {
          failure_ = etag.error();
        }
        --outstanding_;
        buffer.length = 0;
        free_.push_back(std::move(buffer));
      }
      changed_.notify_all();
    }
  }

  S3Client& client_;
  std::string key_;
  std::string upload_id_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<PartBuffer> free_;
  std::deque<PartBuffer> queue_;
  std::vector<CompletedPart> done_;
  std::size_t outstanding_ = 0;
  std::optional<Error> failure_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;  // last: started after the state above exists
};

PartBuffer allocate_buffer(std::uint64_t size) {
  // For overwrite: pages are touched (and count towards RSS) only as they are filled.
  return PartBuffer{std::make_unique_for_overwrite<std::byte[]>(size), 0, 0};
}

Error size_mismatch(std::uint64_t expected, std::uint64_t actual) {
  return Error{ErrorKind::invalid_input, "storage.size_mismatch",
               "source yielded " + std::to_string(actual) + " bytes, expected " + std::to_string(expected), {}};
}

}  // namespace

Result<UploadResult> S3Client::upload_stream(std::string_view key, ByteSource& source, std::string_view content_type,
                                             std::optional<std::uint64_t> expected_size) {
  const std::uint64_t part_size = settings_.part_size_bytes;
  if (expected_size && *expected_size > part_size * max_part_count) {
    return fail(ErrorKind::invalid_input, "storage.too_large",
                "object of " + std::to_string(*expected_size) + " bytes needs more than 10000 parts of " +
                    std::to_string(part_size) + " bytes");
  }
  UploadResult result{std::string(key), 0, "", "", false};
  Sha256 whole;

  // The first buffer decides between one PUT and a multipart upload.
  PartBuffer first = allocate_buffer(part_size);
  auto filled = fill(source, std::span(first.bytes.get(), part_size));
  if (!filled) return std::unexpected(filled.error());
  first.length = *filled;
  whole.update(std::span<const std::byte>(first.bytes.get(), first.length));
  result.size = first.length;

  const bool source_ended = first.length < part_size;
  if (source_ended && first.length < effective_threshold(settings_)) {
    if (expected_size && *expected_size != result.size) return std::unexpected(size_mismatch(*expected_size, result.size));
    auto etag = put_object(key, std::span<const std::byte>(first.bytes.get(), first.length), content_type);
    if (!etag) return std::unexpected(etag.error());
    result.etag = *etag;
    result.sha256_hex = to_hex(whole.finish());
    return result;
  }

  auto upload_id = create_multipart_upload(key, content_type);
  if (!upload_id) return std::unexpected(upload_id.error());
  result.multipart = true;
  AbortGuard guard(*this, std::string(key), *upload_id);  // declared before the workers: aborts after they stop

  std::vector<PartBuffer> pool;
  for (unsigned i = 0; i < settings_.parallel_parts; ++i) pool.push_back(allocate_buffer(part_size));
  PartUploader uploader(*this, std::string(key), *upload_id, std::move(pool), settings_.parallel_parts);

  std::uint32_t part_number = 1;
  first.part_number = part_number;
  uploader.submit(std::move(first));
  bool at_end = source_ended;
  while (!at_end) {
    auto buffer = uploader.take_free_buffer();
    if (!buffer) break;  // a part failed; finish() reports it
    auto n = fill(source, std::span(buffer->bytes.get(), part_size));
    if (!n) return std::unexpected(n.error());  // the guard aborts
    at_end = *n < part_size;
    if (*n == 0) break;
    if (part_number == max_part_count) {
      return fail(ErrorKind::invalid_input, "storage.too_large",
                  "object needs more than 10000 parts of " + std::to_string(part_size) + " bytes");
    }
    buffer->length = *n;
    buffer->part_number = ++part_number;
    whole.update(std::span<const std::byte>(buffer->bytes.get(), buffer->length));
    result.size += *n;
    uploader.submit(std::move(*buffer));
  }

  auto parts = uploader.finish();
  if (!parts) return std::unexpected(parts.error());
  if (expected_size && *expected_size != result.size) return std::unexpected(size_mismatch(*expected_size, result.size));
  auto etag = complete_multipart_upload(key, *upload_id, *parts);
  if (!etag) {
    // A complete that timed out may still have finished on the server, and its retry
    // then fails (the upload is gone). The object being there whole is what counts.
    auto head = head_object(key);
    if (!head || head->size != result.size) return std::unexpected(etag.error());
    logger().info("multipart complete failed but the object is there whole",
                  {{"key", std::string(key)}, {"error", etag.error().code}});
    etag = head->etag;
  }
  guard.completed();
  result.etag = *etag;
  result.sha256_hex = to_hex(whole.finish());
  return result;
}

Status probe_and_tidy(S3Client& client) {
  auto reachable = client.head_bucket();
  if (reachable && client.pending_abort_count() > 0) (void)client.retry_pending_aborts();
  return reachable;
}

}  // namespace teltubby::storage
