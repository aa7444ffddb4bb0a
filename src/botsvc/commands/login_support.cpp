// The worker login commands' shared pieces: deleting the message with the secret, and
// the replies of /mtcode and /mtpass.
#include "botsvc/commands/login_support.hpp"

#include "bot/html.hpp"
#include "core/log.hpp"
#include "jobs/job_views.hpp"

namespace teltubby::botsvc {
namespace {

const Logger& log() {
  static const Logger logger{"bot.login"};
  return logger;
}

std::string_view noun(LoginInput input) { return input == LoginInput::code ? "code" : "password"; }

std::string deletion_note(LoginInput input, bool message_deleted) {
  if (message_deleted) return "\nI deleted your message, so the " + std::string(noun(input)) + " is not left in this chat.";
  return "\n⚠️ I could not delete your message: please delete it yourself, it holds the " + std::string(noun(input)) +
         ".";
}

}  // namespace

bool delete_secret_message(CommandContext& context) {
  if (!context.delete_message || context.message_id == 0) return false;
  auto deleted = context.delete_message(context.chat_id, context.message_id);
  if (!deleted) {
    log().warn("could not delete a message holding login input",
               {{"chat_id", context.chat_id}, {"message_id", context.message_id}, {"error", deleted.error().describe()}});
    return false;
  }
  return true;
}

std::string render_login_input_sent(LoginInput input, bool message_deleted) {
  const std::string what = input == LoginInput::code ? "Login code" : "Password";
  return "✅ " + what + " passed to the worker. It tells you here whether Telegram accepted it." +
         deletion_note(input, message_deleted);
}

std::string render_login_input_refused(LoginInput input, const Error& problem, bool message_deleted) {
  const std::string usage = input == LoginInput::code
                                ? "Send it as /mtcode 1-2-3-4-5, with separators between the digits (Telegram "
                                  "voids a login code sent plainly in a chat)."
                                : "Send it as /mtpass &lt;password&gt;.";
  return "Not sent: " + bot::html_escape(problem.message) + ". " + usage + deletion_note(input, message_deleted);
}

std::string render_login_input_not_delivered(LoginInput input, const Error& error, bool message_deleted) {
  return "Could not pass the " + std::string(noun(input)) + " to the worker (the job queue is unreachable: " +
         bot::html_escape(error.message) + "). Send it again in a moment." + deletion_note(input, message_deleted);
}

std::string render_login_not_running(std::string_view command, std::optional<bool> message_deleted) {
  std::string text = jobs::render_jobs_not_running(command, jobs::Format::html) +
                     " The worker's login needs them: nothing was sent.";
  if (message_deleted) text += deletion_note(command == "mtpass" ? LoginInput::password : LoginInput::code, *message_deleted);
  return text;
}

}  // namespace teltubby::botsvc
