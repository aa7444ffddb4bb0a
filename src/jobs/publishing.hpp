#pragma once
// Publishing a recorded job: the payload stored with the job row is the job message
// as first recorded (retry_count 0, so an admin retry gets the full WORKER_MAX_RETRIES
// again); its priority is taken from the row (an admin may have raised it since). Shared by the bot (new jobs, retries,
// the sweep that publishes what the broker missed) and `teltubby jobs retry`.
#include <cstddef>
#include <functional>
#include <optional>

#include "core/error.hpp"
#include "queue/job_message.hpp"
#include "queue/job_publisher.hpp"
#include "store/store.hpp"

namespace teltubby::jobs {

// The job message to publish for `record` (validated). Errors: the payload's parse
// error ("job_message.invalid") — a row whose payload is broken cannot be published.
Result<queue::JobMessage> job_message_for(const store::JobRecord& record);

// Publishes with confirm, then marks the row published. A PENDING row only
// ("job.wrong_state" otherwise: e.g. cancelled meanwhile).
Status publish_job(store::Store& store, queue::JobPublisher& publisher, const store::JobRecord& record);

struct SweepResult {
  std::size_t published = 0;
  std::size_t waiting = 0;  // unpublished but their message is not archived yet (see below)
  std::optional<Error> first_error;  // the first publish that failed (the sweep stops there)
};

// Publishes PENDING jobs that are not yet published, oldest first, at most `limit`.
// A job is published only once its message is recorded in the store (the bot wrote
// message.json with the item `queued`), so the worker never meets a message.json that
// is not there yet or overwrites it with an older view.
// `before_publish` runs just before each publish (the bot relays the message to the
// worker account there); may be empty. A retryable error from it stops the sweep
// (that job is tried again at the next sweep); a permanent one is its caller's to log.
SweepResult publish_unpublished(store::Store& store, queue::JobPublisher& publisher, std::size_t limit,
                                const std::function<Status(const store::JobRecord&)>& before_publish = {});

}  // namespace teltubby::jobs
