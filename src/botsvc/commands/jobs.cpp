// /jobs <id> and its one-tap form /jobs_<8 hex>: one job's details and history.
// Without an id: the overview, as /queue.
#include "botsvc/commands/command_context.hpp"
#include "jobs/job_ref.hpp"
#include "jobs/job_views.hpp"

namespace teltubby::botsvc {

std::string handle_jobs(CommandContext& context, const bot::ParsedCommand& command) {
  if (context.queue_control == nullptr) return jobs::render_jobs_not_running(command.name, jobs::Format::html);
  if (command.args.find_first_not_of(" \t\n") == std::string::npos) return handle_queue(context, command);
  auto id = jobs::parse_job_arg(command.args, "/jobs <job id>");
  if (!id) return jobs::render_refusal("show the job", id.error(), jobs::Format::html);
  auto job = jobs::find_job(context.store, *id);
  if (!job) return jobs::render_refusal("show the job", job.error(), jobs::Format::html);
  auto history = context.store.job_events(job->job_id);
  if (!history) return jobs::render_refusal("show the job", history.error(), jobs::Format::html);
  return jobs::render_job(*job, *history, jobs::Format::html);
}

}  // namespace teltubby::botsvc
