#pragma once
// Shared set-up for the queue integration tests: QueueSettings whose every name has a
// prefix unique to the test, so tests share one broker without meeting each other,
// and a job message factory. The test's queues and exchanges are deleted afterwards.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "queue/job_message.hpp"
#include "queue/session.hpp"
#include "queue/text.hpp"
#include "queue/topology.hpp"

namespace teltubby::queue::testing {

inline QueueSettings settings_for(std::uint16_t port) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const std::string prefix = std::string("t.") + info->name() + "." + make_uuid_v4().substr(0, 8) + ".";
  QueueSettings s;
  s.host = "127.0.0.1";
  s.port = port;
  s.job_exchange = ExchangeName{prefix + "jobs"};
  s.job_queue = QueueName{prefix + "large_files"};
  s.priority_queue = QueueName{prefix + "priority_jobs"};
  s.retry_queue_prefix = prefix + "retry_jobs";
  s.dlx_exchange = ExchangeName{prefix + "dlx"};
  s.dead_letter_queue = QueueName{prefix + "failed_jobs"};
  s.events_exchange = ExchangeName{prefix + "events"};
  s.bot_events_queue = QueueName{prefix + "bot_events"};
  s.worker_control_queue = QueueName{prefix + "worker_control"};
  s.poll_interval = std::chrono::milliseconds{50};
  s.reconnect_base_delay = std::chrono::milliseconds{100};
  s.reconnect_max_delay = std::chrono::milliseconds{1'000};
  s.rpc_timeout = std::chrono::milliseconds{5'000};
  s.retry_base_delay = std::chrono::milliseconds{250};
  return s;
}

inline JobMessage make_job(JobPriority priority = JobPriority::normal,
                           std::string file_unique_id = "AgADxQ") {
  JobMessage job;
  job.job_id = make_uuid_v4();
  job.user_id = 123456789;
  job.chat_id = -1001234567890;
  job.message_id = 42;
  job.file_info = {"BQACAgIAAxkBAAIB", std::move(file_unique_id), 125829120, "document",
                   "big.iso",          "application/octet-stream"};
  job.telegram_context.caption = "a caption";
  job.job_metadata.created_at = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  job.job_metadata.priority = priority;
  job.archive = {"2026/11/chat/20261128-134400_a-caption", "2026/11/chat/20261128-134400_a-caption/001.iso",
                 1};
  return job;
}

// Deletes what a test declared (the retry queues of the delays it used included).
inline void delete_topology(Session& session, const std::vector<QueueName>& extra_queues = {}) {
  auto connection = session.connection();
  if (!connection) return;
  const Topology topology = job_topology(session.settings());
  for (const auto& queue : topology.queues) (void)(*connection)->delete_queue(queue.name);
  for (const auto& queue : extra_queues) (void)(*connection)->delete_queue(queue);
  for (const auto& exchange : topology.exchanges) (void)(*connection)->delete_exchange(exchange.name);
}

}  // namespace teltubby::queue::testing
