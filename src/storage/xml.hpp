#pragma once
// A tiny purpose-built reader for the small, flat XML documents S3 answers with
// (<Error><Code>..</Code>..</Error>, ListBucketResult, InitiateMultipartUploadResult).
// It finds elements by name; it is not a general XML parser (no namespaces prefixes,
// no CDATA, no attributes), which S3's responses do not need.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace teltubby::storage::xml {

// The raw inner text of every <name>...</name> element (also <name attr="..">), in order.
// A self-closing <name/> yields an empty string.
std::vector<std::string_view> elements(std::string_view document, std::string_view name);

// The decoded text of the first <name> element, if any.
std::optional<std::string> first_text(std::string_view document, std::string_view name);

// Decodes &lt; &gt; &amp; &quot; &apos; and numeric references (&#39; &#x27;) to UTF-8.
std::string unescape(std::string_view text);
// Escapes text for an element body.
std::string escape(std::string_view text);

}  // namespace teltubby::storage::xml
