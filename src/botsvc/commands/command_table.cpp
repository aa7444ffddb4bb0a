#include <array>
#include <utility>

#include "bot/html.hpp"
#include "botsvc/commands/command_context.hpp"

namespace teltubby::botsvc {
namespace {

// Every name of bot::command_table() has a row; a test checks that they agree.
constexpr std::array<std::pair<std::string_view, CommandHandler>, 15> kHandlers{{
    {"start", handle_start},
    {"help", handle_help},
    {"status", handle_status},
    {"quota", handle_quota},
    {"mode", handle_mode},
    {"db_maint", handle_db_maint},
    {"queue", handle_queue},
    {"jobs", handle_jobs},
    {"retry", handle_retry},
    {"cancel", handle_cancel},
    {"priority", handle_priority},
    {"mtstatus", handle_mtstatus},
    {"mtcode", handle_mtcode},
    {"mtpass", handle_mtpass},
    {"mtqr", handle_mtqr},
}};

}  // namespace

std::string answer_command(CommandContext& context, const bot::ParsedCommand& command) {
  for (const auto& [name, handler] : kHandlers) {
    if (name == command.name) return handler(context, command);
  }
  return render_unknown_command(command.name);
}

bool has_handler(std::string_view name) {
  for (const auto& [known, handler] : kHandlers) {
    if (known == name) return true;
  }
  return false;
}

std::string render_unknown_command(std::string_view name) {
  return "Unknown command /" + bot::html_escape(name) + ". /help lists what I understand.";
}

}  // namespace teltubby::botsvc
