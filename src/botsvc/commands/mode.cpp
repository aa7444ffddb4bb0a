#include "bot/html.hpp"
#include "botsvc/commands/command_context.hpp"

namespace teltubby::botsvc {

std::string render_mode(std::string_view mode, const std::vector<std::pair<std::string, std::string>>& settings) {
  std::string text = "Mode: <b>" + bot::html_escape(mode) + "</b>\n<pre>";
  for (const auto& [name, value] : settings) {
    if (value.empty()) continue;  // unset: the table in the README says what that means
    text += bot::html_escape(name) + "=" + bot::html_escape(value) + "\n";
  }
  text += "</pre>";
  return text;
}

std::string handle_mode(CommandContext& context, const bot::ParsedCommand&) {
  return render_mode(to_string(context.config.telegram_mode), describe_config(context.config));
}

}  // namespace teltubby::botsvc
