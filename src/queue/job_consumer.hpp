#pragma once
// The worker's side of the job queues. `next` asks the priority queue first and the
// normal queue second on every round (basic.get), so a waiting priority job always
// starts before a waiting normal one, and inside the priority queue the broker hands
// out urgent before high (x-max-priority). A message that fails validation is
// dead-lettered with the parser's reason and acked, and `next` goes on: a malformed
// message never stops the consumer.
#include <chrono>
#include <optional>

#include "core/error.hpp"
#include "core/log.hpp"
#include "queue/job_message.hpp"
#include "queue/job_publisher.hpp"
#include "queue/session.hpp"

namespace teltubby::queue {

struct ReceivedJob {
  JobMessage job;
  Delivery delivery;  // ack it (through the consumer) only once the outcome is stored
};

class JobConsumer {
 public:
  explicit JobConsumer(Session& session) : session_(session), dead_letters_(session) {}

  // The next valid job, or nullopt when none arrived within `timeout`. Errors are
  // the session's (retryable while the broker is away): call again.
  Result<std::optional<ReceivedJob>> next(std::chrono::milliseconds timeout);

  Status ack(const ReceivedJob& received) { return session_.ack(received.delivery); }
  // Back to its queue (e.g. shutting down mid-job before anything was stored).
  Status requeue(const ReceivedJob& received) { return session_.nack(received.delivery, true); }

  // Invalid messages dead-lettered by this consumer so far.
  [[nodiscard]] std::uint64_t invalid_count() const { return invalid_count_; }

 private:
  Session& session_;
  JobPublisher dead_letters_;
  Logger log_{"queue.consumer"};
  std::uint64_t invalid_count_ = 0;
};

}  // namespace teltubby::queue
