#pragma once
// Telegram's formatting options (https://core.telegram.org/bots/api#formatting-options):
// turns text with parse_mode HTML, MarkdownV2 or Markdown into plain text plus
// MessageEntity objects (offsets and lengths in UTF-16 code units, as documented),
// or the error detail Telegram puts after "Bad Request: can't parse entities: ".
// Pure functions: no world state.
#include <expected>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace fake_world {

struct FormattedText {
  std::string text;                               // UTF-8, markup removed
  nlohmann::json entities = nlohmann::json::array();  // MessageEntity objects
};

// parse_mode is "HTML", "MarkdownV2" or "Markdown" (case-insensitive as in Telegram).
// The error is the detail only, e.g. "Unsupported start tag \"p\" at byte offset 0";
// an unknown parse_mode gives "unsupported parse_mode" with `unknown_mode` set.
struct MarkupError {
  std::string detail;
  bool unknown_mode = false;
};
std::expected<FormattedText, MarkupError> parse_markup(std::string_view input, std::string_view parse_mode);

// Length in UTF-16 code units, which is how Telegram counts text limits and offsets.
std::size_t utf16_length(std::string_view utf8);

}  // namespace fake_world
