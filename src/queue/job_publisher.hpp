#pragma once
// The bot's (and the worker's, for retries) way of putting jobs on the queues. Every
// publish is persistent, mandatory and confirmed: when a call returns success the
// broker has the message on disk.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "queue/job_message.hpp"
#include "queue/session.hpp"

namespace teltubby::queue {

// Header names on dead-lettered and retried messages.
inline constexpr std::string_view kHeaderReason = "x-teltubby-reason";
inline constexpr std::string_view kHeaderFailedAt = "x-teltubby-failed-at";
inline constexpr std::string_view kHeaderRetryCount = "x-teltubby-retry-count";
inline constexpr std::string_view kHeaderJobId = "x-teltubby-job-id";
inline constexpr std::string_view kHeaderSourceQueue = "x-teltubby-source-queue";
// A reason longer than this is cut (headers are not the place for a stack dump).
inline constexpr std::size_t kMaxReasonBytes = 1024;

struct QueueDepths {
  std::uint32_t normal = 0;
  std::uint32_t priority = 0;
  std::uint32_t dead_letter = 0;
};

class JobPublisher {
 public:
  explicit JobPublisher(Session& session) : session_(session) {}

  // To the normal or priority lane by job_metadata.priority. The job is validated
  // with the consumer's parser first: the bot never publishes what a worker refuses.
  Status publish(const JobMessage& job);

  // Publishes `job` with retry_count + 1 to the retry queue for
  // retry_delay(base, job.retry_count); it returns to its lane when that expires.
  // Returns the delay.
  // `at_least`: the other side's retry_after (FLOOD_WAIT, 429); the delay is then the
  // first of the series that is not shorter (retry_delay_at_least).
  Result<std::chrono::milliseconds> schedule_retry(const JobMessage& job, std::string_view reason,
                                                   std::chrono::milliseconds at_least = std::chrono::milliseconds{0});

  // Puts a body (valid or not) into the dead-letter queue with the reason, the time
  // and the retry count in headers.
  Status dead_letter(std::string_view body, std::string_view reason, int retry_count,
                     const QueueName& source_queue = QueueName{});

  // Ready messages per queue, for /status and metrics (unacked ones are not counted).
  Result<QueueDepths> depths();

 private:
  Session& session_;
};

}  // namespace teltubby::queue
