#pragma once
// What a curator may do to a job, shared by the bot's /retry, /cancel, /priority and
// `teltubby jobs`: a state check with a readable answer, then one atomic store change.
// Every `id_text` is what the user typed (see job_ref.hpp: uuid or unique prefix).
//
// Errors: those of find_job ("job.bad_id", "job.not_found", "job.ambiguous"), and
// "job.wrong_state" (invalid_input) whose message names the job, its state and what
// the operation needs, e.g. "job 3f2b8c1e is PROCESSING; only FAILED or CANCELLED jobs
// can be retried". Store failures (a busy database) pass through.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "store/store.hpp"

namespace teltubby::jobs {

// A change made: the job as it is now, and the state it was in before.
struct AdminOutcome {
  store::JobRecord job;
  store::JobState previous = store::JobState::pending;
};

// FAILED or CANCELLED -> PENDING, marked unpublished in the same transaction so that
// the bot's sweep (or the caller, at once) publishes it again. Returns the new row.
Result<AdminOutcome> retry_job(store::Store& store, std::string_view id_text);

// PENDING, RETRYING or PROCESSING -> CANCELLED. A PROCESSING job is stopped by its
// worker at the next checkpoint (it polls the row), which deletes what it wrote; a
// queued message of a cancelled job is skipped when it is delivered.
Result<AdminOutcome> cancel_job(store::Store& store, std::string_view id_text);

// Any priority, for PENDING, RETRYING, FAILED or CANCELLED jobs (a PROCESSING job is
// already running, a COMPLETED one is done). A PENDING job is marked unpublished by
// the store and republished into its new lane; the others take the priority with
// their next publish. Returns the new row.
Result<AdminOutcome> set_priority(store::Store& store, std::string_view id_text, store::JobPriority priority);

// What the queue overview shows: counts by state and the active jobs (PENDING,
// PROCESSING, RETRYING), newest first, at most `limit` of them.
struct QueueOverview {
  std::map<store::JobState, std::int64_t> counts;
  std::vector<store::JobRecord> active;  // newest first
  std::size_t active_total = 0;          // all active jobs, shown or not
};
Result<QueueOverview> load_queue_overview(store::Store& store, std::size_t limit);

}  // namespace teltubby::jobs
