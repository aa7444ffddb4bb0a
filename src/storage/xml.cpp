#include "storage/xml.hpp"

#include <charconv>
#include <cstdint>

namespace teltubby::storage::xml {

namespace {

void append_utf8(std::string& out, std::uint32_t code_point) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x110000) {
    out.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

}  // namespace

std::vector<std::string_view> elements(std::string_view document, std::string_view name) {
  std::vector<std::string_view> found;
  const std::string open = "<" + std::string(name);
  const std::string close = "</" + std::string(name) + ">";
  std::size_t position = 0;
  while ((position = document.find(open, position)) != std::string_view::npos) {
    const std::size_t after_name = position + open.size();
    if (after_name >= document.size()) break;
    const char next = document[after_name];
    if (next != '>' && next != ' ' && next != '/' && next != '\t' && next != '\n' && next != '\r') {
      position = after_name;  // a longer name that starts the same (<Key> vs <KeyCount>)
      continue;
    }
    const std::size_t tag_end = document.find('>', after_name);
    if (tag_end == std::string_view::npos) break;
    if (document[tag_end - 1] == '/') {
      found.emplace_back();
      position = tag_end + 1;
      continue;
    }
    const std::size_t content_start = tag_end + 1;
    const std::size_t content_end = document.find(close, content_start);
    if (content_end == std::string_view::npos) break;
    found.push_back(document.substr(content_start, content_end - content_start));
    position = content_end + close.size();
  }
  return found;
}

std::optional<std::string> first_text(std::string_view document, std::string_view name) {
  auto all = elements(document, name);
  if (all.empty()) return std::nullopt;
  return unescape(all.front());
}

std::string unescape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out.push_back(text[i]);
      continue;
    }
    const std::size_t end = text.find(';', i);
    if (end == std::string_view::npos || end - i > 10) {
      out.push_back('&');
      continue;
    }
    const std::string_view entity = text.substr(i + 1, end - i - 1);
    if (entity == "lt") out.push_back('<');
    else if (entity == "gt") out.push_back('>');
    else if (entity == "amp") out.push_back('&');
    else if (entity == "quot") out.push_back('"');
    else if (entity == "apos") out.push_back('\'');
    else if (entity.size() > 1 && entity[0] == '#') {
      std::uint32_t code_point = 0;
      const bool hex = entity[1] == 'x' || entity[1] == 'X';
      const char* first = entity.data() + (hex ? 2 : 1);
      const char* last = entity.data() + entity.size();
      auto [ptr, error] = std::from_chars(first, last, code_point, hex ? 16 : 10);
      if (error != std::errc{} || ptr != last) {
        out.append(text.substr(i, end - i + 1));
      } else {
        append_utf8(out, code_point);
      }
    } else {
      out.append(text.substr(i, end - i + 1));  // unknown entity: keep as is
    }
    i = end;
  }
  return out;
}

std::string escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

}  // namespace teltubby::storage::xml
