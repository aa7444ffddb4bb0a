#pragma once
// HTML escaping for Telegram's HTML parse mode. Telegram accepts only &lt; &gt; &amp;
// &quot; as named entities; escaping `"` too makes the result safe inside attribute
// values (href="...") as well as in text.
#include <string>
#include <string_view>

namespace teltubby::bot {

std::string html_escape(std::string_view text);

}  // namespace teltubby::bot
