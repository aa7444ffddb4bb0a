#pragma once
// ICU transform rules behind slugify() (see slug.hpp for the policy). Each rule set is
// a full chain: normalise, lower-case, romanise Cyrillic our way, then ICU's own
// Any-Latin for every other script, strip accents, and fold to ASCII.
//
// Why our own Cyrillic rules: ICU's Cyrillic-Latin is ISO 9 ("щ" -> "ŝ", which folds
// to a misleading "s"); its Russian-Latin/BGN writes "ёлка" as "yëlka" -> "yelka" and
// its Ukrainian-Latin/BGN writes "Київ" as "kyyiv". People read and type the
// practical forms: "shchuka", "yolka", "kyiv".
//
// Format characters (soft hyphen, zero-width joiners, bidi marks) are removed first:
// Latin-ASCII would turn a soft hyphen into '-' and split a word. NFKC folds
// compatibility characters to plain ones ("ﬁ" -> "fi", "™" -> "TM", "①" -> "1").
//
// Greek uses ICU's UNGEGN system (modern pronunciation: "Καλημέρα" -> "kalimera")
// rather than Any-Latin's classical one ("kalemera").
//
// Rules run left to right over text that has already been transliterated, so a
// "before" context sees Latin output: `$letter { є` means "є inside a word".
#include <string_view>

namespace teltubby::archive::rules {

// Russian (and any Cyrillic without Ukrainian-only letters): a practical system close
// to the one on Russian passports, with ё -> yo (e after the hushing consonants, as in
// "zheltyy"), й/ы -> y, ю -> yu, я -> ya, and the soft and hard signs dropped.
inline constexpr std::string_view kRussian = R"(
::NFKC;
::[:Cf:] Remove;
::Lower;
жё → zhe; чё → che; шё → she; щё → shche;
ё → yo;
а → a; б → b; в → v; г → g; д → d; е → e; ж → zh; з → z; и → i; й → y;
к → k; л → l; м → m; н → n; о → o; п → p; р → r; с → s; т → t; у → u;
ф → f; х → kh; ц → ts; ч → ch; ш → sh; щ → shch; ъ → ; ы → y; ь → ; э → e;
ю → yu; я → ya;
::Greek-Latin/UNGEGN;
::Any-Latin;
::NFD;
::[:Nonspacing Mark:] Remove;
::Latin-ASCII;
)";

// Ukrainian national romanisation (Cabinet of Ministers resolution 55, 2010): г -> h,
// ґ -> g, и -> y, і -> i; є ї й ю я are ye yi y yu ya at the start of a word and
// ie i i iu ia inside one; "зг" -> "zgh" (so it is not read as "zh"); the soft sign
// and the apostrophe are dropped.
inline constexpr std::string_view kUkrainian = R"(
::NFKC;
::[:Cf:] Remove;
::Lower;
$letter = [[:L:][:M:]];
$letter { є → ie; є → ye;
$letter { ї → i;  ї → yi;
$letter { й → i;  й → y;
$letter { ю → iu; ю → yu;
$letter { я → ia; я → ya;
зг → zgh;
а → a; б → b; в → v; г → h; ґ → g; д → d; е → e; ж → zh; з → z; и → y; і → i;
к → k; л → l; м → m; н → n; о → o; п → p; р → r; с → s; т → t; у → u;
ф → f; х → kh; ц → ts; ч → ch; ш → sh; щ → shch; ь → ;
[\u0027\u2019\u02BC] → ;
::Greek-Latin/UNGEGN;
::Any-Latin;
::NFD;
::[:Nonspacing Mark:] Remove;
::Latin-ASCII;
)";

}  // namespace teltubby::archive::rules
