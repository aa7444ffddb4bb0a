#pragma once
// `--env-file PATH`, which every command that reads the configuration takes: taken out
// of the arguments here, once, so each command parses only its own options.
#include <expected>
#include <filesystem>
#include <string_view>
#include <optional>
#include <string>
#include <vector>

#include "app/commands.hpp"

namespace teltubby::app {

struct WithEnvFile {
  std::optional<std::filesystem::path> env_file;  // nullopt: ./.env when present
  std::vector<std::string> rest;                  // the other arguments, in order
};

// The error is a sentence for the user ("--env-file needs a path").
std::expected<WithEnvFile, std::string> take_env_file(CommandArgs args);

// For commands whose only option is --env-file (bot, worker, doctor): nullopt after the
// usage error is printed ("teltubby <command>: ..." and `usage`) — exit 2.
std::optional<WithEnvFile> only_env_file(CommandArgs args, std::string_view command, std::string_view usage);

}  // namespace teltubby::app
