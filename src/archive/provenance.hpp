#pragma once
// Where an archived message came from, as the naming rules need it (DESIGN.md
// section 3). The bot fills these plain structs from the Bot API's Message and
// MessageOrigin; nothing here knows Telegram's JSON.
#include <cstdint>
#include <string>

namespace teltubby::archive {

struct Person {
  std::int64_t id = 0;
  std::string username;  // without '@'; empty when the user has none
  std::string first_name;
  std::string last_name;
};

struct Chat {
  std::int64_t id = 0;
  std::string username;  // public chats and channels only
  std::string title;
};

// Mirrors the Bot API's MessageOrigin variants; `none` is a plain copy (no forward).
enum class OriginKind { none, user, hidden_user, chat, channel };

struct Origin {
  OriginKind kind = OriginKind::none;
  Person user;                   // kind == user
  std::string sender_user_name;  // kind == hidden_user: the name Telegram shows instead
  Chat chat;                     // kind == chat (the sender_chat) or channel
  std::string author_signature;  // kind == chat or channel, when the post is signed
};

struct Provenance {
  Origin origin;
  Person curator;  // the whitelisted user who sent the message to the bot
};

// The chat part of the folder and file name (DESIGN.md section 3): the forward origin's
// chat username, else its title, else the origin user's username, else their first and
// last name; for a hidden or absent origin the curator's username. A candidate that
// slugifies to nothing (an emoji-only title) falls through to the next; the last
// resort is the numeric id of the chat or person. Never empty.
[[nodiscard]] std::string choose_chat_slug(const Provenance& provenance);

// The sender part of the file name: who wrote the content. A forwarded user's
// username or name; a hidden user's displayed name (else "hidden"); a chat or channel
// post's author signature, else the chat's username, title or id; for a plain copy
// the curator's username, else name, else id. Never empty.
[[nodiscard]] std::string choose_sender_slug(const Provenance& provenance);

}  // namespace teltubby::archive
