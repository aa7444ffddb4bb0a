#pragma once
// The bot's command table and the parsing of command text and arguments. One table
// (name, argument synopsis, one-line description) feeds /help and setMyCommands, so
// the two can never disagree.
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace teltubby::bot {

struct CommandSpec {
  std::string_view name;         // without the slash: "priority"
  std::string_view args;         // synopsis for /help, "" when none: "<job id> high|urgent"
  std::string_view description;  // one line, plain text (also sent to setMyCommands)
};

// Every command the bot answers, in /help order.
std::span<const CommandSpec> command_table();
bool is_known_command(std::string_view name);

// /help text (HTML, nothing user-supplied in it): one line per command.
std::string render_help();

// The `commands` array for setMyCommands: [{"command": name, "description": ...}].
nlohmann::json bot_commands_json();

// "/cmd@botname args" split into its parts. Name lower-cased; args with the separating
// whitespace removed (inner and trailing text kept as typed: a password may end in
// a space). `addressed_to` is the @botname when given. The one-tap shortcut
// "/jobs_<id>" comes out as name "jobs" with the id as args (see job_shortcut).
// nullopt when `text` is not a command (no leading '/', or an empty/invalid name).
struct ParsedCommand {
  std::string name;
  std::string args;
  std::optional<std::string> addressed_to;
};
std::optional<ParsedCommand> parse_command_text(std::string_view text);

// A job id is a UUID version 4. Accepts the canonical form in any case and the
// compact 32-hex-digit form (used in shortcuts, since Telegram only makes
// [A-Za-z0-9_] clickable in a command); returns the canonical lower-case form
// "xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx". Error code "bot.bad_job_id".
Result<std::string> validate_job_id(std::string_view text);

// "/jobs_<32 hex>" for a canonical job id: one tap opens /jobs for that job.
std::string job_shortcut(std::string_view job_id);

enum class JobPriority { normal, high, urgent };
std::string_view to_string(JobPriority priority);

// "/priority <id> high|urgent". Error code "bot.bad_arguments" with usage text.
struct PriorityRequest {
  std::string job_id;  // canonical
  JobPriority priority = JobPriority::high;
};
Result<PriorityRequest> parse_priority_args(std::string_view args);

// "/jobs <id>", "/retry <id>", "/cancel <id>": exactly one job id.
Result<std::string> parse_job_id_arg(std::string_view args);

// "/mtcode 1-2-3-4-5" -> "12345". Separators (spaces, '-', '.', '_') are dropped
// because Telegram voids a login code that is sent plainly in a chat. What remains
// must be 5 to 8 digits. The error never repeats the code. Code "bot.bad_login_code".
Result<std::string> parse_login_code(std::string_view args);

}  // namespace teltubby::bot
