#pragma once
// Strong types for AMQP names, so that a queue name is never passed where a routing key
// is expected. They carry no validation beyond what the broker enforces (at most 255
// bytes of UTF-8, checked by `valid_amqp_name`).
#include <compare>
#include <string>
#include <string_view>
#include <utility>

namespace teltubby::queue {

template <class Tag>
class AmqpName {
 public:
  AmqpName() = default;
  explicit AmqpName(std::string value) : value_(std::move(value)) {}
  [[nodiscard]] const std::string& str() const { return value_; }
  [[nodiscard]] bool empty() const { return value_.empty(); }
  auto operator<=>(const AmqpName&) const = default;

 private:
  std::string value_;
};

using QueueName = AmqpName<struct QueueNameTag>;
using ExchangeName = AmqpName<struct ExchangeNameTag>;
using RoutingKey = AmqpName<struct RoutingKeyTag>;

// AMQP 0-9-1 short strings: 1..255 bytes. (The default exchange "" is written as an
// empty ExchangeName and is not checked with this.)
inline bool valid_amqp_name(std::string_view name) {
  return !name.empty() && name.size() <= 255;
}

}  // namespace teltubby::queue
