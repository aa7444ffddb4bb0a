// parse_mode handling, https://core.telegram.org/bots/api#formatting-options
#include <gtest/gtest.h>

#include "markup.hpp"

namespace fake_world {
namespace {

using nlohmann::json;

TEST(FakeWorldMarkup, HtmlGivesEntitiesWithUtf16Offsets) {
  // "#html-style": <b>, <i>, <a href>; offsets are UTF-16 code units (#messageentity).
  const auto parsed = parse_markup("🏟 <b>bold</b> <a href=\"https://example.org\">link</a>", "HTML");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->text, "🏟 bold link");
  ASSERT_EQ(parsed->entities.size(), 2U);
  EXPECT_EQ(parsed->entities[0], (json{{"type", "bold"}, {"offset", 3}, {"length", 4}}));
  EXPECT_EQ(parsed->entities[1], (json{{"type", "text_link"}, {"offset", 8}, {"length", 4}, {"url", "https://example.org"}}));
}

TEST(FakeWorldMarkup, HtmlDecodesTheFourNamedEntitiesAndNumericOnes) {
  // "#html-style": "All numerical HTML entities are supported. The API currently supports only the
  // following named HTML entities: &lt;, &gt;, &amp; and &quot;."
  const auto parsed = parse_markup("&lt;a&gt; &amp; &quot;x&quot; &#65;&#x42;", "HTML");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->text, "<a> & \"x\" AB");
}

TEST(FakeWorldMarkup, HtmlRejectsUnsupportedTagsLikeTelegram) {
  const auto parsed = parse_markup("<p>hi</p>", "HTML");
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().detail, "Unsupported start tag \"p\" at byte offset 0");
}

TEST(FakeWorldMarkup, HtmlRejectsUnclosedAndMismatchedTags) {
  EXPECT_EQ(parse_markup("<b>bold", "HTML").error().detail, "Can't find end tag corresponding to start tag b");
  EXPECT_EQ(parse_markup("<b>x</i>", "HTML").error().detail,
            "Unmatched end tag at byte offset 4, expected \"</b>\", found \"</i>\"");
  EXPECT_EQ(parse_markup("x</b>", "HTML").error().detail, "Unexpected end tag at byte offset 1");
}

TEST(FakeWorldMarkup, HtmlSpanNeedsTheSpoilerClass) {
  EXPECT_TRUE(parse_markup("<span class=\"tg-spoiler\">s</span>", "HTML").has_value());
  EXPECT_EQ(parse_markup("<span>s</span>", "HTML").error().detail, "Tag \"span\" must have class \"tg-spoiler\" at byte offset 0");
}

TEST(FakeWorldMarkup, HtmlPreWithCodeLanguageIsOnePreEntity) {
  const auto parsed = parse_markup("<pre><code class=\"language-cpp\">int x;</code></pre>", "HTML");
  ASSERT_TRUE(parsed.has_value());
  ASSERT_EQ(parsed->entities.size(), 1U);
  EXPECT_EQ(parsed->entities[0], (json{{"type", "pre"}, {"offset", 0}, {"length", 6}, {"language", "cpp"}}));
}

TEST(FakeWorldMarkup, MarkdownV2RequiresEscapingReservedCharacters) {
  // "#markdownv2-style": "Any character with code between 1 and 126 inclusively can be escaped ...
  // '_', '*', '[', ']', '(', ')', '~', '`', '>', '#', '+', '-', '=', '|', '{', '}', '.', '!' must be escaped"
  const auto parsed = parse_markup("Version 1.0", "MarkdownV2");
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().detail, "Character '.' is reserved and must be escaped with the preceding '\\'");
  const auto escaped = parse_markup("Version 1\\.0", "MarkdownV2");
  ASSERT_TRUE(escaped.has_value());
  EXPECT_EQ(escaped->text, "Version 1.0");
}

TEST(FakeWorldMarkup, MarkdownV2ParsesEntitiesAndReportsUnclosedOnes) {
  const auto parsed = parse_markup("*bold* _it_ __under__ ~s~ ||sp|| `c` [l](https://x.org)", "MarkdownV2");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->text, "bold it under s sp c l");
  std::vector<std::string> types;
  for (const auto& e : parsed->entities) types.push_back(e["type"]);
  EXPECT_EQ(types, (std::vector<std::string>{"bold", "italic", "underline", "strikethrough", "spoiler", "code", "text_link"}));
  // Same text as TDLib's own test: the 9-byte prefix puts '_' at byte offset 9.
  EXPECT_EQ(parse_markup("🏟 🏟_abacaba", "MarkdownV2").error().detail, "Can't find end of Italic entity at byte offset 9");
}

TEST(FakeWorldMarkup, LegacyMarkdownReportsTheEntityStart) {
  EXPECT_EQ(parse_markup("a *b", "Markdown").error().detail, "Can't find end of the entity starting at byte offset 2");
}

TEST(FakeWorldMarkup, UnknownParseModeIsFlagged) {
  EXPECT_TRUE(parse_markup("x", "BBCode").error().unknown_mode);
}

}  // namespace
}  // namespace fake_world
