#include "queue/job_consumer.hpp"

#include <array>

namespace teltubby::queue {

Result<std::optional<ReceivedJob>> JobConsumer::next(std::chrono::milliseconds timeout) {
  const auto& settings = session_.settings();
  const std::array<QueueName, 2> order{settings.priority_queue, settings.job_queue};
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    auto delivery = session_.next(order, std::max(left, std::chrono::milliseconds{0}));
    if (!delivery) return std::unexpected(delivery.error());
    if (!*delivery) return std::optional<ReceivedJob>{};
    Delivery& d = **delivery;
    auto job = parse_job_message(d.body);
    if (job) return std::optional<ReceivedJob>{ReceivedJob{std::move(*job), std::move(d)}};

    // Invalid: into the dead-letter queue with the reason, then ack the original. If
    // the dead-lettering fails, the original stays unacked and comes back after a
    // reconnect, so nothing is lost.
    const std::string reason = "invalid job message: " + job.error().message;
    log_.warn("dead-lettering an invalid job message",
              {{"queue", d.queue.str()}, {"reason", reason}, {"bytes", d.body.size()}});
    const int retry_count = static_cast<int>(header_int(d.headers, kHeaderRetryCount).value_or(0));
    if (auto moved = dead_letters_.dead_letter(d.body, reason, retry_count, d.queue); !moved) {
      return std::unexpected(moved.error());
    }
    if (auto acked = session_.ack(d); !acked) return std::unexpected(acked.error());
    ++invalid_count_;
  }
}

}  // namespace teltubby::queue
