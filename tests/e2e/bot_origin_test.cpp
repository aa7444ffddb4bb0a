// Acceptance, issue 5: where an archived message's folder goes (chat_slug, DESIGN.md
// section 3) for a forward from a channel with a username, from a hidden user, from a
// visible user, and for a plain copy; and captions full of markup characters and
// Cyrillic: the receipt still renders (the fake, like Telegram, refuses bad HTML) and
// names are transliterated.
#include <gtest/gtest.h>

#include "archive/slug.hpp"
#include "e2e/archive_checks.hpp"
#include "e2e/bot_fixture.hpp"

namespace teltubby::e2e {
namespace {

const std::string kCurator = "alice-curator";

class BotOrigin : public BotFixture {
 protected:
  // Sends a 20 kB document with `extra` fields merged in; checks the one object, the
  // JSON's forward_origin and the receipt; returns the stored key.
  std::string archive_document(const Json& extra, const std::string& chat_slug,
                               const std::string& sender_slug, const std::string& caption_words = "") {
    Json body{{"kind", "document"},
              {"date", kMessageDate},
              {"file", {{"size", 20000}, {"seed", 71}, {"file_name", "a.txt"}}}};
    for (const auto& [name, value] : extra.items()) body[name] = value;
    const Json sent = send_as_curator(body);
    const std::int64_t id = bot_message_id(sent);
    const BotReply reply = next_reply();
    const std::string base = folder(chat_slug, id);
    const std::string key = base + file_name(chat_slug, sender_slug, id, 1, "txt", caption_words);
    EXPECT_EQ(object_keys(), (std::vector<std::string>{key, base + "message.json"}));
    const Json json = message_json(base);
    EXPECT_EQ(json.value("base_path", ""), base);
    EXPECT_EQ(json.value("keys", Json()), Json::array({key}));
    const auto row = store().find_message(curator_id_, id);
    EXPECT_TRUE(row.has_value() && row->has_value() && (*row)->base_path == base);
    bot::IngestOutcome outcome;
    outcome.base_path = base;
    outcome.items = {item_outcome(1, bot::MediaType::document, bot::ItemStatus::stored, 20000, key)};
    EXPECT_TRUE(reply_is(reply, expected_receipt(outcome)));
    last_json_ = json;
    return key;
  }

  Json last_json_;
};

TEST_F(BotOrigin, ChannelWithUsernameNamesTheFolderAfterTheUsername) {
  start_bot();
  const Json origin{{"type", "channel"},        {"chat_id", -1002000000701},        {"message_id", 12},
                    {"chat_title", "Big News"}, {"chat_username", "BigNews_Daily"}, {"chat_type", "channel"}};
  archive_document(Json{{"forward_origin", origin}}, "bignews-daily", "bignews-daily");
  const Json received = last_json_["telegram"].value("forward_origin", Json());
  EXPECT_EQ(received.value("type", ""), "channel");
  EXPECT_EQ(received["chat"].value("username", ""), "BigNews_Daily");
  EXPECT_EQ(received.value("message_id", 0), 12);
}

TEST_F(BotOrigin, HiddenUserFallsBackToTheCuratorForTheFolder) {
  start_bot();
  archive_document(Json{{"forward_origin", {{"type", "hidden_user"}, {"sender_user_name", "Secret Person"}}}},
                   kCurator, "secret-person");
  EXPECT_EQ(last_json_["telegram"]["forward_origin"].value("sender_user_name", ""), "Secret Person");
}

TEST_F(BotOrigin, VisibleUserNamesTheFolderAfterTheirUsername) {
  start_bot();
  archive_document(Json{{"forward_origin", {{"type", "user"}, {"sender_user_id", stranger_id_}}}},
                   "mallory-stranger", "mallory-stranger");
}

TEST_F(BotOrigin, PlainCopyUsesTheCuratorsUsername) {
  start_bot();
  archive_document(Json::object(), kCurator, kCurator);
  EXPECT_TRUE(last_json_["telegram"].value("forward_origin", Json("x")).is_null());
}

TEST_F(BotOrigin, MarkupCharactersAndCyrillicRenderAndTransliterate) {
  start_bot();
  // A channel without a username: the folder comes from its title.
  const std::string title = "Новости <Мира> & Co";
  const std::string caption = "Привет мир <b> & _*[] ёлка";
  const Json origin{{"type", "channel"},
                    {"chat_id", -1002000000702},
                    {"message_id", 3},
                    {"chat_title", title},
                    {"chat_type", "channel"}};
  const std::string words = archive::caption_snippet(caption);
  ASSERT_EQ(words.substr(0, 10), "privet-mir");
  const std::string key = archive_document(Json{{"forward_origin", origin}, {"caption", caption}},
                                           "novosti-mira-co", "novosti-mira-co", words);
  EXPECT_NE(key.find("_privet-mir"), std::string::npos) << key;
  EXPECT_EQ(last_json_["telegram"].value("caption_plain", ""), caption);
  EXPECT_EQ(last_json_["telegram"]["forward_origin"]["chat"].value("title", ""), title);
}

}  // namespace
}  // namespace teltubby::e2e
