#include "archive/provenance.hpp"

#include <initializer_list>
#include <string_view>

#include "archive/slug.hpp"

namespace teltubby::archive {
namespace {

// The slug of the first candidate that has one, else of `last_resort`.
std::string first_slug(std::initializer_list<std::string_view> candidates, std::string_view last_resort) {
  for (const auto candidate : candidates) {
    if (auto slug = slugify(candidate); !slug.empty()) return slug;
  }
  return slugify(last_resort, "unknown");
}

std::string full_name(const Person& person) {
  if (person.last_name.empty()) return person.first_name;
  return person.first_name + ' ' + person.last_name;
}

std::string person_slug(const Person& person) {
  return first_slug({person.username, full_name(person)}, std::to_string(person.id));
}

std::string chat_title_slug(const Chat& chat) {
  return first_slug({chat.username, chat.title}, std::to_string(chat.id));
}

}  // namespace

std::string choose_chat_slug(const Provenance& provenance) {
  const Origin& origin = provenance.origin;
  switch (origin.kind) {
    case OriginKind::chat:
    case OriginKind::channel:
      return chat_title_slug(origin.chat);
    case OriginKind::user:
      return person_slug(origin.user);
    case OriginKind::hidden_user:
    case OriginKind::none:
      break;
  }
  return first_slug({provenance.curator.username}, std::to_string(provenance.curator.id));
}

std::string choose_sender_slug(const Provenance& provenance) {
  const Origin& origin = provenance.origin;
  switch (origin.kind) {
    case OriginKind::user:
      return person_slug(origin.user);
    case OriginKind::hidden_user:
      return first_slug({origin.sender_user_name}, "hidden");
    case OriginKind::chat:
    case OriginKind::channel:
      return first_slug({origin.author_signature, origin.chat.username, origin.chat.title},
                        std::to_string(origin.chat.id));
    case OriginKind::none:
      break;
  }
  return person_slug(provenance.curator);
}

}  // namespace teltubby::archive
