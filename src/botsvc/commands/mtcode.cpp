// /mtcode <code>: the login code Telegram sent to the worker account, typed with
// separators (1-2-3-4-5) because Telegram voids a code sent plainly in a chat.
#include "botsvc/commands/command_context.hpp"
#include "botsvc/commands/login_support.hpp"

namespace teltubby::botsvc {

std::string handle_mtcode(CommandContext& context, const bot::ParsedCommand& command) {
  // First, whatever follows: the code must not stay in the chat.
  const bool deleted = delete_secret_message(context);
  if (context.worker_control == nullptr) return render_login_not_running(command.name, deleted);
  auto code = bot::parse_login_code(command.args);
  if (!code) return render_login_input_refused(LoginInput::code, code.error(), deleted);
  auto sent = context.worker_control->send_to_worker(queue::AuthCodeControl{*code});
  if (!sent) return render_login_input_not_delivered(LoginInput::code, sent.error(), deleted);
  return render_login_input_sent(LoginInput::code, deleted);
}

}  // namespace teltubby::botsvc
