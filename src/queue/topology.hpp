#pragma once
// The RabbitMQ topology of DESIGN.md section 5 as data (pure, testable), and the one
// function that declares it. Bot and worker both declare all of it on every
// (re)connect with identical arguments, so whichever starts first creates it and
// a broker that lost its state gets it back.
//
//   teltubby.jobs (direct) --normal-->   teltubby.large_files   --(rejected)--> teltubby.dlx
//                          --priority--> teltubby.priority_jobs --(rejected)--> teltubby.dlx
//   "" (default) --> teltubby.retry_jobs.<lane>.<delay_ms>  --(TTL expired)--> teltubby.jobs (key <lane>)
//   teltubby.dlx (fanout) --> teltubby.failed_jobs
//   teltubby.events (topic) --job.#, worker.#--> teltubby.bot_events
//   "" (default) --> teltubby.worker_control (TTL 120 s, transient messages)
#include <chrono>
#include <cstdint>
#include <vector>

#include "core/error.hpp"
#include "queue/amqp_connection.hpp"
#include "queue/job_message.hpp"
#include "queue/settings.hpp"

namespace teltubby::queue {

struct ExchangeDeclaration {
  ExchangeName name;
  ExchangeType type = ExchangeType::direct;
};
struct QueueDeclaration {
  QueueName name;
  FieldTable arguments;
  bool operator==(const QueueDeclaration&) const = default;
};
struct BindingDeclaration {
  QueueName queue;
  ExchangeName exchange;
  RoutingKey key;
};
struct Topology {
  std::vector<ExchangeDeclaration> exchanges;
  std::vector<QueueDeclaration> queues;
  std::vector<BindingDeclaration> bindings;
};

// The two lanes of the job exchange.
enum class JobLane { normal, priority };
RoutingKey routing_key_for(JobLane lane);  // "normal", "priority"
JobLane lane_for(JobPriority priority);    // high and urgent go to the priority lane
// The AMQP message priority inside the priority queue (x-max-priority 2): urgent 2,
// high 1, normal 0, so an urgent job waiting there is taken before a high one.
std::uint8_t message_priority(JobPriority priority);
inline constexpr std::int64_t kMaxMessagePriority = 2;

// Everything but the retry queues (those exist per delay; see retry_queue).
Topology job_topology(const QueueSettings& settings);

// Backoff before retry number retry_count + 1: base * 2^retry_count, capped at 24 h
// (RabbitMQ's TTL limit is ~49 days; a day is already far beyond any sensible backoff).
std::chrono::milliseconds retry_delay(std::chrono::milliseconds base, int retry_count);

// "<prefix>.<lane>.<delay_ms>": messages wait there for exactly `delay`, then are
// dead-lettered back to the job exchange with the lane's routing key. One queue per
// delay keeps every queue FIFO-with-equal-TTL, so no retry waits behind a longer one.
// The first of retry_delay(base, n), n = retry_count, retry_count + 1, ..., that is at
// least `at_least` (a FLOOD_WAIT's retry_after): the wait Telegram asked for, rounded up
// to a delay of the same series so that the number of retry queues stays small.
std::chrono::milliseconds retry_delay_at_least(std::chrono::milliseconds base, int retry_count,
                                               std::chrono::milliseconds at_least);

QueueDeclaration retry_queue(const QueueSettings& settings, JobLane lane, std::chrono::milliseconds delay);

// Declares exchanges, queues and bindings in that order; stops at the first error
// (a PRECONDITION_FAILED names the queue or exchange whose arguments differ).
Status declare(Connection& connection, const Topology& topology);

}  // namespace teltubby::queue
