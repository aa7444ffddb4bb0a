#pragma once
// One AMQP connection with one channel in publisher-confirm mode, over rabbitmq-c.
// Not thread-safe: one thread uses a Connection (rabbitmq-c's state is not shared).
// Every wait is bounded (rpc_timeout, or the caller's timeout) so that heartbeats are
// serviced: rabbitmq-c only sends and checks them while we call into it.
//
// After any channel- or connection-level failure the connection is `broken()` and
// must be replaced (Session does that); failures that leave the channel usable
// (an unroutable publish, a nack, an empty queue) do not break it.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "queue/message.hpp"
#include "queue/names.hpp"

#include <amqp.h>

namespace teltubby::queue {

struct ConnectParams {
  std::string host;
  std::uint16_t port = 5672;
  std::string username;
  std::string password;  // secret
  std::string vhost = "/";
  std::chrono::seconds heartbeat{30};
  std::chrono::milliseconds connect_timeout{5'000};
  std::chrono::milliseconds rpc_timeout{10'000};
};

// The raw rabbitmq-c state plus what its deleter needs to know to close it politely.
struct AmqpHandleState {
  amqp_connection_state_t_* raw = nullptr;
  bool logged_in = false;
  bool channel_open = false;
  bool socket_alive = true;  // false after socket errors: no close handshake, just destroy
  bool broken = false;       // the channel or connection is unusable; replace it
};
struct AmqpHandleCloser {
  void operator()(AmqpHandleState* state) const noexcept;
};
using AmqpHandle = std::unique_ptr<AmqpHandleState, AmqpHandleCloser>;

enum class ExchangeType { direct, topic, fanout };

class Connection {
 public:
  static Result<Connection> open(const ConnectParams& params);

  Connection(Connection&&) noexcept = default;
  Connection& operator=(Connection&&) noexcept = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection() = default;

  [[nodiscard]] bool broken() const { return !handle_ || handle_->broken; }

  Status declare_exchange(const ExchangeName& name, ExchangeType type);  // durable
  // Declares a durable queue (or checks it exists when passive); returns its
  // message count (ready messages, not the unacked ones).
  Result<std::uint32_t> declare_queue(const QueueName& name, const FieldTable& arguments,
                                      bool passive = false);
  Status bind_queue(const QueueName& queue, const ExchangeName& exchange, const RoutingKey& key);
  Status delete_queue(const QueueName& name);
  Status delete_exchange(const ExchangeName& name);
  Status set_prefetch(std::uint16_t count);

  // Publishes with mandatory=true and waits for the broker's confirm. Errors:
  // "amqp.unroutable" (permanent: no queue bound for this key), "amqp.nack"
  // (retryable: the broker could not take it), or a connection error.
  Status publish(const ExchangeName& exchange, const RoutingKey& key, const OutgoingMessage& message);

  // basic.get with manual ack; nullopt when the queue is empty.
  Result<std::optional<Delivery>> get(const QueueName& queue);
  Status ack(std::uint64_t delivery_tag);
  Status nack(std::uint64_t delivery_tag, bool requeue);
  Status reject(std::uint64_t delivery_tag, bool requeue);

  // Waits up to `timeout` for the broker, servicing heartbeats; an error if the broker
  // closed the connection or channel meanwhile. Returns early on no event: it is a
  // bounded idle wait, not a sleep the broker cannot interrupt.
  Status idle(std::chrono::milliseconds timeout);

 private:
  explicit Connection(AmqpHandle handle, std::chrono::milliseconds rpc_timeout)
      : handle_(std::move(handle)), rpc_timeout_(rpc_timeout) {}
  // Turns the last RPC outcome into a Status, marking the connection broken on
  // channel/connection failures.
  Error fail_reply(const amqp_rpc_reply_t& reply, std::string_view operation);
  Error fail_rpc(std::string_view operation);
  Error fail_status(int status, std::string_view operation);

  AmqpHandle handle_;
  std::chrono::milliseconds rpc_timeout_;
  std::uint64_t next_publish_tag_ = 1;  // confirm sequence numbers start at 1
};

}  // namespace teltubby::queue
