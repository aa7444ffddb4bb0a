// /mtqr: asks the worker for a QR login; the worker answers with a worker.auth
// needs_qr event, which the bot sends to the admins as a picture (auth_notices).
#include "bot/html.hpp"
#include "botsvc/commands/command_context.hpp"

namespace teltubby::botsvc {

std::string handle_mtqr(CommandContext& context, const bot::ParsedCommand& command) {
  if (context.worker_control == nullptr) return render_login_not_running(command.name, std::nullopt);
  auto sent = context.worker_control->send_to_worker(queue::QrRequestControl{});
  if (!sent) return render_qr_not_requested(sent.error());
  return render_qr_requested();
}

std::string render_qr_requested() {
  return "Asked the worker for a QR login. The QR code comes here as a picture in a few seconds: scan it with the "
         "worker's account in Telegram &gt; Settings &gt; Devices &gt; Link Desktop Device.";
}

std::string render_qr_not_requested(const Error& error) {
  return "Could not ask the worker for a QR login (the job queue is unreachable: " + bot::html_escape(error.message) +
         "). Try /mtqr again in a moment.";
}

}  // namespace teltubby::botsvc
