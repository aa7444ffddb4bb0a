// /queue: jobs by state and the active ones, newest first, with the broker's depths.
#include "botsvc/commands/command_context.hpp"
#include "jobs/job_admin.hpp"
#include "jobs/job_views.hpp"

namespace teltubby::botsvc {

std::string handle_queue(CommandContext& context, const bot::ParsedCommand& command) {
  if (context.queue_control == nullptr) return jobs::render_jobs_not_running(command.name, jobs::Format::html);
  auto overview = jobs::load_queue_overview(context.store, jobs::kQueueOverviewLimit);
  if (!overview) return jobs::render_refusal("list the jobs", overview.error(), jobs::Format::html);
  return jobs::render_queue(*overview, jobs::Format::html) + "\n" +
         jobs::render_queue_depths(context.queue_control->depths(), jobs::Format::html);
}

}  // namespace teltubby::botsvc
