#include "queue/event_channel.hpp"

#include <array>

namespace teltubby::queue {

namespace {

// Takes messages from `queue` until one parses; invalid ones are acked and logged
// (without their body: control messages may hold a password).
template <class T, class Parse>
Result<std::optional<T>> next_valid(Session& session, const QueueName& queue,
                                    std::chrono::milliseconds timeout, Parse parse, const Logger& log) {
  const std::array<QueueName, 1> order{queue};
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    auto delivery = session.next(order, std::max(left, std::chrono::milliseconds{0}));
    if (!delivery) return std::unexpected(delivery.error());
    if (!*delivery) return std::optional<T>{};
    auto parsed = parse((*delivery)->body);
    if (auto acked = session.ack(**delivery); !acked) return std::unexpected(acked.error());
    if (parsed) return std::optional<T>{std::move(*parsed)};
    log.warn("dropped an invalid message", {{"queue", queue.str()}, {"reason", parsed.error().message}});
  }
}

}  // namespace

Status EventPublisher::publish(const EventMessage& message) {
  OutgoingMessage outgoing;
  outgoing.body = serialize(message);
  return session_.publish(session_.settings().events_exchange, routing_key(message.event), outgoing);
}

Status EventPublisher::publish_control(const ControlMessage& message) {
  OutgoingMessage outgoing;
  outgoing.body = serialize(message);
  outgoing.persistent = false;
  return session_.publish(ExchangeName{}, RoutingKey{session_.settings().worker_control_queue.str()},
                          outgoing);
}

Result<std::optional<EventMessage>> EventConsumer::next_event(std::chrono::milliseconds timeout) {
  return next_valid<EventMessage>(
      session_, session_.settings().bot_events_queue, timeout,
      [](std::string_view body) { return parse_event(body); }, log_);
}

Result<std::optional<ControlMessage>> EventConsumer::next_control(std::chrono::milliseconds timeout) {
  return next_valid<ControlMessage>(
      session_, session_.settings().worker_control_queue, timeout,
      [](std::string_view body) { return parse_control(body); }, log_);
}

}  // namespace teltubby::queue
