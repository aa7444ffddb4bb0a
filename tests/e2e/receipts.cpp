#include "e2e/receipts.hpp"

#include <regex>
#include <stdexcept>

#include "markup.hpp"

namespace teltubby::e2e {
namespace {

// The receipt's processing-time line, last in the text (human_duration's three shapes).
const std::regex& time_line() {
  static const std::regex pattern(R"(\nTime: (\d+ ms|\d+\.\d s|\d+ min \d+ s)$)");
  return pattern;
}

std::string normalise_time(const std::string& text) {
  return std::regex_replace(text, time_line(), "\nTime: 0 ms");
}

}  // namespace

BotReply chat_form(const std::string& html) {
  auto parsed = fake_world::parse_markup(html, "HTML");
  if (!parsed)
    throw std::runtime_error("expected receipt is not valid Telegram HTML: " + parsed.error().detail);
  return BotReply{0, parsed->text, parsed->entities};
}

::testing::AssertionResult reply_is(const BotReply& actual, const std::string& expected_html) {
  BotReply expected;
  try {
    expected = chat_form(expected_html);
  } catch (const std::exception& e) {
    return ::testing::AssertionFailure() << e.what();
  }
  const std::string actual_text = normalise_time(actual.text);
  if (actual_text != expected.text) {
    return ::testing::AssertionFailure() << "reply text differs.\n--- actual ---\n"
                                         << actual.text << "\n--- expected ---\n"
                                         << expected.text;
  }
  if (actual.entities != expected.entities) {
    return ::testing::AssertionFailure() << "reply entities differ for text:\n"
                                         << actual.text << "\nactual:   " << actual.entities.dump()
                                         << "\nexpected: " << expected.entities.dump();
  }
  return ::testing::AssertionSuccess();
}

std::string expected_receipt(bot::IngestOutcome outcome) {
  outcome.processing_time = std::chrono::milliseconds{0};
  return bot::render_receipt(outcome);
}

bot::ItemOutcome item_outcome(int ordinal, bot::MediaType type, bot::ItemStatus status, std::int64_t bytes,
                              std::string key) {
  bot::ItemOutcome item;
  item.ordinal = ordinal;
  item.type = type;
  item.status = status;
  item.bytes = bytes;
  item.key = std::move(key);
  return item;
}

bot::ItemOutcome failed_item(int ordinal, bot::MediaType type, std::int64_t bytes, std::string error) {
  bot::ItemOutcome item = item_outcome(ordinal, type, bot::ItemStatus::failed, bytes, "");
  item.error = std::move(error);
  return item;
}

}  // namespace teltubby::e2e
