#include "bot/commands.hpp"

#include <array>
#include <cctype>
#include <vector>

#include "bot/html.hpp"

namespace teltubby::bot {
namespace {

constexpr std::array<CommandSpec, 15> kCommands = {{
    {"start", "", "What this bot does and how to archive"},
    {"help", "", "This list of commands"},
    {"status", "", "Mode, dependencies, worker, quota and queue"},
    {"quota", "", "Storage used against the bucket quota"},
    {"mode", "", "Effective configuration, secrets masked"},
    {"db_maint", "", "Database VACUUM and integrity check"},
    {"queue", "", "Pending and running large-file jobs"},
    {"jobs", "<job id>", "Details and history of one job"},
    {"retry", "<job id>", "Run a failed or cancelled job again"},
    {"cancel", "<job id>", "Cancel a pending or running job"},
    {"priority", "<job id> high|urgent", "Move a job ahead in the queue"},
    {"mtstatus", "", "Login state of the worker account"},
    {"mtcode", "<code>", "Login code for the worker, typed like 1-2-3-4-5"},
    {"mtpass", "<password>", "Two-step verification password for the worker"},
    {"mtqr", "", "Log the worker in by scanning a QR code"},
}};

constexpr std::string_view kJobsShortcutPrefix = "jobs_";

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }
bool is_command_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }
bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

std::string_view trim(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

std::vector<std::string_view> split_words(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_space(text[i])) ++i;
    std::size_t start = i;
    while (i < text.size() && !is_space(text[i])) ++i;
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  return words;
}

}  // namespace

std::span<const CommandSpec> command_table() { return kCommands; }

bool is_known_command(std::string_view name) {
  for (const auto& spec : kCommands) {
    if (spec.name == name) return true;
  }
  return false;
}

std::string render_help() {
  std::string text = "<b>teltubby</b> archives what you forward or copy here.\n\n";
  for (const auto& spec : kCommands) {
    text += "/";
    text += spec.name;
    if (!spec.args.empty()) {
      text += " ";
      text += html_escape(spec.args);
    }
    text += " — ";
    text += html_escape(spec.description);
    text += "\n";
  }
  text.pop_back();  // no trailing newline
  return text;
}

nlohmann::json bot_commands_json() {
  auto commands = nlohmann::json::array();
  for (const auto& spec : kCommands) {
    commands.push_back({{"command", std::string(spec.name)}, {"description", std::string(spec.description)}});
  }
  return commands;
}

std::optional<ParsedCommand> parse_command_text(std::string_view text) {
  if (text.empty() || text.front() != '/') return std::nullopt;
  std::size_t end = 1;
  while (end < text.size() && !is_space(text[end])) ++end;
  std::string_view token = text.substr(1, end - 1);
  std::string_view rest = text.substr(end);
  while (!rest.empty() && is_space(rest.front())) rest.remove_prefix(1);

  ParsedCommand command;
  if (auto at = token.find('@'); at != std::string_view::npos) {
    std::string_view bot = token.substr(at + 1);
    token = token.substr(0, at);
    if (bot.empty()) return std::nullopt;
    for (char c : bot) {
      if (!is_command_char(c)) return std::nullopt;
    }
    command.addressed_to = std::string(bot);
  }
  if (token.empty()) return std::nullopt;

  std::string name;
  for (char c : token) name += lower(c);
  // "/jobs_<id>": the shortcut carries its argument in the name. The id may contain
  // '-' when typed by hand, so it is taken verbatim and validated by the handler.
  if (name.starts_with(kJobsShortcutPrefix) && name.size() > kJobsShortcutPrefix.size()) {
    command.name = "jobs";
    command.args = std::string(token.substr(kJobsShortcutPrefix.size()));
    return command;
  }
  for (char c : name) {
    if (!is_command_char(c)) return std::nullopt;
  }
  if (name.size() > 32) return std::nullopt;  // Telegram's limit for a command name
  command.name = std::move(name);
  command.args = std::string(rest);
  return command;
}

Result<std::string> validate_job_id(std::string_view text) {
  text = trim(text);
  // Canonical 8-4-4-4-12 (separators '-' or '_') or compact 32 hex digits.
  std::string hex;
  if (text.size() == 36) {
    for (std::size_t i = 0; i < text.size(); ++i) {
      const bool separator_position = i == 8 || i == 13 || i == 18 || i == 23;
      const bool is_separator = text[i] == '-' || text[i] == '_';
      if (separator_position != is_separator) {
        hex.clear();
        break;
      }
      if (!is_separator) hex += text[i];
    }
  } else if (text.size() == 32) {
    hex = std::string(text);
  }
  bool ok = hex.size() == 32;
  for (char& c : hex) {
    if (!is_hex(c)) ok = false;
    c = lower(c);
  }
  // Version nibble 4, variant 10xx (8, 9, a, b).
  if (ok && (hex[12] != '4' || std::string_view("89ab").find(hex[16]) == std::string_view::npos)) ok = false;
  if (!ok) {
    return fail(ErrorKind::invalid_input, "bot.bad_job_id",
                "not a job id (expected a UUID like 3f2b8c1e-9a4d-4f6b-8c2e-1a2b3c4d5e6f)");
  }
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" + hex.substr(16, 4) + "-" +
         hex.substr(20);
}

std::string job_shortcut(std::string_view job_id) {
  std::string shortcut = "/jobs_";
  for (char c : job_id) {
    if (c != '-') shortcut += lower(c);
  }
  return shortcut;
}

std::string_view to_string(JobPriority priority) {
  switch (priority) {
    case JobPriority::normal: return "normal";
    case JobPriority::high: return "high";
    case JobPriority::urgent: return "urgent";
  }
  return "normal";
}

Result<std::string> parse_job_id_arg(std::string_view args) {
  auto words = split_words(args);
  if (words.size() != 1) return fail(ErrorKind::invalid_input, "bot.bad_arguments", "expected one job id");
  return validate_job_id(words.front());
}

Result<PriorityRequest> parse_priority_args(std::string_view args) {
  auto words = split_words(args);
  if (words.size() != 2) {
    return fail(ErrorKind::invalid_input, "bot.bad_arguments", "usage: /priority <job id> high|urgent");
  }
  auto id = validate_job_id(words[0]);
  if (!id) return std::unexpected(id.error());
  std::string level;
  for (char c : words[1]) level += lower(c);
  PriorityRequest request{*id, JobPriority::high};
  if (level == "high") {
    request.priority = JobPriority::high;
  } else if (level == "urgent") {
    request.priority = JobPriority::urgent;
  } else {
    return fail(ErrorKind::invalid_input, "bot.bad_arguments", "priority must be high or urgent");
  }
  return request;
}

Result<std::string> parse_login_code(std::string_view args) {
  std::string digits;
  for (char c : args) {
    if (is_space(c) || c == '-' || c == '.' || c == '_') continue;
    if (c < '0' || c > '9') {
      return fail(ErrorKind::invalid_input, "bot.bad_login_code",
                  "the code may contain only digits and separators (space - . _)");
    }
    digits += c;
  }
  if (digits.size() < 5 || digits.size() > 8) {
    return fail(ErrorKind::invalid_input, "bot.bad_login_code", "a login code has 5 to 8 digits");
  }
  return digits;
}

}  // namespace teltubby::bot
