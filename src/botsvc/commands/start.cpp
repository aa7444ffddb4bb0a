#include "botsvc/commands/command_context.hpp"

namespace teltubby::botsvc {

std::string render_start() {
  return "Hello! Forward or copy messages to me and I archive their media and a message.json "
         "to storage, then answer with a receipt.\n\n" +
         bot::render_help();
}

std::string handle_start(CommandContext&, const bot::ParsedCommand&) { return render_start(); }

std::string handle_help(CommandContext&, const bot::ParsedCommand&) { return bot::render_help(); }

}  // namespace teltubby::botsvc
