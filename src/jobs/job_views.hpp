#pragma once
// The texts of the job and worker commands, shared by the bot (Telegram HTML, every
// outside string escaped) and `teltubby jobs` (plain text, no tags). Pure: callers load
// the data (job_admin.hpp, worker_status.hpp) and pass the clock in.
#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "jobs/job_admin.hpp"
#include "jobs/worker_status.hpp"
#include "queue/job_publisher.hpp"
#include "store/records.hpp"

namespace teltubby::jobs {

enum class Format { html, text };

// Jobs shown by /queue and `teltubby jobs list`.
inline constexpr std::size_t kQueueOverviewLimit = 20;
// History rows shown for one job (the newest ones); older rows are summarised.
inline constexpr std::size_t kJobHistoryLimit = 20;

// "12 s", "3 min", "2 h 5 min", "4 d 3 h": how long ago, rounded down.
std::string human_age(std::chrono::seconds age);

// Counts by state, then the active jobs newest first with size and priority (HTML:
// a /jobs_<8 hex> shortcut each; text: the full id).
std::string render_queue(const QueueOverview& overview, Format format);

// One job: state, priority, attempts, size, file, key, last error, times, history.
std::string render_job(const store::JobRecord& job, std::span<const store::JobEvent> history, Format format);

// /mtstatus: online or offline (heartbeat younger than `stale_after`), the worker's
// id, state, job, version, heartbeat age, login state and the worker account's user id.
std::string render_worker_status(const WorkerStatus& status, std::chrono::sys_seconds now,
                                 std::chrono::seconds stale_after, Format format);

// The answers to a successful retry, cancel or priority change.
std::string render_retried(const AdminOutcome& outcome, Format format);
std::string render_cancelled(const AdminOutcome& outcome, Format format);
std::string render_priority_set(const AdminOutcome& outcome, Format format);
// A refused or failed operation: `action` is "retry", "cancel", ... ("Cannot retry: ...").
std::string render_refusal(std::string_view action, const Error& error, Format format);
// Job commands while large-file jobs are not running in this process.
std::string render_jobs_not_running(std::string_view command, Format format);

// "Queues: normal 3 · priority 1 · dead-letter 0", or "broker unreachable (why)".
std::string render_queue_depths(const Result<queue::QueueDepths>& depths, Format format);

// The job lines of /status: queue depths (or why they are unknown), jobs by state,
// and the worker. `depths` nullopt: jobs are not running in this bot.
struct JobsStatus {
  std::optional<Result<queue::QueueDepths>> depths;
  std::map<store::JobState, std::int64_t> counts;  // empty: unknown
  WorkerStatus worker;
};
std::string render_jobs_status(const JobsStatus& status, std::chrono::sys_seconds now,
                               std::chrono::seconds stale_after, Format format);

}  // namespace teltubby::jobs
