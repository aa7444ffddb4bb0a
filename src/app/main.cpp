// teltubby: one binary, one subcommand per process role (DESIGN.md section 2).
#include <array>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "app/commands.hpp"
#include "core/error.hpp"
#include "core/log.hpp"

namespace teltubby::app {
namespace {

int run_help(CommandArgs);

// The command table: add a subcommand by writing command_<name>.cpp and a row here.
constexpr std::array kCommands{
    Command{"help", "show this help", run_help},
    Command{"version", "print version and build information (also --version)", run_version},
    Command{"slug", "print the archive slug of TEXT (transliterated, [a-z0-9-])", run_slug},
    Command{"config", "print the configuration, secrets masked (--markdown: reference)", run_config},
    Command{"bot", "run the Telegram bot: archive what curators send (SIGTERM stops it)", run_bot},
    Command{"worker", "run the large-file worker (consumes jobs from RabbitMQ)", run_worker},
    Command{"jobs", "list, show, retry or cancel large-file jobs (jobs help)", run_jobs},
    Command{"login", "log the worker's Telegram account in from this terminal (--qr: by QR code)", run_login},
    Command{"doctor", "check configuration, TDLib, session, storage, database and queue", run_doctor},
};

int run_help(CommandArgs) {
  std::cout << "teltubby: archive Telegram messages and their media to S3-compatible storage\n\n"
               "usage: teltubby <command> [options]\n\ncommands:\n";
  for (const auto& command : kCommands) {
    std::cout << "  " << command.name << std::string(12 - command.name.size(), ' ') << command.summary << '\n';
  }
  return 0;
}

}  // namespace
}  // namespace teltubby::app

int main(int argc, char** argv) {
  using namespace teltubby::app;
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string name = args.empty() ? "help" : args.front();
  if (name == "--version" || name == "-V") name = "version";
  if (name == "--help" || name == "-h") name = "help";
  for (const auto& command : kCommands) {
    if (command.name != name) continue;
    try {
      return command.run(CommandArgs(args).subspan(args.empty() ? 0 : 1));
    } catch (const teltubby::FatalError& error) {
      std::cerr << "teltubby " << name << ": " << teltubby::redact(error.what()) << '\n';
      return 1;
    } catch (const std::exception& error) {
      std::cerr << "teltubby " << name << ": unexpected error: " << teltubby::redact(error.what()) << '\n';
      return 1;
    }
  }
  std::cerr << "teltubby: unknown command '" << name << "' (try 'teltubby help')\n";
  return 2;
}
