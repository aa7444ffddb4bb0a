#include "jobs/publishing.hpp"

namespace teltubby::jobs {

Result<queue::JobMessage> job_message_for(const store::JobRecord& record) {
  auto message = queue::parse_job_message(record.payload);
  if (!message) return message;
  message->job_metadata.priority = record.priority;
  return message;
}

Status publish_job(store::Store& store, queue::JobPublisher& publisher, const store::JobRecord& record) {
  if (record.state != store::JobState::pending) {
    return fail(ErrorKind::invalid_input, "job.wrong_state",
                "job " + record.job_id + " is " + std::string(store::to_string(record.state)) + ", not PENDING");
  }
  auto message = job_message_for(record);
  if (!message) return std::unexpected(message.error());
  if (auto published = publisher.publish(*message); !published) return published;
  // A /priority that came in meanwhile marked the row unpublished for its new lane:
  // leave it so, and the next sweep publishes it there (the worker drops the stale copy).
  auto now = store.get_job(record.job_id);
  if (now && now->priority != record.priority) return {};
  return store.mark_job_published(record.job_id);
}

SweepResult publish_unpublished(store::Store& store, queue::JobPublisher& publisher, std::size_t limit,
                                const std::function<Status(const store::JobRecord&)>& before_publish) {
  SweepResult result;
  auto jobs = store.list_unpublished_pending_jobs(limit);
  if (!jobs) {
    result.first_error = jobs.error();
    return result;
  }
  for (const auto& job : *jobs) {
    auto archived = store.find_message(job.chat_id, job.message_id);
    if (!archived) {
      result.first_error = archived.error();
      return result;
    }
    if (!archived->has_value()) {
      ++result.waiting;
      continue;
    }
    if (before_publish) {
      if (auto prepared = before_publish(job); !prepared && prepared.error().retryable()) {
        result.first_error = prepared.error();
        return result;
      }
    }
    if (auto published = publish_job(store, publisher, job); !published) {
      if (published.error().code == "job_message.invalid") continue;  // cannot ever be published; counted by caller's log
      result.first_error = published.error();
      return result;
    }
    ++result.published;
  }
  return result;
}

}  // namespace teltubby::jobs
