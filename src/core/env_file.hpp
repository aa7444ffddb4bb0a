#pragma once
// `.env` files: KEY=VALUE lines. Supported: blank lines, `#` comment lines, an optional
// `export ` prefix, spaces around `=`, 'single quotes' (taken literally), "double
// quotes" (with \" \\ \n \t escapes), and ` # comment` after a value. No variable
// interpolation and no multi-line values. A later line for the same key wins.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "core/config.hpp"

namespace teltubby {

struct EnvFileContent {
  EnvMap values;
  // Malformed lines; `source` is "<label>:<line>", and no value is ever included.
  std::vector<ConfigProblem> problems;
};

// Pure. `label` names the file in problem reports.
EnvFileContent parse_env_file(std::string_view text, std::string_view label);

// Reads and parses `path`; an unreadable file is a problem too.
EnvFileContent read_env_file(const std::filesystem::path& path);

// The process environment (environ) as a map.
EnvMap process_environment();

// `overrides` wins over `base` for keys present in both.
EnvMap merge_env(EnvMap base, const EnvMap& overrides);

}  // namespace teltubby
