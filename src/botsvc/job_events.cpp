#include "botsvc/job_events.hpp"

#include "botsvc/auth_notices.hpp"

#include "jobs/worker_status.hpp"
#include "queue/event_channel.hpp"
#include "queue/session.hpp"

namespace teltubby::botsvc {
namespace {

// The worker_auth_state metric's label for an auth state (the metric predates the
// event's spelling: "needs_code" is "wait_code" there).
std::string_view auth_metric_label(queue::AuthState state) {
  switch (state) {
    case queue::AuthState::needs_code: return "wait_code";
    case queue::AuthState::needs_password: return "wait_password";
    case queue::AuthState::needs_qr: return "wait_qr";
    default: return queue::to_string(state);
  }
}

}  // namespace

JobEventsReader::JobEventsReader(queue::QueueSettings settings, store::Store& store, JobStatusBoard& board,
                                 metrics::Catalog& metrics, AuthNoticeSink on_auth_notice)
    : settings_(std::move(settings)),
      store_(store),
      board_(board),
      metrics_(metrics),
      on_auth_notice_(std::move(on_auth_notice)) {}

JobEventsReader::~JobEventsReader() { stop(); }

void JobEventsReader::start() {
  if (thread_.joinable()) return;
  thread_ = std::jthread([this](const std::stop_token& stop) { run(stop); });
}

void JobEventsReader::stop() {
  if (!thread_.joinable()) return;
  thread_.request_stop();
  thread_.join();
}

void JobEventsReader::handle(const queue::EventMessage& message) {
  if (const auto* heartbeat = std::get_if<queue::WorkerHeartbeatEvent>(&message.event)) {
    if (auto kept = jobs::remember_heartbeat(store_, jobs::heartbeat_from(*heartbeat, message.at)); !kept) {
      log_.warn("worker heartbeat not recorded", {{"error", kept.error().describe()}});
    }
    return;
  }
  if (const auto* auth = std::get_if<queue::WorkerAuthEvent>(&message.event)) {
    metrics_.set_worker_auth_state(auth_metric_label(auth->state));
    log_.info("worker authorization state", {{"worker_id", auth->worker_id},
                                             {"state", std::string(queue::to_string(auth->state))}});
    // The state before this event decides whether the admins hear about it; unreadable
    // counts as none (better a repeated notice than a missed one).
    std::optional<jobs::WorkerAuth> previous;
    if (auto status = jobs::read_worker_status(store_); status) previous = status->auth;
    if (auto kept = jobs::remember_auth(store_, jobs::auth_from(*auth, message.at)); !kept) {
      log_.warn("worker auth state not recorded", {{"error", kept.error().describe()}});
    }
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    if (on_auth_notice_ && auth_notice_wanted(previous, *auth, message.at, now)) on_auth_notice_(*auth, message.at);
    return;
  }
  if (const auto* progress = std::get_if<queue::JobProgressEvent>(&message.event)) {
    // For /mtstatus (the running job's speed); the status board shows it as well.
    if (auto kept = jobs::remember_progress(store_, jobs::progress_from(*progress, message.at)); !kept) {
      log_.warn("job progress not recorded", {{"error", kept.error().describe()}});
    }
  }
  board_.on_event(message.event);
}

void JobEventsReader::run(const std::stop_token& stop) {
  queue::Session session(settings_);
  queue::EventConsumer consumer(session);
  bool reported_down = false;
  while (!stop.stop_requested()) {
    try {
      auto next = consumer.next_event(std::chrono::seconds{1});
      if (!next) {
        if (!reported_down) {
          log_.warn("cannot read worker events; retrying", {{"error", next.error().describe()}});
          reported_down = true;
        }
        (void)session.wait(std::chrono::seconds{1});  // paced by the session's reconnect backoff too
        continue;
      }
      if (reported_down) log_.info("reading worker events again");
      reported_down = false;
      if (*next) handle(**next);
    } catch (const std::exception& e) {
      // One event's surprise must not stop the bot from hearing the worker.
      log_.error("worker event not handled", {{"error", redact(e.what())}});
    }
  }
  session.disconnect();
}

}  // namespace teltubby::botsvc
