#pragma once
// Everything the queue layer needs to know, filled from the configuration by the app
// (RABBITMQ_*, JOB_*, WORKER_* variables; DESIGN.md section 7). Tests build their own
// with unique name prefixes so that they can share one broker.
#include <chrono>
#include <cstdint>
#include <string>

#include "queue/names.hpp"

namespace teltubby::queue {

struct QueueSettings {
  std::string host = "127.0.0.1";
  std::uint16_t port = 5672;
  std::string username = "guest";
  std::string password = "guest";  // secret: never logged, never in an error text
  std::string vhost = "/";

  ExchangeName job_exchange{"teltubby.jobs"};          // JOB_EXCHANGE (direct)
  QueueName job_queue{"teltubby.large_files"};         // JOB_QUEUE_NAME (normal jobs)
  QueueName priority_queue{"teltubby.priority_jobs"};  // JOB_PRIORITY_QUEUE (high, urgent)
  // JOB_RETRY_QUEUE: the prefix of the per-delay retry queues
  // ("<prefix>.normal.<delay_ms>", "<prefix>.priority.<delay_ms>").
  std::string retry_queue_prefix = "teltubby.retry_jobs";
  ExchangeName dlx_exchange{"teltubby.dlx"};                  // JOB_DLX_EXCHANGE (fanout)
  QueueName dead_letter_queue{"teltubby.failed_jobs"};        // JOB_DEAD_LETTER_QUEUE
  ExchangeName events_exchange{"teltubby.events"};            // topic: worker -> bot
  QueueName bot_events_queue{"teltubby.bot_events"};          // the bot's durable event queue
  QueueName worker_control_queue{"teltubby.worker_control"};  // bot -> worker
  // Control messages (login codes) are useless after a short while and must not linger.
  std::chrono::milliseconds control_message_ttl{120'000};

  // AMQP heartbeat; rabbitmq-c only services it while we call into the library, so
  // every wait in this layer is bounded by a timeout well below this. 0 disables.
  std::chrono::seconds heartbeat{30};
  std::chrono::milliseconds connect_timeout{5'000};
  // Longest wait for a publisher confirm (or any RPC reply) before the connection is
  // considered broken.
  std::chrono::milliseconds rpc_timeout{10'000};
  // How often an idle consumer asks the job queues again (basic.get; see docs/queue.md).
  std::chrono::milliseconds poll_interval{200};
  // Reconnect backoff: first retry at once, then base * 2^n (with jitter) up to max.
  std::chrono::milliseconds reconnect_base_delay{500};
  std::chrono::milliseconds reconnect_max_delay{30'000};

  std::uint16_t prefetch = 1;  // WORKER_CONCURRENCY (basic.qos prefetch_count)
  // WORKER_RETRY_DELAY_SECONDS: the first retry waits this long, the n-th base * 2^n.
  std::chrono::milliseconds retry_base_delay{60'000};
  int max_retries = 3;  // WORKER_MAX_RETRIES: default max_retries of new jobs
};

}  // namespace teltubby::queue
