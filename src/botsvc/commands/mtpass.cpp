// /mtpass <password>: the worker account's two-step verification password, taken
// exactly as typed (it may end in a space).
#include "botsvc/commands/command_context.hpp"
#include "botsvc/commands/login_support.hpp"

namespace teltubby::botsvc {

std::string handle_mtpass(CommandContext& context, const bot::ParsedCommand& command) {
  // First, whatever follows: the password must not stay in the chat.
  const bool deleted = delete_secret_message(context);
  if (context.worker_control == nullptr) return render_login_not_running(command.name, deleted);
  if (command.args.empty()) {
    const Error empty{ErrorKind::invalid_input, "bot.bad_password", "the password is missing", {}};
    return render_login_input_refused(LoginInput::password, empty, deleted);
  }
  auto sent = context.worker_control->send_to_worker(queue::AuthPasswordControl{command.args});
  if (!sent) return render_login_input_not_delivered(LoginInput::password, sent.error(), deleted);
  return render_login_input_sent(LoginInput::password, deleted);
}

}  // namespace teltubby::botsvc
