// /cancel <id>: a PENDING, RETRYING or PROCESSING job stops (see jobs::cancel_job).
#include "botsvc/commands/command_context.hpp"
#include "jobs/job_admin.hpp"
#include "jobs/job_ref.hpp"
#include "jobs/job_views.hpp"

namespace teltubby::botsvc {

std::string handle_cancel(CommandContext& context, const bot::ParsedCommand& command) {
  if (context.queue_control == nullptr) return jobs::render_jobs_not_running(command.name, jobs::Format::html);
  auto id = jobs::parse_job_arg(command.args, "/cancel <job id>");
  if (!id) return jobs::render_refusal("cancel", id.error(), jobs::Format::html);
  auto outcome = jobs::cancel_job(context.store, *id);
  if (!outcome) return jobs::render_refusal("cancel", outcome.error(), jobs::Format::html);
  context.queue_control->job_changed(outcome->job.job_id);
  return jobs::render_cancelled(*outcome, jobs::Format::html);
}

}  // namespace teltubby::botsvc
