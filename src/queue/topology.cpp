#include "queue/topology.hpp"

#include <algorithm>

namespace teltubby::queue {

RoutingKey routing_key_for(JobLane lane) {
  return RoutingKey{lane == JobLane::priority ? "priority" : "normal"};
}

JobLane lane_for(JobPriority priority) {
  return priority == JobPriority::normal ? JobLane::normal : JobLane::priority;
}

std::uint8_t message_priority(JobPriority priority) {
  switch (priority) {
    case JobPriority::normal:
      return 0;
    case JobPriority::high:
      return 1;
    case JobPriority::urgent:
      return 2;
  }
  return 0;
}

Topology job_topology(const QueueSettings& s) {
  Topology t;
  t.exchanges = {{s.job_exchange, ExchangeType::direct},
                 {s.dlx_exchange, ExchangeType::fanout},
                 {s.events_exchange, ExchangeType::topic}};
  // A job the worker rejects without requeue still lands in the dead-letter queue.
  const FieldTable to_dlx{{"x-dead-letter-exchange", s.dlx_exchange.str()}};
  FieldTable priority_args = to_dlx;
  priority_args.emplace("x-max-priority", kMaxMessagePriority);
  t.queues = {{s.job_queue, to_dlx},
              {s.priority_queue, priority_args},
              {s.dead_letter_queue, {}},
              {s.bot_events_queue, {}},
              {s.worker_control_queue, {{"x-message-ttl", std::int64_t{s.control_message_ttl.count()}}}}};
  t.bindings = {{s.job_queue, s.job_exchange, routing_key_for(JobLane::normal)},
                {s.priority_queue, s.job_exchange, routing_key_for(JobLane::priority)},
                {s.dead_letter_queue, s.dlx_exchange, RoutingKey{"failed"}},
                {s.bot_events_queue, s.events_exchange, RoutingKey{"job.#"}},
                {s.bot_events_queue, s.events_exchange, RoutingKey{"worker.#"}}};
  return t;
}

std::chrono::milliseconds retry_delay(std::chrono::milliseconds base, int retry_count) {
  constexpr std::chrono::milliseconds kCap = std::chrono::hours{24};
  if (base.count() <= 0) return std::chrono::milliseconds{1};
  std::chrono::milliseconds delay = base;
  for (int i = 0; i < std::max(retry_count, 0) && delay < kCap; ++i) delay *= 2;
  return std::min(delay, kCap);
}

std::chrono::milliseconds retry_delay_at_least(std::chrono::milliseconds base, int retry_count,
                                               std::chrono::milliseconds at_least) {
  std::chrono::milliseconds delay = retry_delay(base, retry_count);
  // Further doublings, never beyond retry_delay's cap (a day).
  for (int n = std::max(retry_count, 0) + 1; delay < at_least && delay < std::chrono::hours{24}; ++n) {
    delay = retry_delay(base, n);
  }
  return delay;
}

QueueDeclaration retry_queue(const QueueSettings& s, JobLane lane, std::chrono::milliseconds delay) {
  const std::string lane_name = lane == JobLane::priority ? "priority" : "normal";
  return {QueueName{s.retry_queue_prefix + "." + lane_name + "." + std::to_string(delay.count())},
          {{"x-message-ttl", std::int64_t{delay.count()}},
           {"x-dead-letter-exchange", s.job_exchange.str()},
           {"x-dead-letter-routing-key", routing_key_for(lane).str()}}};
}

Status declare(Connection& connection, const Topology& topology) {
  for (const auto& exchange : topology.exchanges) {
    if (auto done = connection.declare_exchange(exchange.name, exchange.type); !done) return done;
  }
  for (const auto& queue : topology.queues) {
    if (auto done = connection.declare_queue(queue.name, queue.arguments); !done)
      return std::unexpected(done.error());
  }
  for (const auto& binding : topology.bindings) {
    if (auto done = connection.bind_queue(binding.queue, binding.exchange, binding.key); !done) return done;
  }
  return {};
}

}  // namespace teltubby::queue
