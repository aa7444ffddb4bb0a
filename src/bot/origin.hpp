#pragma once
// The raw texts the archive naming code slugifies for a message's folder and file
// names (DESIGN.md section 3). Pure; no slugging here.
//
// chat (the key's {chat_slug}): the forward origin's chat username, else its title,
// else the origin user's name (username, else first + last name); when the origin is
// hidden, unknown or absent (a plain copy), the curator's username, else the curator's
// numeric id.
// sender (the file name's {sender}): who wrote the original: the origin user
// (username, else name), the hidden user's display name, the chat's/channel's post
// author signature (else the chat's username, else title); for a plain copy the curator
// (username, else name, else id).
#include <string>
#include <string_view>

#include "telegram/botapi/types.hpp"

namespace teltubby::bot {

enum class NameSource {
  origin_chat_username,
  origin_chat_title,
  origin_user_username,
  origin_user_name,
  origin_hidden_user_name,
  origin_author_signature,
  curator_username,
  curator_name,
  curator_id,
};
std::string_view to_string(NameSource source);

struct NamingInputs {
  std::string chat;  // never empty
  NameSource chat_source = NameSource::curator_id;
  std::string sender;  // never empty
  NameSource sender_source = NameSource::curator_id;
};

// `message` is the curator's message in the bot's chat: `from` is the curator (when
// absent, the chat id stands in for the curator id).
NamingInputs naming_inputs(const botapi::Message& message);

}  // namespace teltubby::bot
