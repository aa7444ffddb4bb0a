#include "markup.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <vector>

namespace fake_world {
namespace {

using nlohmann::json;

std::string lower(std::string_view s) {
  std::string out(s);
  std::ranges::transform(out, out.begin(), [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  return out;
}

void append_code_point(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

json entity(std::string_view type, std::size_t offset, std::size_t length) {
  return json{{"type", type}, {"offset", offset}, {"length", length}};
}

FormattedText finish(std::string text, std::vector<json> entities) {
  std::erase_if(entities, [](const json& e) { return e["length"].get<std::size_t>() == 0; });
  std::ranges::stable_sort(entities, [](const json& a, const json& b) {
    const auto ao = a["offset"].get<std::size_t>();
    const auto bo = b["offset"].get<std::size_t>();
    if (ao != bo) return ao < bo;
    return a["length"].get<std::size_t>() > b["length"].get<std::size_t>();
  });
  FormattedText out;
  out.text = std::move(text);
  out.entities = json(entities);
  return out;
}

// ---------------------------------------------------------------- HTML
struct OpenTag {
  std::string name;
  std::string type;
  std::size_t offset;  // UTF-16 units into the output
  json extra = json::object();
};

std::expected<FormattedText, MarkupError> parse_html(std::string_view in) {
  std::string text;
  std::vector<json> entities;
  std::vector<OpenTag> open;
  std::size_t i = 0;
  const std::size_t n = in.size();
  while (i < n) {
    const char c = in[i];
    if (c == '&') {
      const auto semi = in.find(';', i + 1);
      if (semi != std::string_view::npos && semi - i <= 10) {
        const std::string name(in.substr(i + 1, semi - i - 1));
        std::optional<std::uint32_t> cp;
        if (name == "lt") cp = '<';
        else if (name == "gt") cp = '>';
        else if (name == "amp") cp = '&';
        else if (name == "quot") cp = '"';
        else if (name.size() > 1 && name[0] == '#') {
          const bool hex = name[1] == 'x' || name[1] == 'X';
          const std::string digits = name.substr(hex ? 2 : 1);
          const bool valid = !digits.empty() && std::ranges::all_of(digits, [hex](char d) {
            return hex ? std::isxdigit(static_cast<unsigned char>(d)) != 0 : std::isdigit(static_cast<unsigned char>(d)) != 0;
          });
          if (valid && digits.size() <= 7) {
            const auto value = std::stoul(digits, nullptr, hex ? 16 : 10);
            if (value > 0 && value <= 0x10FFFF) cp = static_cast<std::uint32_t>(value);
          }
        }
        if (cp) {
          append_code_point(text, *cp);
          i = semi + 1;
          continue;
        }
      }
      // Unknown entities stay as text, as Telegram does.
      text += c;
      ++i;
      continue;
    }
    if (c != '<') {
      text += c;
      ++i;
      continue;
    }
    const std::size_t tag_start = i;
    if (i + 1 < n && in[i + 1] == '/') {
      const auto close = in.find('>', i + 2);
      if (close == std::string_view::npos) {
        return std::unexpected(MarkupError{"Unclosed end tag at byte offset " + std::to_string(tag_start)});
      }
      std::string name = lower(in.substr(i + 2, close - i - 2));
      while (!name.empty() && std::isspace(static_cast<unsigned char>(name.back())) != 0) name.pop_back();
      if (open.empty()) {
        return std::unexpected(MarkupError{"Unexpected end tag at byte offset " + std::to_string(tag_start)});
      }
      OpenTag top = open.back();
      if (name != top.name) {
        return std::unexpected(MarkupError{"Unmatched end tag at byte offset " + std::to_string(tag_start) +
                                           ", expected \"</" + top.name + ">\", found \"</" + name + ">\""});
      }
      open.pop_back();
      const std::size_t end = utf16_length(text);
      // <pre><code class="language-x"> gives one pre entity with a language.
      if (top.type == "code" && top.extra.contains("language") && !open.empty() && open.back().type == "pre") {
        open.back().extra["language"] = top.extra["language"];
      } else {
        json e = entity(top.type, top.offset, end - top.offset);
        for (auto& [k, v] : top.extra.items()) {
          if (top.type == "code" && k == "language") continue;
          e[k] = v;
        }
        entities.push_back(std::move(e));
      }
      i = close + 1;
      continue;
    }
    // Start tag: name, then attributes, then '>'.
    std::size_t j = i + 1;
    while (j < n && (std::isalnum(static_cast<unsigned char>(in[j])) != 0 || in[j] == '-')) ++j;
    const std::string name = lower(in.substr(i + 1, j - i - 1));
    static const std::vector<std::pair<std::string, std::string>> kTags = {
        {"b", "bold"}, {"strong", "bold"}, {"i", "italic"}, {"em", "italic"}, {"u", "underline"},
        {"ins", "underline"}, {"s", "strikethrough"}, {"strike", "strikethrough"}, {"del", "strikethrough"},
        {"span", "spoiler"}, {"tg-spoiler", "spoiler"}, {"a", "text_link"}, {"code", "code"}, {"pre", "pre"},
        {"blockquote", "blockquote"}, {"tg-emoji", "custom_emoji"}};
    const auto known = std::ranges::find_if(kTags, [&](const auto& t) { return t.first == name; });
    if (known == kTags.end()) {
      return std::unexpected(MarkupError{"Unsupported start tag \"" + name + "\" at byte offset " + std::to_string(tag_start)});
    }
    json attributes = json::object();
    while (true) {
      while (j < n && std::isspace(static_cast<unsigned char>(in[j])) != 0) ++j;
      if (j >= n) return std::unexpected(MarkupError{"Unclosed start tag at byte offset " + std::to_string(tag_start)});
      if (in[j] == '>') break;
      const std::size_t attr_start = j;
      while (j < n && in[j] != '=' && in[j] != '>' && std::isspace(static_cast<unsigned char>(in[j])) == 0) ++j;
      const std::string attr = lower(in.substr(attr_start, j - attr_start));
      if (attr.empty()) {
        return std::unexpected(MarkupError{"Empty attribute name in the tag \"" + name + "\" at byte offset " + std::to_string(attr_start)});
      }
      std::string value;
      if (j < n && in[j] == '=') {
        ++j;
        if (j < n && (in[j] == '"' || in[j] == '\'')) {
          const char quote = in[j];
          const auto end_quote = in.find(quote, j + 1);
          if (end_quote == std::string_view::npos) {
            return std::unexpected(MarkupError{"Unclosed start tag at byte offset " + std::to_string(tag_start)});
          }
          value = std::string(in.substr(j + 1, end_quote - j - 1));
          j = end_quote + 1;
        } else {
          const std::size_t value_start = j;
          while (j < n && in[j] != '>' && std::isspace(static_cast<unsigned char>(in[j])) == 0) ++j;
          value = std::string(in.substr(value_start, j - value_start));
        }
      }
      attributes[attr] = value;
    }
    OpenTag tag{name, known->second, utf16_length(text)};
    if (name == "span" && attributes.value("class", "") != "tg-spoiler") {
      return std::unexpected(MarkupError{"Tag \"span\" must have class \"tg-spoiler\" at byte offset " + std::to_string(tag_start)});
    }
    if (name == "a") tag.extra["url"] = attributes.value("href", "");
    if (name == "tg-emoji") tag.extra["custom_emoji_id"] = attributes.value("emoji-id", "");
    if (name == "blockquote" && attributes.contains("expandable")) tag.type = "expandable_blockquote";
    if (name == "code") {
      const std::string cls = attributes.value("class", "");
      if (cls.starts_with("language-")) tag.extra["language"] = cls.substr(9);
    }
    open.push_back(std::move(tag));
    i = j + 1;
  }
  if (!open.empty()) {
    return std::unexpected(MarkupError{"Can't find end tag corresponding to start tag " + open.back().name});
  }
  return finish(std::move(text), std::move(entities));
}

// ---------------------------------------------------------------- MarkdownV2
struct OpenMark {
  std::string type;        // bold, italic, ...
  std::string marker;      // "*", "_", "__", "~", "||", "[", "![", "`", "```"
  std::size_t byte_offset; // in the input, for error texts
  std::size_t offset;      // UTF-16 units into the output
};

std::string entity_title(const std::string& type) {
  if (type == "bold") return "Bold";
  if (type == "italic") return "Italic";
  if (type == "underline") return "Underline";
  if (type == "strikethrough") return "Strikethrough";
  if (type == "spoiler") return "Spoiler";
  if (type == "text_link") return "TextUrl";
  if (type == "custom_emoji") return "CustomEmoji";
  if (type == "code") return "Code";
  return "Pre";
}

std::expected<FormattedText, MarkupError> parse_markdown_v2(std::string_view in) {
  static constexpr std::string_view kReserved = "_*[]()~`>#+-=|{}.!";
  std::string text;
  std::vector<json> entities;
  std::vector<OpenMark> open;
  // Where an open blockquote (line-based) starts; kNoQuote when none is open. (Not an
  // optional: GCC 12 at -O2 wrongly reports its value as maybe-uninitialized.)
  constexpr std::size_t kNoQuote = static_cast<std::size_t>(-1);
  std::size_t quote_offset = kNoQuote;
  const std::size_t n = in.size();
  std::size_t i = 0;
  auto at_line_start = [&](std::size_t pos) { return pos == 0 || in[pos - 1] == '\n'; };
  auto reserved = [](char c) {
    return std::string("Character '") + c + "' is reserved and must be escaped with the preceding '\\'";
  };
  auto close_top = [&](std::size_t skip) {
    OpenMark top = open.back();
    open.pop_back();
    entities.push_back(entity(top.type, top.offset, utf16_length(text) - top.offset));
    i += skip;
  };
  while (i < n) {
    const char c = in[i];
    const bool in_code = !open.empty() && (open.back().type == "code" || open.back().type == "pre");
    if (c == '\\') {
      if (i + 1 >= n) return std::unexpected(MarkupError{reserved('\\')});
      text += in[i + 1];
      i += 2;
      continue;
    }
    if (in_code) {
      if (open.back().type == "pre" && in.substr(i, 3) == "```") {
        close_top(3);
      } else if (open.back().type == "code" && c == '`') {
        close_top(1);
      } else {
        text += c;
        ++i;
      }
      continue;
    }
    if (c == '\n' && quote_offset != kNoQuote && (i + 1 >= n || in[i + 1] != '>')) {
      entities.push_back(entity("blockquote", quote_offset, utf16_length(text) - quote_offset));
      quote_offset = kNoQuote;
      text += c;
      ++i;
      continue;
    }
    if (kReserved.find(c) == std::string_view::npos) {
      text += c;
      ++i;
      continue;
    }
    // Closing the innermost open entity.
    if (!open.empty()) {
      const OpenMark& top = open.back();
      if (top.marker == "__" && in.substr(i, 2) == "__") { close_top(2); continue; }
      if (top.marker == "_" && c == '_' && in.substr(i, 2) != "__") { close_top(1); continue; }
      if (top.marker == "_" && in.substr(i, 2) == "__") { close_top(1); continue; }
      if (top.marker == "*" && c == '*') { close_top(1); continue; }
      if (top.marker == "~" && c == '~') { close_top(1); continue; }
      if (top.marker == "||" && in.substr(i, 2) == "||") { close_top(2); continue; }
      if ((top.marker == "[" || top.marker == "![") && c == ']') {
        if (i + 1 < n && in[i + 1] == '(') {
          std::string url;
          std::size_t j = i + 2;
          while (j < n && in[j] != ')') {
            if (in[j] == '\\' && j + 1 < n) ++j;
            url += in[j];
            ++j;
          }
          if (j >= n) {
            return std::unexpected(MarkupError{"Can't find end of a url at byte offset " + std::to_string(i + 1)});
          }
          OpenMark done = open.back();
          open.pop_back();
          json e = entity(done.type, done.offset, utf16_length(text) - done.offset);
          if (done.type == "custom_emoji") {
            const auto id_pos = url.find("id=");
            e["custom_emoji_id"] = id_pos == std::string::npos ? "" : url.substr(id_pos + 3);
          } else {
            e["url"] = url;
          }
          entities.push_back(std::move(e));
          i = j + 1;
          continue;
        }
        open.pop_back();  // "[text]" without a URL is plain text
        ++i;
        continue;
      }
    }
    const std::size_t here = utf16_length(text);
    if (c == '>' && at_line_start(i)) {
      if (quote_offset == kNoQuote) quote_offset = here;
      ++i;
      continue;
    }
    if (c == '_') {
      if (in.substr(i, 2) == "__") { open.push_back({"underline", "__", i, here}); i += 2; }
      else { open.push_back({"italic", "_", i, here}); ++i; }
      continue;
    }
    if (c == '*') { open.push_back({"bold", "*", i, here}); ++i; continue; }
    if (c == '~') { open.push_back({"strikethrough", "~", i, here}); ++i; continue; }
    if (c == '|' && in.substr(i, 2) == "||") { open.push_back({"spoiler", "||", i, here}); i += 2; continue; }
    if (c == '[') { open.push_back({"text_link", "[", i, here}); ++i; continue; }
    if (c == '!' && in.substr(i, 2) == "![") { open.push_back({"custom_emoji", "![", i, here}); i += 2; continue; }
    if (c == '`') {
      if (in.substr(i, 3) == "```") {
        std::size_t j = i + 3;
        std::string language;
        while (j < n && in[j] != '\n' && in[j] != '`') language += in[j++];
        if (j < n && in[j] == '\n') ++j; else { language.clear(); j = i + 3; }
        open.push_back({"pre", "```", i, here});
        if (!language.empty()) open.back().type = "pre";  // language recorded below
        entities.push_back(json{{"_language_for", here}, {"language", language}});
        i = j;
      } else {
        open.push_back({"code", "`", i, here});
        ++i;
      }
      continue;
    }
    return std::unexpected(MarkupError{reserved(c)});
  }
  if (!open.empty()) {
    return std::unexpected(MarkupError{"Can't find end of " + entity_title(open.back().type) +
                                       " entity at byte offset " + std::to_string(open.back().byte_offset)});
  }
  if (quote_offset != kNoQuote) entities.push_back(entity("blockquote", quote_offset, utf16_length(text) - quote_offset));
  // Attach pre languages recorded when the block opened.
  std::vector<json> real;
  for (auto& e : entities) {
    if (e.contains("_language_for")) continue;
    real.push_back(e);
  }
  for (const auto& marker : entities) {
    if (!marker.contains("_language_for") || marker["language"].get<std::string>().empty()) continue;
    for (auto& e : real) {
      if (e["type"] == "pre" && e["offset"] == marker["_language_for"]) e["language"] = marker["language"];
    }
  }
  return finish(std::move(text), std::move(real));
}

// ---------------------------------------------------------------- legacy Markdown
std::expected<FormattedText, MarkupError> parse_markdown_legacy(std::string_view in) {
  std::string text;
  std::vector<json> entities;
  const std::size_t n = in.size();
  std::size_t i = 0;
  while (i < n) {
    const char c = in[i];
    if (c == '\\' && i + 1 < n && std::string_view("_*`[").find(in[i + 1]) != std::string_view::npos) {
      text += in[i + 1];
      i += 2;
      continue;
    }
    if (std::string_view("_*`[").find(c) == std::string_view::npos) {
      text += c;
      ++i;
      continue;
    }
    const std::size_t start = i;
    const std::string end_marker = c == '[' ? "]" : (in.substr(i, 3) == "```" ? "```" : std::string(1, c));
    const std::size_t content_start = i + (end_marker == "]" ? 1 : end_marker.size());
    const auto end = in.find(end_marker, content_start);
    if (end == std::string_view::npos) {
      return std::unexpected(MarkupError{"Can't find end of the entity starting at byte offset " + std::to_string(start)});
    }
    const std::size_t offset = utf16_length(text);
    text += in.substr(content_start, end - content_start);
    json e;
    if (c == '*') e = entity("bold", offset, utf16_length(text) - offset);
    else if (c == '_') e = entity("italic", offset, utf16_length(text) - offset);
    else if (end_marker == "```") e = entity("pre", offset, utf16_length(text) - offset);
    else if (c == '`') e = entity("code", offset, utf16_length(text) - offset);
    else e = entity("text_link", offset, utf16_length(text) - offset);
    i = end + end_marker.size();
    if (c == '[') {
      if (i < n && in[i] == '(') {
        const auto close = in.find(')', i);
        if (close == std::string_view::npos) {
          return std::unexpected(MarkupError{"Can't find end of the entity starting at byte offset " + std::to_string(start)});
        }
        e["url"] = std::string(in.substr(i + 1, close - i - 1));
        i = close + 1;
      } else {
        continue;  // "[x]" alone is text
      }
    }
    entities.push_back(std::move(e));
  }
  return finish(std::move(text), std::move(entities));
}

}  // namespace

std::size_t utf16_length(std::string_view utf8) {
  std::size_t units = 0;
  for (const char ch : utf8) {
    const auto byte = static_cast<unsigned char>(ch);
    if ((byte & 0xC0) == 0x80) continue;  // continuation byte
    units += byte >= 0xF0 ? 2 : 1;        // 4-byte sequences are surrogate pairs
  }
  return units;
}

std::expected<FormattedText, MarkupError> parse_markup(std::string_view input, std::string_view parse_mode) {
  const std::string mode = lower(parse_mode);
  if (mode.empty()) return FormattedText{std::string(input), json::array()};
  if (mode == "html") return parse_html(input);
  if (mode == "markdownv2") return parse_markdown_v2(input);
  if (mode == "markdown") return parse_markdown_legacy(input);
  return std::unexpected(MarkupError{"unsupported parse_mode", true});
}

}  // namespace fake_world
