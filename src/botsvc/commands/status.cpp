#include "bot/html.hpp"
#include "bot/receipt.hpp"
#include "botsvc/commands/command_context.hpp"
#include "botsvc/commands/job_command_support.hpp"
#include "jobs/job_views.hpp"
#include "jobs/worker_status.hpp"

namespace teltubby::botsvc {

std::string render_status(const StatusView& status) {
  std::string text = "<b>teltubby status</b>\nMode: " + bot::html_escape(status.mode) +
                     "\nUp for: " + bot::human_duration(status.uptime) + "\n";
  text += status.health.ok ? "Dependencies: all ok\n" : "Dependencies: some failing\n";
  for (const auto& [name, check] : status.health.checks) {
    text += (check.ok ? "✅ " : "❌ ") + bot::html_escape(name);
    if (!check.ok && !check.reason.empty()) text += ": " + bot::html_escape(check.reason);
    text += "\n";
  }
  text += "Storage: " + render_quota(status.used_bytes, status.quota_bytes) + "\n";
  text += "Messages waiting to be archived: " + std::to_string(status.messages_waiting) + "\n";
  if (status.job_lines) {
    text += jobs::render_jobs_status(*status.job_lines, status.now, status.worker_stale_after, jobs::Format::html);
  } else {
    text += "Jobs and worker: unknown (the database did not answer)";
  }
  return text;
}

std::string handle_status(CommandContext& context, const bot::ParsedCommand&) {
  StatusView view;
  view.mode = std::string(to_string(context.config.telegram_mode));
  view.health = context.health.report();
  view.used_bytes = context.usage.used_bytes();
  view.quota_bytes = context.usage.quota_bytes();
  view.messages_waiting = context.messages_waiting;
  view.uptime = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - context.started_at);
  view.now = now_seconds();
  view.worker_stale_after = worker_stale_after(context.config);
  auto counts = context.store.count_jobs_by_state();
  auto worker = jobs::read_worker_status(context.store);
  if (counts && worker) {
    jobs::JobsStatus jobs_status;
    if (context.queue_control != nullptr) jobs_status.depths = context.queue_control->depths();
    jobs_status.counts = *std::move(counts);
    jobs_status.worker = *std::move(worker);
    view.job_lines = std::move(jobs_status);
  }
  return render_status(view);
}

}  // namespace teltubby::botsvc
