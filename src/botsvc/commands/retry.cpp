// /retry <id>: a FAILED or CANCELLED job runs again (published at once by the bot).
#include "botsvc/commands/command_context.hpp"
#include "jobs/job_admin.hpp"
#include "jobs/job_ref.hpp"
#include "jobs/job_views.hpp"

namespace teltubby::botsvc {

std::string handle_retry(CommandContext& context, const bot::ParsedCommand& command) {
  if (context.queue_control == nullptr) return jobs::render_jobs_not_running(command.name, jobs::Format::html);
  auto id = jobs::parse_job_arg(command.args, "/retry <job id>");
  if (!id) return jobs::render_refusal("retry", id.error(), jobs::Format::html);
  auto outcome = jobs::retry_job(context.store, *id);
  if (!outcome) return jobs::render_refusal("retry", outcome.error(), jobs::Format::html);
  context.queue_control->job_changed(outcome->job.job_id);
  context.queue_control->publish_soon();
  return jobs::render_retried(*outcome, jobs::Format::html);
}

}  // namespace teltubby::botsvc
