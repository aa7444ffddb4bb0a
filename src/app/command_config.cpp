// `teltubby config [--env-file F] [--role bot|worker|any] [--markdown]`: prints the
// effective configuration with secrets masked (or, with --markdown, the reference
// table of every variable for the README). Problems go to stderr, exit code 2.
#include <iostream>
#include <optional>

#include "app/commands.hpp"
#include "app/env_file_option.hpp"
#include "core/config.hpp"

namespace teltubby::app {
namespace {

constexpr std::string_view kUsage =
    "usage: teltubby config [--env-file PATH] [--role any|bot|worker] [--markdown]\n";

std::optional<ConfigRole> parse_role(std::string_view text) {
  if (text == "any") return ConfigRole::any;
  if (text == "bot") return ConfigRole::bot;
  if (text == "worker") return ConfigRole::worker;
  return std::nullopt;
}

}  // namespace

int run_config(CommandArgs args) {
  const auto options = take_env_file(args);
  if (!options) {
    std::cerr << "teltubby config: " << options.error() << '\n' << kUsage;
    return 2;
  }
  const auto& env_file = options->env_file;
  const std::vector<std::string>& rest = options->rest;
  ConfigRole role = ConfigRole::any;
  bool markdown = false;
  for (std::size_t i = 0; i < rest.size(); ++i) {
    const auto& arg = rest[i];
    if (arg == "--markdown") {
      markdown = true;
    } else if (arg == "--role" && i + 1 < rest.size()) {
      const auto& value = rest[++i];
      if (const auto parsed = parse_role(value)) {
        role = *parsed;
      } else {
        std::cerr << "teltubby config: unknown role '" << value << "'\n" << kUsage;
        return 2;
      }
    } else {
      std::cerr << "teltubby config: unexpected argument '" << arg << "'\n" << kUsage;
      return 2;
    }
  }
  if (markdown) {
    std::cout << config_reference_markdown();
    return 0;
  }
  const auto config = load_startup_config(role, env_file);
  if (!config) {
    std::cerr << "teltubby config: " << config.error().size() << " configuration problem"
              << (config.error().size() == 1 ? "" : "s") << ":\n";
    for (const auto& problem : config.error()) std::cerr << "  " << describe(problem) << '\n';
    return 2;
  }
  std::cout << format_config(*config);
  return 0;
}

}  // namespace teltubby::app
