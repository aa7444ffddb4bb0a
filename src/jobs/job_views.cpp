#include "jobs/job_views.hpp"

#include "archive/timestamp.hpp"
#include "bot/html.hpp"
#include "bot/receipt.hpp"
#include "jobs/job_ref.hpp"

namespace teltubby::jobs {
namespace {

using store::JobState;

// Longest error text shown in a line; Telegram caps a message at 4096 characters.
constexpr std::size_t kMaxErrorChars = 300;

// Cuts `text` to at most `max_bytes` at a UTF-8 character boundary, marking the cut.
std::string shorten(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return std::string(text);
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0U) == 0x80U) --end;
  return std::string(text.substr(0, end)) + "…";
}

// Outside text: escaped for HTML, kept as is for the terminal (control characters but
// newline and tab become spaces, so a stored error cannot move the cursor).
std::string outside(std::string_view text, Format format) {
  if (format == Format::html) return bot::html_escape(text);
  std::string clean;
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    const bool control = (byte < 0x20 && c != '\n' && c != '\t') || byte == 0x7F;
    clean += control ? ' ' : c;
  }
  return clean;
}

std::string bold(std::string_view already_safe, Format format) {
  return format == Format::html ? "<b>" + std::string(already_safe) + "</b>" : std::string(already_safe);
}

std::string code(std::string_view text, Format format) {
  return format == Format::html ? "<code>" + bot::html_escape(text) + "</code>" : outside(text, format);
}

std::string when(store::Timestamp at) {
  return archive::format_iso8601_utc(std::chrono::floor<std::chrono::seconds>(at));
}

std::string state_name(JobState state) { return std::string(store::to_string(state)); }

std::string_view state_emoji(JobState state) {
  switch (state) {
    case JobState::pending: return "⏳";
    case JobState::processing: return "▶️";
    case JobState::retrying: return "🔁";
    case JobState::completed: return "✅";
    case JobState::failed: return "❌";
    case JobState::cancelled: return "🚫";
  }
  return "";
}

// The job as a curator refers to it: the one-tap shortcut in the bot, the full id in a shell.
std::string job_name(std::string_view job_id, Format format) {
  return format == Format::html ? job_shortcut_command(job_id) : outside(job_id, format);
}

std::string counts_line(const std::map<JobState, std::int64_t>& counts) {
  std::string line;
  for (const JobState state : {JobState::pending, JobState::processing, JobState::retrying, JobState::failed,
                               JobState::cancelled, JobState::completed}) {
    const auto found = counts.find(state);
    if (!line.empty()) line += " · ";
    line += state_name(state) + " " + std::to_string(found == counts.end() ? 0 : found->second);
  }
  return line;
}

std::string_view lane_of(store::JobPriority priority) {
  return priority == store::JobPriority::normal ? "normal" : "priority";
}

}  // namespace

std::string human_age(std::chrono::seconds age) {
  const auto seconds = age.count() < 0 ? 0 : age.count();
  if (seconds < 60) return std::to_string(seconds) + " s";
  const auto minutes = seconds / 60;
  if (minutes < 60) return std::to_string(minutes) + " min";
  const auto hours = minutes / 60;
  if (hours < 24) return std::to_string(hours) + " h " + std::to_string(minutes % 60) + " min";
  return std::to_string(hours / 24) + " d " + std::to_string(hours % 24) + " h";
}

std::string render_queue(const QueueOverview& overview, Format format) {
  std::string text = bold("Large-file jobs", format) + "\n" + counts_line(overview.counts) + "\n";
  if (overview.active.empty()) return text + "No job is pending, running or waiting to retry.";
  text += "\nActive, newest first:\n";
  for (const auto& job : overview.active) {
    if (format == Format::html) text += std::string(state_emoji(job.state)) + " ";
    text += job_name(job.job_id, format) + " " + state_name(job.state) + " · " + bot::human_bytes(job.file_size) +
            " · " + std::string(store::to_string(job.priority));
    if (job.attempt > 0) text += " · attempt " + std::to_string(job.attempt);
    text += "\n";
  }
  if (overview.active_total > overview.active.size()) {
    text += "… and " + std::to_string(overview.active_total - overview.active.size()) + " more\n";
  }
  text.pop_back();
  return text;
}

std::string render_job(const store::JobRecord& job, std::span<const store::JobEvent> history, Format format) {
  std::string text = bold("Job", format) + " " + code(job.job_id, format) + "\n";
  text += "State: " + std::string(format == Format::html ? std::string(state_emoji(job.state)) + " " : "") +
          state_name(job.state) + "\n";
  text += "Priority: " + std::string(store::to_string(job.priority)) + "\n";
  text += "Attempt: " + std::to_string(job.attempt) + " (retries allowed: " + std::to_string(job.max_retries) + ")\n";
  text += "Size: " + bot::human_bytes(job.file_size) + "\n";
  text += "File: " + code(job.file_unique_id, format) + "\n";
  text += "Key: " + (job.s3_key ? code(*job.s3_key, format) : std::string("—")) + "\n";
  if (job.last_error) text += "Last error: " + outside(shorten(*job.last_error, kMaxErrorChars), format) + "\n";
  text += "Created: " + when(job.created_at) + "\nUpdated: " + when(job.updated_at) + "\n";
  if (job.state == JobState::pending) text += job.published ? "Queued: yes\n" : "Queued: not yet (the bot publishes it)\n";
  text += "\n" + bold("History", format) + "\n";
  std::size_t first = 0;
  if (history.size() > kJobHistoryLimit) {
    first = history.size() - kJobHistoryLimit;
    text += "(" + std::to_string(first) + " earlier changes not shown)\n";
  }
  for (std::size_t i = first; i < history.size(); ++i) {
    const auto& event = history[i];
    text += when(event.at) + " " + (event.from_state ? state_name(*event.from_state) : std::string("created")) + " → " +
            state_name(event.to_state) + " · attempt " + std::to_string(event.attempt);
    if (event.bytes) text += " · " + bot::human_bytes(*event.bytes);
    if (event.error) text += " · " + outside(shorten(*event.error, kMaxErrorChars), format);
    text += "\n";
  }
  if (history.empty()) text += "no history recorded\n";
  text.pop_back();
  return text;
}

std::string render_worker_status(const WorkerStatus& status, std::chrono::sys_seconds now,
                                 std::chrono::seconds stale_after, Format format) {
  if (!status.heartbeat && !status.auth) return "No worker has reported yet.";
  const bool online = worker_online(status, now, stale_after);
  std::string text = bold("Worker", format) + ": ";
  if (format == Format::html) text += online ? "🟢 " : "🔴 ";
  text += online ? "online\n" : "offline\n";
  if (status.heartbeat) {
    const auto& beat = *status.heartbeat;
    text += "Id: " + code(beat.worker_id, format) + "\n";
    text += "State: " + outside(beat.state, format) + "\n";
    if (beat.current_job) {
      text += "Current job: " + job_name(*beat.current_job, format);
      // The speed from the job's latest progress, if it is this job's and recent.
      const auto& progress = status.progress;
      if (progress && progress->job_id == *beat.current_job && now - progress->at <= stale_after) {
        text += " · " + outside(progress->phase, format) + " " + std::to_string(static_cast<int>(progress->percent)) +
                "%";
        if (progress->bytes_per_second > 0) {
          text += " at " + bot::human_bytes(static_cast<std::int64_t>(progress->bytes_per_second)) + "/s";
        }
      }
      text += "\n";
    }
    if (beat.cache_bytes) text += "TDLib cache: " + bot::human_bytes(*beat.cache_bytes) + "\n";
    text += "Version: " + outside(beat.version, format) + "\n";
    text += "Last heartbeat: " + human_age(now - beat.at) + " ago\n";
  } else {
    text += "Last heartbeat: never\n";
  }
  if (status.auth) {
    const auto& auth = *status.auth;
    if (auth.state == "ready" && auth.account_name) {
      text += "Account: " + outside(*auth.account_name, format);
      if (auth.user_id) text += " (id " + std::to_string(*auth.user_id) + ")";
      text += "\n";
    }
    if (auth.state == "ready" && auth.session_since) {
      text += "Session: logged in " + human_age(now - *auth.session_since) + " ago\n";
    }
    text += "Login: " + outside(auth.state, format);
    if (auth.reason) text += " (" + outside(shorten(*auth.reason, kMaxErrorChars), format) + ")";
    text += ", " + human_age(now - auth.at) + " ago\n";
    if (auth.retry_after_seconds && *auth.retry_after_seconds > 0) {
      text += "Telegram asks to wait " + human_age(std::chrono::seconds{*auth.retry_after_seconds}) + "\n";
    }
  } else {
    text += "Login: not reported yet\n";
  }
  if (status.worker_user_id) text += "Worker account user id: " + std::to_string(*status.worker_user_id) + "\n";
  text.pop_back();
  return text;
}

std::string render_retried(const AdminOutcome& outcome, Format format) {
  const auto& job = outcome.job;
  return "🔁 Job " + job_name(job.job_id, format) + " was " + state_name(outcome.previous) + " and is " +
         state_name(job.state) + " again; it goes to the " + std::string(lane_of(job.priority)) + " queue.";
}

std::string render_cancelled(const AdminOutcome& outcome, Format format) {
  std::string text = "🚫 Job " + job_name(outcome.job.job_id, format) + " is cancelled";
  if (outcome.previous == JobState::processing) {
    text += "; the worker stops it at its next checkpoint and deletes what it wrote.";
  } else {
    text += " (it was " + state_name(outcome.previous) + "); it will not run.";
  }
  return text;
}

std::string render_priority_set(const AdminOutcome& outcome, Format format) {
  const auto& job = outcome.job;
  std::string text = "Job " + job_name(job.job_id, format) + " now has priority " +
                     std::string(store::to_string(job.priority));
  if (job.state == JobState::pending) {
    text += "; it moves to the " + std::string(lane_of(job.priority)) + " queue.";
  } else {
    text += "; it applies when the job is queued again (" + state_name(job.state) + " now).";
  }
  return text;
}

std::string render_refusal(std::string_view action, const Error& error, Format format) {
  std::string text = "Cannot " + outside(action, format) + ": " + outside(error.message, format);
  if (error.retryable()) text += " (try again in a moment)";
  return text;
}

std::string render_jobs_not_running(std::string_view command, Format format) {
  return "/" + outside(command, format) + ": large-file jobs are not running in this bot (the job queue is not set up).";
}

std::string render_queue_depths(const Result<queue::QueueDepths>& depths, Format format) {
  if (!depths) return "Queues: broker unreachable (" + outside(shorten(depths.error().message, kMaxErrorChars), format) + ")";
  return "Queues: normal " + std::to_string(depths->normal) + " · priority " + std::to_string(depths->priority) +
         " · dead-letter " + std::to_string(depths->dead_letter);
}

std::string render_jobs_status(const JobsStatus& status, std::chrono::sys_seconds now,
                               std::chrono::seconds stale_after, Format format) {
  std::string text = status.depths ? render_queue_depths(*status.depths, format) + "\n"
                                    : std::string("Queues: large-file jobs are not running\n");
  text += "Jobs: " + (status.counts.empty() ? std::string("unknown") : counts_line(status.counts)) + "\n";
  text += "Worker: ";
  if (!status.worker.heartbeat && !status.worker.auth) {
    text += "no worker has reported yet";
    return text;
  }
  const bool online = worker_online(status.worker, now, stale_after);
  if (format == Format::html) text += online ? "🟢 " : "🔴 ";
  text += online ? "online" : "offline";
  text += status.worker.auth ? ", login " + outside(status.worker.auth->state, format) : ", login not reported";
  if (status.worker.heartbeat) {
    text += ", last heartbeat " + human_age(now - status.worker.heartbeat->at) + " ago";
  } else {
    text += ", no heartbeat yet";
  }
  return text;
}

}  // namespace teltubby::jobs
