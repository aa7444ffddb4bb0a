#pragma once
// Reading request parameters the way the Bot API does: every value may arrive as a
// string (query, form, multipart) or as a JSON value (application/json), and
// structured values (reply_markup, entities, allowed_updates, commands) may arrive as
// JSON-serialized strings (https://core.telegram.org/bots/api#making-requests).
#include <cstdint>
#include <expected>
#include <optional>
#include <string>

#include "world.hpp"

namespace fake_world::params {

std::optional<std::string> text(const Json& p, const std::string& key);
// nullopt = absent; error text = present but not an integer.
std::expected<std::optional<std::int64_t>, std::string> integer(const Json& p, const std::string& key);
bool boolean(const Json& p, const std::string& key);
// Absent = null; a string is parsed as JSON; error = unparsable.
std::expected<Json, std::string> structured(const Json& p, const std::string& key);

}  // namespace fake_world::params
