// The I/O shell around load_config: where the values come from, and what start-up does
// with the secrets once they are known.
#include <system_error>

#include "core/config.hpp"
#include "core/env_file.hpp"

namespace teltubby {

ConfigResult load_startup_config(ConfigRole role, const std::optional<std::filesystem::path>& env_file) {
  EnvMap file_values;
  if (env_file) {
    auto content = read_env_file(*env_file);
    if (!content.problems.empty()) return std::unexpected(std::move(content.problems));
    file_values = std::move(content.values);
  } else {
    std::error_code error;
    if (std::filesystem::is_regular_file(".env", error)) {
      auto content = read_env_file(".env");
      if (!content.problems.empty()) return std::unexpected(std::move(content.problems));
      file_values = std::move(content.values);
    }
  }
  // The real environment wins over the file: `FOO=1 teltubby bot` overrides .env.
  auto config = load_config(merge_env(std::move(file_values), process_environment()), role);
  if (config) register_config_secrets(*config);
  return config;
}

}  // namespace teltubby
