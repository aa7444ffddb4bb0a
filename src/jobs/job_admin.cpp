#include "jobs/job_admin.hpp"

#include <algorithm>
#include <vector>

#include "jobs/job_ref.hpp"

namespace teltubby::jobs {
namespace {

using store::JobState;

bool one_of(JobState state, const std::vector<JobState>& states) {
  return std::find(states.begin(), states.end(), state) != states.end();
}

std::unexpected<Error> wrong_state(const store::JobRecord& job, std::string_view needs) {
  return fail(ErrorKind::invalid_input, "job.wrong_state",
              "job " + short_job_id(job.job_id) + " is " + std::string(store::to_string(job.state)) + "; " +
                  std::string(needs));
}

// The store checks the state again inside its transaction: when the job moved in
// between (the worker picked it up), answer with its new state, as the first check would.
Result<AdminOutcome> transition(store::Store& store, const store::JobRecord& job,
                                    const std::vector<JobState>& allowed_from, JobState to,
                                    const store::JobEventDetails& details, std::string_view needs) {
  auto changed = store.transition_job(job.job_id, allowed_from, to, details);
  if (changed) return AdminOutcome{*std::move(changed), job.state};
  if (changed.error().code != "job.wrong_state") return std::unexpected(changed.error());
  auto now = store.get_job(job.job_id);
  if (!now) return std::unexpected(now.error());
  return wrong_state(*now, needs);
}

}  // namespace

Result<AdminOutcome> retry_job(store::Store& store, std::string_view id_text) {
  constexpr std::string_view kNeeds = "only FAILED or CANCELLED jobs can be retried";
  auto job = find_job(store, id_text);
  if (!job) return std::unexpected(job.error());
  const std::vector<JobState> allowed{JobState::failed, JobState::cancelled};
  if (!one_of(job->state, allowed)) return wrong_state(*job, kNeeds);
  store::JobEventDetails details;
  details.mark_unpublished = true;
  return transition(store, *job, allowed, JobState::pending, details, kNeeds);
}

Result<AdminOutcome> cancel_job(store::Store& store, std::string_view id_text) {
  constexpr std::string_view kNeeds = "only PENDING, RETRYING or PROCESSING jobs can be cancelled";
  auto job = find_job(store, id_text);
  if (!job) return std::unexpected(job.error());
  const std::vector<JobState> allowed{JobState::pending, JobState::retrying, JobState::processing};
  if (!one_of(job->state, allowed)) return wrong_state(*job, kNeeds);
  store::JobEventDetails details;
  details.error = "cancelled by a curator";
  return transition(store, *job, allowed, JobState::cancelled, details, kNeeds);
}

Result<AdminOutcome> set_priority(store::Store& store, std::string_view id_text, store::JobPriority priority) {
  auto job = find_job(store, id_text);
  if (!job) return std::unexpected(job.error());
  const std::vector<JobState> allowed{JobState::pending, JobState::retrying, JobState::failed, JobState::cancelled};
  if (!one_of(job->state, allowed)) {
    return wrong_state(*job, job->state == JobState::processing ? "it is running already; its priority no longer matters"
                                                                  : "a finished job has no use for a priority");
  }
  if (auto set = store.set_job_priority(job->job_id, priority); !set) return std::unexpected(set.error());
  auto now = store.get_job(job->job_id);
  if (!now) return std::unexpected(now.error());
  return AdminOutcome{*std::move(now), job->state};
}

Result<QueueOverview> load_queue_overview(store::Store& store, std::size_t limit) {
  QueueOverview overview;
  auto counts = store.count_jobs_by_state();
  if (!counts) return std::unexpected(counts.error());
  overview.counts = *std::move(counts);
  store::JobFilter filter;
  filter.states = {JobState::pending, JobState::processing, JobState::retrying};
  auto active = store.list_jobs(filter);  // oldest first
  if (!active) return std::unexpected(active.error());
  overview.active_total = active->size();
  for (auto job = active->rbegin(); job != active->rend() && overview.active.size() < limit; ++job) {
    overview.active.push_back(std::move(*job));
  }
  return overview;
}

}  // namespace teltubby::jobs
