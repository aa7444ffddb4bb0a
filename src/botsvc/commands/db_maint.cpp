#include "bot/html.hpp"
#include "botsvc/commands/command_context.hpp"
#include "core/log.hpp"

namespace teltubby::botsvc {

std::string render_db_maint(const Status& vacuum, const Result<std::string>& integrity) {
  std::string text = "Database maintenance\nVACUUM: ";
  text += vacuum ? "done" : "failed: " + bot::html_escape(redact(vacuum.error().message));
  text += "\nIntegrity check: ";
  if (!integrity) {
    text += "failed to run: " + bot::html_escape(redact(integrity.error().message));
  } else if (*integrity == "ok") {
    text += "ok";
  } else {
    text += "problems found:\n<pre>" + bot::html_escape(*integrity) + "</pre>";
  }
  return text;
}

std::string handle_db_maint(CommandContext& context, const bot::ParsedCommand&) {
  const auto vacuum = context.store.vacuum();
  const auto integrity = context.store.integrity_check();
  return render_db_maint(vacuum, integrity);
}

}  // namespace teltubby::botsvc
