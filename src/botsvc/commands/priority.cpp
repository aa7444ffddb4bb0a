// /priority <id> high|urgent (or normal): a waiting job moves into the priority lane.
#include "botsvc/commands/command_context.hpp"
#include "jobs/job_admin.hpp"
#include "jobs/job_ref.hpp"
#include "jobs/job_views.hpp"

namespace teltubby::botsvc {

std::string handle_priority(CommandContext& context, const bot::ParsedCommand& command) {
  if (context.queue_control == nullptr) return jobs::render_jobs_not_running(command.name, jobs::Format::html);
  auto request = jobs::parse_priority_args(command.args, "/priority <job id> high|urgent");
  if (!request) return jobs::render_refusal("change the priority", request.error(), jobs::Format::html);
  auto outcome = jobs::set_priority(context.store, request->job, request->priority);
  if (!outcome) return jobs::render_refusal("change the priority", outcome.error(), jobs::Format::html);
  // A PENDING job is now unpublished: republish it into its new lane without waiting
  // for the sweep (a no-op for the others).
  context.queue_control->publish_soon();
  return jobs::render_priority_set(*outcome, jobs::Format::html);
}

}  // namespace teltubby::botsvc
