// Slugs and caption snippets (DESIGN.md section 3) with real-world text.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <thread>
#include <vector>

#include "archive/slug.hpp"

namespace teltubby::archive {
namespace {

using namespace std::string_literals;

// A slug is words of [a-z0-9] joined by single '-', or empty.
// (std::regex is avoided: GCC 12 warns inside it under the sanitizer build.)
bool is_well_formed_slug(const std::string& slug) {
  if (slug.empty()) return true;
  if (slug.front() == '-' || slug.back() == '-' || slug.find("--") != std::string::npos) return false;
  return std::all_of(slug.begin(), slug.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
}

TEST(Slug, TransliteratesRussianNaturally) {
  EXPECT_EQ(slugify("Привет, мир!"), "privet-mir");
  EXPECT_EQ(slugify("Щука ёлка"), "shchuka-yolka");
  EXPECT_EQ(slugify("Жёлтый Королёв ещё"), "zheltyy-korolyov-eshche");
  EXPECT_EQ(slugify("Съешь же ещё этих мягких французских булок, да выпей чаю"),
            "sesh-zhe-eshche-etikh-myagkikh-frantsuzskikh-bulok-da-vypey-chayu");
  EXPECT_EQ(slugify("ЮЛЯ и Яна: объект «Х»"), "yulya-i-yana-obekt-kh");
}

TEST(Slug, TransliteratesUkrainianWithTheNationalSystem) {
  EXPECT_EQ(slugify("Київ, Україна"), "kyiv-ukraina");
  EXPECT_EQ(slugify("Їжак і Євген"), "yizhak-i-yevhen");
  EXPECT_EQ(slugify("ґанок Ґалаґан"), "ganok-galagan");
  EXPECT_EQ(slugify("Харків Запоріжжя"), "kharkiv-zaporizhzhia");
  EXPECT_EQ(slugify("м'ясо м’ясо Згорани Київ"), "miaso-miaso-zghorany-kyiv");
  EXPECT_EQ(slugify("Юрій Яготин Стрий"), "yurii-yahotyn-stryi");
}

TEST(Slug, TransliteratesGreekWithModernReading) {
  EXPECT_EQ(slugify("Καλημέρα κόσμε"), "kalimera-kosme");
  EXPECT_EQ(slugify("Θεσσαλονίκη, Αθήνα"), "thessaloniki-athina");
  EXPECT_EQ(slugify("ψυχή"), "psychi");
}

TEST(Slug, TransliteratesChineseJapaneseKorean) {
  EXPECT_EQ(slugify("你好，世界"), "ni-hao-shi-jie");
  EXPECT_EQ(slugify("北京"), "bei-jing");
  EXPECT_EQ(slugify("こんにちは"), "konnichiha");
  EXPECT_EQ(slugify("カタカナ"), "katakana");
  EXPECT_EQ(slugify("안녕하세요 세계"), "annyeonghaseyo-segye");
}

TEST(Slug, TransliteratesRightToLeftScripts) {
  EXPECT_EQ(slugify("مرحبا بالعالم"), "mrhba-balalm");
  EXPECT_EQ(slugify("שלום עולם"), "slwm-wlm");
  // Bidi marks around RTL text neither split nor survive.
  EXPECT_EQ(slugify("\u200Fשלום\u200E"), "slwm");
  EXPECT_EQ(slugify("١٢٣ ٤٥"), "123-45");  // Arabic-Indic digits
}

TEST(Slug, FoldsLatinAccentsLigaturesAndFullwidthForms) {
  EXPECT_EQ(slugify("Naïve Café"), "naive-cafe");
  EXPECT_EQ(slugify("Straße Œuvre ﬁle"), "strasse-oeuvre-file");
  EXPECT_EQ(slugify("ＡＢＣ１２３"), "abc123");
  EXPECT_EQ(slugify("Cafe\u0301"), "cafe");  // decomposed accent
}

TEST(Slug, KeepsAsciiWordsLowercased) {
  EXPECT_EQ(slugify("Hello World 2026"), "hello-world-2026");
  EXPECT_EQ(slugify("tech_news"), "tech-news");
  EXPECT_EQ(slugify("v1.2 release"), "v1-2-release");
}

TEST(Slug, DropsEmojiAndSymbols) {
  EXPECT_EQ(slugify("🔥🎉💯"), "");
  EXPECT_EQ(slugify("I ❤️ NY"), "i-ny");
  EXPECT_EQ(slugify("👨‍👩‍👧 family"), "family");  // ZWJ sequence
  EXPECT_EQ(slugify("price: 100€ (≈ $105)"), "price-100-105");
  // Compatibility characters fold to their plain letters before anything is dropped.
  EXPECT_EQ(slugify("Brand™ ①"), "brandtm-1");
}

TEST(Slug, ApostrophesJoinWordsInsteadOfSplittingThem) {
  EXPECT_EQ(slugify("don't stop"), "dont-stop");
  EXPECT_EQ(slugify("rock’n’roll"), "rocknroll");
}

TEST(Slug, EmojiOnlyFallsBackToTheId) {
  EXPECT_EQ(slugify("🔥🔥🔥", "123456789"), "123456789");
  EXPECT_EQ(slugify("", "42"), "42");
  // The fallback is itself made safe; a channel's negative id loses its sign.
  EXPECT_EQ(slugify("💯", "-1001234567890"), "1001234567890");
  EXPECT_EQ(slugify("💯", ""), "unknown");
  EXPECT_EQ(slugify("Hi", "42"), "hi");
}

TEST(Slug, NeutralisesPathSeparatorsAndDotDot) {
  EXPECT_EQ(slugify("../../etc/passwd"), "etc-passwd");
  EXPECT_EQ(slugify("a/../b"), "a-b");
  EXPECT_EQ(slugify("hello..world"), "hello-world");
  EXPECT_EQ(slugify(".."), "");
  EXPECT_EQ(slugify("C:\\Windows\\system32"), "c-windows-system32");
}

TEST(Slug, TreatsNulAndControlCharactersAsSeparators) {
  EXPECT_EQ(slugify("a\0b"s), "a-b");
  EXPECT_EQ(slugify("line1\nline2\ttab\rcr"), "line1-line2-tab-cr");
  EXPECT_EQ(slugify("\x1b[31mred\x1b[0m"), "31mred-0m");
  EXPECT_EQ(slugify("Привет\0мир"s), "privet-mir");  // NUL in non-ASCII text too
  EXPECT_EQ(slugify("\x01\x02\x7f"), "");
}

TEST(Slug, ToleratesInvalidUtf8) {
  EXPECT_EQ(slugify("\xff\xfe"
                    "abc"
                    "\xc3"),
            "abc");
  EXPECT_EQ(slugify("при\xd0вет"), "pri-vet");  // a truncated sequence separates
}

TEST(Slug, OutputIsAlwaysWellFormed) {
  const std::vector<std::string> nasty{
      "",
      " ",
      "-",
      "--a--",
      "..",
      "./.",
      "_",
      "a_b",
      "\0\0"s,
      "Ⅻ ⑫ ½",
      "\u00AD",
      "x\u00ADy",
      "ǅungla",
      "İstanbul",
      "ﷺ",
      "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
      "Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǒ̪",
      "🏳️‍🌈",
      "\u202Eevil\u202C",
      "%2e%2e%2f",
      "ÆØÅ æøå",
      "Łódź",
      "Ελληνικά ελληνικά",
      "Ўзбек",
      "Қазақ",
      "ภาษาไทย",
      "हिन्दी",
      "Հայերեն",
      "ქართული",
  };
  for (const auto& text : nasty) {
    const std::string slug = slugify(text);
    EXPECT_TRUE(is_well_formed_slug(slug))
        << "input " << testing::PrintToString(text) << " gave '" << slug << "'";
  }
  EXPECT_EQ(slugify("x\u00ADy"), "xy");  // soft hyphen joins
  EXPECT_EQ(slugify("Łódź"), "lodz");
  EXPECT_EQ(slugify("हिन्दी").empty(), false);
}

TEST(Slug, HandlesAFiveThousandCharacterText) {
  std::string text;
  while (text.size() < 5000) text += "Длинный текст ";
  const std::string slug = slugify(text);
  EXPECT_TRUE(is_well_formed_slug(slug));
  EXPECT_EQ(slug.substr(0, 26), "dlinnyy-tekst-dlinnyy-teks");
}

TEST(Slug, IsSafeToCallFromManyThreadsAtOnce) {
  const std::vector<std::string> inputs{"Привет, мир!", "Київ", "你好", "Καλημέρα", "plain ascii"};
  std::vector<std::string> expected;
  for (const auto& input : inputs) expected.push_back(slugify(input));
  std::vector<int> mismatches(4, 0);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < mismatches.size(); ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 200; ++round) {
        for (std::size_t i = 0; i < inputs.size(); ++i) {
          if (slugify(inputs[i]) != expected[i]) ++mismatches[t];
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(mismatches, std::vector<int>(4, 0));
}

TEST(CaptionSnippet, TakesTheFirstSixWords) {
  EXPECT_EQ(caption_snippet("one two three four five six seven eight"), "one-two-three-four-five-six");
  EXPECT_EQ(caption_snippet("Привет, мир! Как дела у тебя сегодня?"), "privet-mir-kak-dela-u-tebya");
  EXPECT_EQ(caption_snippet("short"), "short");
  EXPECT_EQ(caption_snippet(""), "");
  EXPECT_EQ(caption_snippet("   \n\t "), "");
}

TEST(CaptionSnippet, CountsWordsAfterTransliteration) {
  EXPECT_EQ(caption_snippet("你好世界和平万岁"), "ni-hao-shi-jie-he-ping");
  EXPECT_EQ(caption_snippet("hello,world foo-bar baz qux"), "hello-world-foo-bar-baz-qux");
}

TEST(CaptionSnippet, SkipsEmojiAndSymbolTokens) {
  EXPECT_EQ(caption_snippet("🔥🔥 Big — news: today! 🎉"), "big-news-today");
  EXPECT_EQ(caption_snippet("🔥🔥🔥 💯"), "");
}

TEST(CaptionSnippet, ReadsOnlyTheStartOfAFiveThousandCharacterCaption) {
  std::string words;
  while (words.size() < 5000) words += "слово ";
  EXPECT_EQ(caption_snippet(words), "slovo-slovo-slovo-slovo-slovo-slovo");

  const std::string one_token(5000, 'x');  // no spaces at all
  const std::string snippet = caption_snippet(one_token);
  EXPECT_TRUE(is_well_formed_slug(snippet));
  EXPECT_FALSE(snippet.empty());
  EXPECT_LE(snippet.size(), 256u);
}

TEST(CaptionSnippet, NeutralisesHostileCaptions) {
  EXPECT_EQ(caption_snippet("../../etc/passwd\0 rm -rf /"s), "etc-passwd-rm-rf");
  EXPECT_TRUE(is_well_formed_slug(caption_snippet("\x01\x02 a\x7f b")));
}

}  // namespace
}  // namespace teltubby::archive
