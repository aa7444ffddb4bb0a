#pragma once
// Events and control messages over a Session: the worker publishes events (persistent,
// confirmed, to the topic exchange) and reads control messages; the bot does the
// opposite. Invalid messages are acked and dropped with a log line (an event is
// advisory; the job store holds the truth), so a bad message never blocks a queue.
#include <chrono>
#include <optional>

#include "core/error.hpp"
#include "core/log.hpp"
#include "queue/events.hpp"
#include "queue/session.hpp"

namespace teltubby::queue {

class EventPublisher {
 public:
  explicit EventPublisher(Session& session) : session_(session) {}
  Status publish(const EventMessage& message);
  // Transient (delivery_mode 1) to the control queue, whose TTL drops it when unread.
  Status publish_control(const ControlMessage& message);

 private:
  Session& session_;
};

class EventConsumer {
 public:
  explicit EventConsumer(Session& session) : session_(session) {}
  // The bot: the next valid event from its queue, acked on receipt (events are
  // notifications; losing one to a crash right after costs one status edit).
  Result<std::optional<EventMessage>> next_event(std::chrono::milliseconds timeout);
  // The worker: the next valid control message, acked on receipt.
  Result<std::optional<ControlMessage>> next_control(std::chrono::milliseconds timeout);

 private:
  Session& session_;
  Logger log_{"queue.events"};
};

}  // namespace teltubby::queue
