#pragma once
// Messages as the queue layer sends and receives them, independent of rabbitmq-c.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <variant>

#include "queue/names.hpp"

namespace teltubby::queue {

// AMQP table values we write and read. Other field kinds in received headers (arrays,
// nested tables such as x-death) are skipped when reading.
using FieldValue = std::variant<std::string, std::int64_t, bool>;
using FieldTable = std::map<std::string, FieldValue, std::less<>>;

struct OutgoingMessage {
  std::string body;
  std::string content_type = "application/json";
  bool persistent = true;  // delivery_mode 2: written to disk by the broker
  FieldTable headers;
  std::optional<std::uint8_t> priority;  // only meaningful on a queue with x-max-priority
};

struct Delivery {
  std::uint64_t delivery_tag = 0;
  // Which connection the tag belongs to; after a reconnect the tag is void (the broker
  // has requeued the message already), so ack/nack of an old delivery is refused.
  std::uint64_t connection_generation = 0;
  bool redelivered = false;
  QueueName queue;
  ExchangeName exchange;
  RoutingKey routing_key;
  std::string body;
  std::string content_type;
  FieldTable headers;
  std::uint8_t priority = 0;
  std::uint32_t remaining = 0;  // messages left in the queue after this one
};

// Reads an integer header (any integer width on the wire); nullopt when absent or not one.
inline std::optional<std::int64_t> header_int(const FieldTable& headers, std::string_view key) {
  const auto it = headers.find(key);
  if (it == headers.end()) return std::nullopt;
  if (const auto* value = std::get_if<std::int64_t>(&it->second)) return *value;
  return std::nullopt;
}
inline std::optional<std::string> header_string(const FieldTable& headers, std::string_view key) {
  const auto it = headers.find(key);
  if (it == headers.end()) return std::nullopt;
  if (const auto* value = std::get_if<std::string>(&it->second)) return *value;
  return std::nullopt;
}

}  // namespace teltubby::queue
