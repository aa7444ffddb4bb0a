#include "archive/slug.hpp"

#include <unicode/translit.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utypes.h>

#include <array>
#include <memory>
#include <mutex>

#include "archive/transliteration_rules.hpp"
#include "core/error.hpp"

namespace teltubby::archive {
namespace {

// Text beyond this many bytes is ignored: slugs name files, and no name needs more.
constexpr std::size_t kMaxInputBytes = 64 * 1024;
// caption_snippet() reads at most this many bytes of one whitespace-separated token.
constexpr std::size_t kMaxTokenBytes = 256;

enum class Language : std::size_t { russian = 0, ukrainian = 1 };

std::unique_ptr<icu::Transliterator> build_transliterator(const char* id, std::string_view rules) {
  UErrorCode status = U_ZERO_ERROR;
  UParseError parse_error{};
  const auto rule_text =
      icu::UnicodeString::fromUTF8(icu::StringPiece(rules.data(), static_cast<int32_t>(rules.size())));
  std::unique_ptr<icu::Transliterator> result(icu::Transliterator::createFromRules(
      icu::UnicodeString(id, -1, US_INV), rule_text, UTRANS_FORWARD, parse_error, status));
  if (U_FAILURE(status) || !result) {
    throw FatalError(std::string("cannot build the ICU transliterator ") + id + ": " + u_errorName(status) +
                     " (line " + std::to_string(parse_error.line) +
                     "); is the ICU data (libicu72) installed?");
  }
  return result;
}

// The prototypes are built once per process; threads use clones (see slug.hpp).
struct Prototypes {
  std::unique_ptr<icu::Transliterator> russian = build_transliterator("teltubby-ru-ascii", rules::kRussian);
  std::unique_ptr<icu::Transliterator> ukrainian =
      build_transliterator("teltubby-uk-ascii", rules::kUkrainian);
};

icu::Transliterator& transliterator_for_this_thread(Language language) {
  thread_local std::array<std::unique_ptr<icu::Transliterator>, 2> mine;
  auto& slot = mine[static_cast<std::size_t>(language)];
  if (!slot) {
    static const Prototypes prototypes;  // thread-safe one-time initialisation
    static std::mutex clone_mutex;
    const std::lock_guard lock(clone_mutex);
    const auto& prototype = language == Language::russian ? prototypes.russian : prototypes.ukrainian;
    slot.reset(prototype->clone());
    if (!slot) throw FatalError("cannot clone the ICU transliterator: out of memory");
  }
  return *slot;
}

// True when the UTF-8 text holds a letter that Ukrainian has and Russian lacks:
// Є U+0404, І U+0406, Ї U+0407, є U+0454, і U+0456, ї U+0457, Ґ U+0490, ґ U+0491.
bool has_ukrainian_letter(std::string_view utf8) {
  for (std::size_t i = 0; i + 1 < utf8.size(); ++i) {
    const auto lead = static_cast<unsigned char>(utf8[i]);
    const auto next = static_cast<unsigned char>(utf8[i + 1]);
    if ((lead == 0xD0 && (next == 0x84 || next == 0x86 || next == 0x87)) ||
        (lead == 0xD1 && (next == 0x94 || next == 0x96 || next == 0x97)) ||
        (lead == 0xD2 && (next == 0x90 || next == 0x91))) {
      return true;
    }
  }
  return false;
}

// Builds the slug from transliterated characters, one at a time.
class SlugWriter {
 public:
  explicit SlugWriter(std::size_t capacity) { out_.reserve(capacity); }

  void ascii_alnum(char c) {
    if (separator_pending_ && !out_.empty()) out_ += '-';
    separator_pending_ = false;
    out_ += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  void separator() { separator_pending_ = true; }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
  bool separator_pending_ = false;
};

bool is_ascii_alnum(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// Apostrophes and quotes join rather than split: "don't" -> "dont", "ob\"ekt" -> "obekt".
bool is_ascii_joiner(char32_t c) {
  return c == '\'' || c == '"' || c == '`';
}

void write_code_point(SlugWriter& writer, UChar32 c) {
  if (c < 0x80) {
    if (is_ascii_alnum(static_cast<char32_t>(c))) {
      writer.ascii_alnum(static_cast<char>(c));
    } else if (!is_ascii_joiner(static_cast<char32_t>(c))) {
      writer.separator();
    }
    return;
  }
  if (u_isdigit(c)) {  // digits of other scripts: "٤٢" -> "42"
    const int32_t value = u_charDigitValue(c);
    if (value >= 0 && value <= 9) {
      writer.ascii_alnum(static_cast<char>('0' + value));
      return;
    }
  }
  switch (u_charType(c)) {
    case U_NON_SPACING_MARK:
    case U_ENCLOSING_MARK:
    case U_COMBINING_SPACING_MARK:
    case U_MODIFIER_LETTER:  // ʿ ʼ ʹ left by transliteration of Arabic, Hebrew, ...
    case U_MODIFIER_SYMBOL:  // ´ ˜
    case U_FORMAT_CHAR:      // soft hyphen, zero-width joiner, bidi marks
      return;
    default:
      break;
  }
  if (c == 0x2018 || c == 0x2019 || c == 0x201B || c == 0x2032 || c == 0xFF07) return;  // apostrophes
  writer.separator();  // emoji, symbols, punctuation, spaces, controls, U+FFFD, untransliterated letters
}

std::string slug_of_ascii(std::string_view text) {
  SlugWriter writer(text.size());
  for (const char c : text) write_code_point(writer, static_cast<unsigned char>(c));
  return writer.take();
}

std::string slug_of_unicode(std::string_view text) {
  const Language language = has_ukrainian_letter(text) ? Language::ukrainian : Language::russian;
  // Invalid UTF-8 becomes U+FFFD here, which the writer treats as a separator.
  auto unicode =
      icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  transliterator_for_this_thread(language).transliterate(unicode);
  SlugWriter writer(static_cast<std::size_t>(unicode.length()));
  const UChar* units = unicode.getBuffer();
  const int32_t length = unicode.length();
  for (int32_t i = 0; i < length; ++i) {
    // Decoded by hand: ICU's U16_NEXT macro trips -Wsign-conversion.
    const UChar unit = units[i];
    UChar32 c = unit;
    if (unit >= 0xD800 && unit <= 0xDBFF && i + 1 < length && units[i + 1] >= 0xDC00 &&
        units[i + 1] <= 0xDFFF) {
      c = 0x10000 + ((static_cast<UChar32>(unit) - 0xD800) << 10) +
          (static_cast<UChar32>(units[i + 1]) - 0xDC00);
      ++i;
    }
    write_code_point(writer, c);
  }
  return writer.take();
}

bool is_ascii(std::string_view text) {
  for (const char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

// Shortens `text` to at most `max_bytes` without splitting a UTF-8 sequence.
std::string_view utf8_prefix(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

}  // namespace

std::string slugify(std::string_view text) {
  text = utf8_prefix(text, kMaxInputBytes);
  return is_ascii(text) ? slug_of_ascii(text) : slug_of_unicode(text);
}

std::string slugify(std::string_view text, std::string_view fallback) {
  if (auto slug = slugify(text); !slug.empty()) return slug;
  if (auto slug = slugify(fallback); !slug.empty()) return slug;
  return "unknown";
}

std::string caption_snippet(std::string_view caption, std::size_t max_words) {
  std::string snippet;
  std::size_t words = 0;
  std::size_t pos = 0;
  while (words < max_words && pos < caption.size()) {
    while (pos < caption.size() && is_ascii_space(caption[pos])) ++pos;
    const std::size_t start = pos;
    while (pos < caption.size() && !is_ascii_space(caption[pos])) ++pos;
    if (start == pos) break;
    const std::string token_slug = slugify(utf8_prefix(caption.substr(start, pos - start), kMaxTokenBytes));
    // One token may hold several words ("hello,world", "你好"): count each.
    std::size_t word_start = 0;
    while (words < max_words && word_start < token_slug.size()) {
      std::size_t word_end = token_slug.find('-', word_start);
      if (word_end == std::string::npos) word_end = token_slug.size();
      if (!snippet.empty()) snippet += '-';
      snippet.append(token_slug, word_start, word_end - word_start);
      ++words;
      word_start = word_end + 1;
    }
  }
  return snippet;
}

}  // namespace teltubby::archive
