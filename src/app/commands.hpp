#pragma once
// Each subcommand of `teltubby` is one function in its own command_*.cpp file.
// `args` excludes the program name and the subcommand itself. Return value is the
// process exit code: 0 ok, 1 runtime failure, 2 bad usage or bad configuration.
#include <span>
#include <string>
#include <string_view>

namespace teltubby::app {

using CommandArgs = std::span<const std::string>;

struct Command {
  std::string_view name;
  std::string_view summary;  // one line for `teltubby help`
  int (*run)(CommandArgs args);
};

int run_version(CommandArgs args);
int run_slug(CommandArgs args);
int run_config(CommandArgs args);
int run_bot(CommandArgs args);
int run_worker(CommandArgs args);
int run_jobs(CommandArgs args);
int run_login(CommandArgs args);
int run_doctor(CommandArgs args);

}  // namespace teltubby::app
