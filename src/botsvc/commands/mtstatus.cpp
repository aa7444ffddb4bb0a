// /mtstatus: what the bot last heard from the worker (heartbeat and login state).
// Read from the store, so it answers even while the job queue is down.
#include "botsvc/commands/command_context.hpp"
#include "botsvc/commands/job_command_support.hpp"
#include "jobs/job_views.hpp"
#include "jobs/worker_status.hpp"

namespace teltubby::botsvc {

std::string handle_mtstatus(CommandContext& context, const bot::ParsedCommand&) {
  auto status = jobs::read_worker_status(context.store);
  if (!status) return jobs::render_refusal("read the worker status", status.error(), jobs::Format::html);
  return jobs::render_worker_status(*status, now_seconds(), worker_stale_after(context.config), jobs::Format::html);
}

}  // namespace teltubby::botsvc
