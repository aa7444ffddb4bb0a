#pragma once
// Slugs: the ASCII words that name archive folders and files (DESIGN.md section 3).
//
// A slug holds only [a-z0-9-]: words joined by single '-', never starting or ending
// with '-'. '.' and '_' are never part of a slug (they become separators) so that in
// a file name '_' only separates fields and '.' only introduces the extension; that
// makes "no '..'" and "no '/'" true by construction.
//
// Non-Latin text is transliterated with ICU. Cyrillic uses our own rules so that it
// reads naturally ("Привет, мир!" -> "privet-mir", "Щука ёлка" -> "shchuka-yolka"):
// text containing a Ukrainian-only letter (і ї є ґ) is romanised with the Ukrainian
// national system (Київ -> kyiv), other Cyrillic with a practical Russian one. Every
// other script goes through ICU's Any-Latin and Latin-ASCII. Emoji, symbols,
// punctuation and control characters separate words and are otherwise dropped;
// apostrophes, marks and format characters (soft hyphen, bidi marks) are dropped
// without separating ("don't" -> "dont").
//
// Thread safety: all functions here may be called from any thread at once. ICU
// transliterators must not be used by two threads at the same time, so each thread
// lazily clones its own from a prototype built once (the clone is made under a mutex).
#include <cstddef>
#include <string>
#include <string_view>

namespace teltubby::archive {

// The slug of `text`; empty when nothing transliterable is left (emoji only, say).
// Invalid UTF-8 is tolerated: bad bytes act as separators. Throws FatalError only if
// ICU's transliteration data is missing (broken installation).
[[nodiscard]] std::string slugify(std::string_view text);

// Never empty: the slug of `text`, else the slug of `fallback` (typically the numeric
// id of the chat or user), else "unknown".
[[nodiscard]] std::string slugify(std::string_view text, std::string_view fallback);

// How many caption words go into a file name (DESIGN.md section 3).
inline constexpr std::size_t kCaptionWords = 6;

// The first `max_words` words of `caption`, slugified ("" when it has none). Words are
// counted after transliteration, so "你好世界" counts four ("ni-hao-shi-jie"). Only as
// much of the caption is read as is needed: a 5,000-character caption costs no more
// than a short one.
[[nodiscard]] std::string caption_snippet(std::string_view caption, std::size_t max_words = kCaptionWords);

}  // namespace teltubby::archive
