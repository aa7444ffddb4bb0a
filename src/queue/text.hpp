#pragma once
// Small pure checks on text from outside: UTF-8 validity and uuid v4 syntax, plus the
// uuid v4 generator the bot uses for job ids.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace teltubby::queue {

// The byte offset of the first byte that is not part of well-formed UTF-8 (overlong
// forms, surrogates and code points above U+10FFFF are ill-formed), or nullopt.
std::optional<std::size_t> first_invalid_utf8(std::string_view text);

// True for the canonical lowercase or uppercase 8-4-4-4-12 form with version 4 and the
// RFC 4122 variant (10xx): "xxxxxxxx-xxxx-4xxx-[89ab]xxx-xxxxxxxxxxxx".
bool is_uuid_v4(std::string_view text);

// A random uuid v4 (lowercase), from std::random_device (the kernel's CSPRNG on Linux).
std::string make_uuid_v4();

}  // namespace teltubby::queue
