#include "app/env_file_option.hpp"

#include <iostream>

namespace teltubby::app {

std::expected<WithEnvFile, std::string> take_env_file(CommandArgs args) {
  WithEnvFile parsed;
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] != "--env-file") {
      parsed.rest.push_back(args[i]);
      continue;
    }
    if (i + 1 == args.size() || args[i + 1].empty()) return std::unexpected("--env-file needs a path");
    if (parsed.env_file) return std::unexpected("--env-file given twice");
    parsed.env_file = args[++i];
  }
  return parsed;
}

std::optional<WithEnvFile> only_env_file(CommandArgs args, std::string_view command, std::string_view usage) {
  auto options = take_env_file(args);
  if (options && options->rest.empty()) return std::move(*options);
  std::cerr << "teltubby " << command << ": "
            << (options ? "unexpected argument '" + options->rest.front() + "'" : options.error()) << '\n'
            << usage;
  return std::nullopt;
}

}  // namespace teltubby::app
