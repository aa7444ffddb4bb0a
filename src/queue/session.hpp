#pragma once
// A reconnecting AMQP session: one Connection that is replaced when it breaks, with
// the topology declared on every (re)connect. The operation that meets a broken
// connection fails with its (retryable) error; the next call reconnects at once, and
// further failed attempts back off exponentially (with jitter) up to
// reconnect_max_delay. Deliveries from before a reconnect cannot be acked any more
// (the broker requeued them): ack/nack of such a delivery is "amqp.stale_delivery".
// Not thread-safe: one Session per thread.
#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <set>
#include <span>

#include "core/error.hpp"
#include "core/log.hpp"
#include "queue/amqp_connection.hpp"
#include "queue/settings.hpp"
#include "queue/topology.hpp"

namespace teltubby::queue {

// Pure: the wait before reconnect attempt number `failures` + 1 after `failures`
// failed attempts: 0 for the first, then base * 2^(failures - 1) capped at max, scaled
// by `jitter` in [0.5, 1] (drawn by the caller) so that many clients spread out.
std::chrono::milliseconds reconnect_delay(std::chrono::milliseconds base, std::chrono::milliseconds max,
                                          int failures, double jitter);

class Session {
 public:
  explicit Session(QueueSettings settings);

  // Connects now if not connected (ignoring the backoff). Use at start-up to report a
  // wrong password or host at once; later operations reconnect by themselves.
  Status connect();
  [[nodiscard]] bool connected() const { return connection_.has_value() && !connection_->broken(); }
  // Counts successful connects; deliveries carry it.
  [[nodiscard]] std::uint64_t generation() const { return generation_; }
  [[nodiscard]] const QueueSettings& settings() const { return settings_; }

  Status publish(const ExchangeName& exchange, const RoutingKey& key, const OutgoingMessage& message);
  // Declares a queue once per connection (retry queues are created on first use).
  Status ensure_queue(const QueueDeclaration& queue);
  Result<std::optional<Delivery>> get(const QueueName& queue);
  // Takes the first message found, asking the queues in the given order each round,
  // until `timeout`; between rounds waits poll_interval while servicing heartbeats.
  Result<std::optional<Delivery>> next(std::span<const QueueName> queues_in_order,
                                       std::chrono::milliseconds timeout);
  Status ack(const Delivery& delivery);
  Status nack(const Delivery& delivery, bool requeue);
  Status reject(const Delivery& delivery, bool requeue);
  // Ready messages in a queue (passive declare).
  Result<std::uint32_t> message_count(const QueueName& queue);
  // Waits up to `timeout` servicing heartbeats (or, while disconnected, until the next
  // reconnect attempt is due, whichever is first).
  Status wait(std::chrono::milliseconds timeout);
  // Drops the connection (closing it politely when possible).
  void disconnect();

  // For tests and admin tools: the underlying connection, connecting if needed.
  Result<Connection*> connection();

 private:
  Status ensure_connected();
  Status attempt_connect();
  Status check_delivery(const Delivery& delivery) const;
  // Drops a broken connection after an operation failed; the next call reconnects.
  template <class T>
  T after(T outcome);

  QueueSettings settings_;
  Logger log_{"queue"};
  std::optional<Connection> connection_;
  std::set<QueueName> declared_;  // lazily declared queues on this connection
  std::uint64_t generation_ = 0;
  int failures_ = 0;  // failed connect attempts since the last success
  std::chrono::steady_clock::time_point next_attempt_{};
  std::mt19937 jitter_source_{std::random_device{}()};
};

}  // namespace teltubby::queue
