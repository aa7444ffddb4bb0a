#include "core/env_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <optional>
#include <sstream>

namespace teltubby {
namespace {

bool is_key_start(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
}
bool is_key_char(char c) {
  return is_key_start(c) || (c >= '0' && c <= '9');
}
bool is_space(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim_left(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  return text;
}
std::string_view trim_right(std::string_view text) {
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return text;
}

// After a closing quote only spaces and an optional comment may follow.
bool only_comment_left(std::string_view rest) {
  rest = trim_left(rest);
  return rest.empty() || rest.front() == '#';
}

struct LineError {
  std::string expected;
};

// Parses the value part (after '='). The error never quotes the value.
std::expected<std::string, LineError> parse_value(std::string_view raw) {
  raw = trim_left(raw);
  if (raw.starts_with('\'')) {
    const auto close = raw.find('\'', 1);
    if (close == std::string_view::npos)
      return std::unexpected(LineError{"a closing single quote on the same line"});
    if (!only_comment_left(raw.substr(close + 1))) {
      return std::unexpected(LineError{"nothing but a # comment after the closing quote"});
    }
    return std::string(raw.substr(1, close - 1));
  }
  if (raw.starts_with('"')) {
    std::string value;
    for (std::size_t i = 1; i < raw.size(); ++i) {
      const char c = raw[i];
      if (c == '"') {
        if (!only_comment_left(raw.substr(i + 1))) {
          return std::unexpected(LineError{"nothing but a # comment after the closing quote"});
        }
        return value;
      }
      if (c == '\\' && i + 1 < raw.size()) {
        const char next = raw[++i];
        switch (next) {
          case 'n':
            value += '\n';
            break;
          case 't':
            value += '\t';
            break;
          case '"':
            value += '"';
            break;
          case '\\':
            value += '\\';
            break;
          default:
            value += '\\';
            value += next;
            break;  // unknown escapes stay literal
        }
        continue;
      }
      value += c;
    }
    return std::unexpected(LineError{"a closing double quote on the same line"});
  }
  // Unquoted: a '#' starts a comment only after a space, so `pa#ss` stays whole.
  std::size_t end = raw.size();
  for (std::size_t i = 1; i < raw.size(); ++i) {
    if (raw[i] == '#' && is_space(raw[i - 1])) {
      end = i;
      break;
    }
  }
  if (!raw.empty() && raw.front() == '#') end = 0;
  return std::string(trim_right(raw.substr(0, end)));
}

}  // namespace

EnvFileContent parse_env_file(std::string_view text, std::string_view label) {
  EnvFileContent content;
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);  // UTF-8 byte order mark
  std::size_t line_number = 0;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    auto line = text.substr(start, end - start);
    start = end + 1;
    ++line_number;
    if (line.ends_with('\r')) line.remove_suffix(1);

    const auto report = [&](std::string key, std::string expected) {
      content.problems.push_back(ConfigProblem{std::move(key), "", true, std::move(expected),
                                               std::string(label) + ":" + std::to_string(line_number)});
    };

    line = trim_left(line);
    if (line.empty() || line.front() == '#') continue;
    if (line.starts_with("export") && line.size() > 6 && is_space(line[6])) line = trim_left(line.substr(7));

    std::size_t key_end = 0;
    while (key_end < line.size() && is_key_char(line[key_end])) ++key_end;
    const auto key = line.substr(0, key_end);
    const auto after_key = trim_left(line.substr(key_end));
    if (key.empty() || !is_key_start(key.front()) || !after_key.starts_with('=')) {
      // The line may be a pasted secret: report its number only, never its text.
      report("", "KEY=VALUE with KEY of letters, digits and _ (not starting with a digit)");
      continue;
    }
    auto value = parse_value(after_key.substr(1));
    if (!value) {
      report(std::string(key), value.error().expected);
      continue;
    }
    if (value->find('\0') != std::string::npos) {
      report(std::string(key), "a value without NUL bytes");
      continue;
    }
    content.values.insert_or_assign(std::string(key), std::move(*value));
  }
  return content;
}

EnvFileContent read_env_file(const std::filesystem::path& path) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) {
    const int error = errno;
    EnvFileContent content;
    content.problems.push_back(
        ConfigProblem{"--env-file", path.string(), true,
                      std::string("a readable .env file (") + std::strerror(error) + ")", ""});
    return content;
  }
  std::ostringstream text;
  text << stream.rdbuf();
  return parse_env_file(text.str(), path.string());
}

EnvMap process_environment() {
  EnvMap env;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const auto equals = text.find('=');
    if (equals == std::string_view::npos) continue;
    env.insert_or_assign(std::string(text.substr(0, equals)), std::string(text.substr(equals + 1)));
  }
  return env;
}

EnvMap merge_env(EnvMap base, const EnvMap& overrides) {
  for (const auto& [key, value] : overrides) base.insert_or_assign(key, value);
  return base;
}

}  // namespace teltubby
