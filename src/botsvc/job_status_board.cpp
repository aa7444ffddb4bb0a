#include "botsvc/job_status_board.hpp"

#include <array>
#include <utility>

#include "jobs/publishing.hpp"

namespace teltubby::botsvc {
namespace {

using bot::JobPhase;

bot::MediaType media_type_of(std::string_view file_type) {
  constexpr std::array<bot::MediaType, 8> kTypes = {
      bot::MediaType::photo, bot::MediaType::video,      bot::MediaType::document,  bot::MediaType::audio,
      bot::MediaType::voice, bot::MediaType::video_note, bot::MediaType::animation, bot::MediaType::sticker};
  for (const auto type : kTypes) {
    if (bot::to_string(type) == file_type) return type;
  }
  return bot::MediaType::document;
}

}  // namespace

bot::JobStatusView initial_view(const store::JobRecord& job, std::optional<std::chrono::seconds> eta) {
  bot::JobStatusView view;
  view.job_id = job.job_id;
  view.size_bytes = job.file_size;
  view.phase = JobPhase::queued;
  view.eta = eta;
  if (auto message = jobs::job_message_for(job)) {
    view.type = media_type_of(message->file_info.file_type);
    view.ordinal = message->archive.ordinal;
  }
  return view;
}

std::optional<std::string> job_id_of(const queue::Event& event) {
  return std::visit(
      [](const auto& e) -> std::optional<std::string> {
        using T = std::decay_t<decltype(e)>;
        if constexpr (std::is_same_v<T, queue::WorkerHeartbeatEvent> ||
                      std::is_same_v<T, queue::WorkerAuthEvent>) {
          return std::nullopt;
        } else {
          return e.job_id;
        }
      },
      event);
}

std::optional<bot::JobStatusView> view_after(bot::JobStatusView view, const queue::Event& event,
                                             int max_retries) {
  view.error.clear();
  if (const auto* started = std::get_if<queue::JobProcessingEvent>(&event)) {
    (void)started;
    view.phase = JobPhase::started;
    view.percent = 0;
    return view;
  }
  if (const auto* progress = std::get_if<queue::JobProgressEvent>(&event)) {
    view.phase =
        progress->phase == queue::ProgressPhase::download ? JobPhase::downloading : JobPhase::uploading;
    view.percent = bot::quantize_percent(bot::progress_percent(progress->bytes_done, progress->bytes_total));
    if (progress->bytes_total > 0) view.size_bytes = progress->bytes_total;
    return view;
  }
  if (const auto* completed = std::get_if<queue::JobCompletedEvent>(&event)) {
    view.phase = JobPhase::archived;
    view.key = completed->s3_key;
    if (completed->bytes > 0) view.size_bytes = completed->bytes;
    return view;
  }
  if (const auto* failed = std::get_if<queue::JobFailedEvent>(&event)) {
    if (failed->will_retry) return std::nullopt;  // job.retrying says it better
    view.phase = JobPhase::failed;
    view.error = failed->reason;
    return view;
  }
  if (const auto* retrying = std::get_if<queue::JobRetryingEvent>(&event)) {
    view.phase = JobPhase::retrying;
    view.error = retrying->reason;
    view.attempt = retrying->retry_count + 1;
    view.max_attempts = max_retries > 0 ? max_retries + 1 : 0;
    return view;
  }
  if (std::holds_alternative<queue::JobCancelledEvent>(event)) {
    view.phase = JobPhase::cancelled;
    return view;
  }
  return std::nullopt;
}

JobStatusBoard::JobStatusBoard(bot::Outbox& outbox, store::Store& store,
                               std::chrono::milliseconds min_interval)
    : outbox_(outbox), store_(store), coalescer_(min_interval) {}

JobStatusBoard::~JobStatusBoard() {
  stop();
}

void JobStatusBoard::start() {
  if (flusher_.joinable()) return;
  flusher_ = std::jthread([this](const std::stop_token& stop) { flush_loop(stop); });
}

void JobStatusBoard::stop() {
  if (!flusher_.joinable()) return;
  flusher_.request_stop();
  wake_.notify_all();
  flusher_.join();
}

bool JobStatusBoard::create_message(const store::JobRecord& job, const std::string& text) {
  std::lock_guard create(create_mutex_);
  auto fresh = store_.get_job(job.job_id);  // another thread may have created it meanwhile
  if (fresh && fresh->status_message) return false;
  auto sent = outbox_.send(job.chat_id, text);
  if (!sent) {
    log_.warn("job status message not sent", {{"job_id", job.job_id}, {"error", sent.error().describe()}});
    return false;
  }
  const store::StatusMessageRef ref{job.chat_id, *sent};
  if (auto saved = store_.set_job_status_message(job.job_id, ref); !saved) {
    log_.warn("job status message not recorded",
              {{"job_id", job.job_id}, {"error", saved.error().describe()}});
  }
  std::lock_guard lock(mutex_);
  coalescer_.record_sent(ref.chat_id, ref.message_id, text, bot::EditCoalescer::Clock::now());
  return true;
}

void JobStatusBoard::announce(const std::string& job_id, std::optional<std::chrono::seconds> eta) {
  auto job = store_.get_job(job_id);
  if (!job) {
    log_.warn("announced job not found", {{"job_id", job_id}, {"error", job.error().describe()}});
    return;
  }
  if (job->status_message) return;
  bot::JobStatusView view = initial_view(*job, eta);
  {
    std::lock_guard lock(mutex_);
    if (auto known = views_.find(job_id); known != views_.end()) view = known->second;  // an event came first
    views_[job_id] = view;
  }
  // When an event created the message meanwhile, the events keep it current.
  (void)create_message(*job, bot::render_job_status(view));
}

void JobStatusBoard::on_event(const queue::Event& event) {
  const auto job_id = job_id_of(event);
  if (!job_id) return;
  auto job = store_.get_job(*job_id);
  if (!job) {
    if (job.error().kind == ErrorKind::not_found) {
      // Not ours (another bot's database, or an admin tool published it): nothing to show.
      log_.debug("event for an unknown job", {{"job_id", *job_id}});
    } else {
      log_.warn("job event not shown: database unavailable",
                {{"job_id", *job_id}, {"error", job.error().describe()}});
    }
    return;
  }
  std::optional<bot::JobStatusView> next;
  {
    std::lock_guard lock(mutex_);
    auto known = views_.find(*job_id);
    const bot::JobStatusView current =
        known != views_.end() ? known->second : initial_view(*job, std::nullopt);
    if (bot::is_final(current.phase)) return;  // nothing changes a final state
    next = view_after(current, event, job->max_retries);
    if (!next) return;
    views_[*job_id] = *next;
  }
  show(*job, *next, std::holds_alternative<queue::JobProcessingEvent>(event));
}

void JobStatusBoard::refresh(const std::string& job_id) {
  auto job = store_.get_job(job_id);
  if (!job) return;
  bot::JobStatusView view = initial_view(*job, std::nullopt);
  if (job->state == store::JobState::cancelled) {
    view.phase = bot::JobPhase::cancelled;
  } else if (job->state != store::JobState::pending) {
    return;  // the worker's events tell the rest
  }
  {
    std::lock_guard lock(mutex_);
    views_[job_id] = view;
  }
  // A retried job's message had its final text; it comes alive again.
  show(*job, view, /*reopen=*/view.phase == bot::JobPhase::queued);
}

void JobStatusBoard::show(const store::JobRecord& job, const bot::JobStatusView& view, bool reopen) {
  const std::string text = bot::render_job_status(view);
  const bool final = bot::is_final(view.phase);
  const std::string& job_id = job.job_id;
  std::optional<store::StatusMessageRef> message = job.status_message;
  if (!message) {
    // No status message yet (the worker was faster than the receipt, or the bot
    // restarted before sending it): this text is its first text, unless another
    // thread just sent it, in which case this text becomes an edit of that message.
    if (!create_message(job, text)) {
      auto fresh = store_.get_job(job_id);
      if (fresh) message = fresh->status_message;
    }
  }
  if (message) {
    std::lock_guard lock(mutex_);
    if (reopen) coalescer_.reopen(message->chat_id, message->message_id);
    coalescer_.submit({message->chat_id, message->message_id, text, final}, bot::EditCoalescer::Clock::now());
    edits_submitted_ = true;
  }
  if (final) {
    std::lock_guard lock(mutex_);
    views_.erase(job_id);  // the coalescer remembers that it is finished
  }
  wake_.notify_all();
}

void JobStatusBoard::flush_loop(const std::stop_token& stop) {
  using Clock = bot::EditCoalescer::Clock;
  Clock::duration hold{0};  // after an edit Telegram could not take yet: wait this long first
  while (!stop.stop_requested()) {
    std::vector<bot::EditCoalescer::Edit> due;
    {
      std::unique_lock lock(mutex_);
      if (hold > Clock::duration{0}) {
        wake_.wait_for(lock, stop, hold, [] { return false; });  // only stop ends it early
        hold = Clock::duration{0};
      }
      const auto deadline = coalescer_.next_deadline();
      const auto until = deadline ? *deadline : Clock::now() + std::chrono::seconds{1};
      wake_.wait_until(lock, stop, until, [this] { return edits_submitted_; });
      edits_submitted_ = false;
      if (stop.stop_requested()) break;
      due = coalescer_.take_due(Clock::now());
    }
    for (auto& edit : due) {
      try {
        const Status sent = edit.final ? outbox_.edit(edit.chat_id, edit.message_id, edit.text)
                                       : outbox_.try_edit(edit.chat_id, edit.message_id, edit.text);
        if (sent) continue;
        const Error& error = sent.error();
        if (error.message.find("message is not modified") != std::string::npos) continue;
        if (error.retryable()) {
          std::lock_guard lock(mutex_);
          coalescer_.requeue(std::move(edit), Clock::now());
          hold = std::max<Clock::duration>(hold, error.retry_after > std::chrono::seconds{0}
                                                     ? error.retry_after
                                                     : std::chrono::seconds{1});
        } else {
          log_.warn("job status edit refused", {{"error", error.describe()}});
        }
      } catch (const std::exception& e) {
        // One edit's surprise must not end status updates for the life of the bot.
        log_.error("job status edit failed", {{"error", redact(e.what())}});
      }
    }
  }
  // Stopping: final texts still waiting go out now if Telegram has room for them
  // (background sends never wait); progress texts are dropped.
  std::vector<bot::EditCoalescer::Edit> last;
  {
    std::lock_guard lock(mutex_);
    last = coalescer_.take_due(Clock::now() + std::chrono::hours{1});
  }
  try {
    for (const auto& edit : last) {
      if (edit.final) (void)outbox_.try_edit(edit.chat_id, edit.message_id, edit.text);
    }
  } catch (const std::exception& e) {
    log_.error("job status edit failed", {{"error", redact(e.what())}});
  }
}

}  // namespace teltubby::botsvc
