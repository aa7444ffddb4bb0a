// Acceptance, issue 5: webhook mode. The bot registers its webhook (with the secret)
// at start, archives what Telegram posts to it, and refuses — with 401/403 and no
// effect at all — a request without the X-Telegram-Bot-Api-Secret-Token header or
// with a wrong one. Back in polling mode the webhook is deleted.
#include <gtest/gtest.h>

#include "e2e/archive_checks.hpp"
#include "e2e/bot_fixture.hpp"

namespace teltubby::e2e {
namespace {

const std::string kCurator = "alice-curator";
const std::string kSecret = "e2e_Webhook-secret_0123456789";

class BotWebhook : public BotFixture {
 protected:
  void use_webhook() {
    listen_port_ = free_loopback_port();
    mode_ = "webhook";
    settings_.extra["WEBHOOK_URL"] = webhook_url();
    settings_.extra["WEBHOOK_SECRET"] = kSecret;
    settings_.extra["WEBHOOK_LISTEN"] = "127.0.0.1:" + std::to_string(listen_port_);
  }
  [[nodiscard]] std::string webhook_url() const {
    return "http://127.0.0.1:" + std::to_string(listen_port_) + "/webhook";
  }

  // An update as Telegram would post it: a curator's document.
  [[nodiscard]] Json forged_update(std::int64_t update_id) const {
    return Json{{"update_id", update_id},
                {"message",
                 {{"message_id", 900000 + update_id},
                  {"date", kMessageDate},
                  {"chat", {{"id", curator_id_}, {"type", "private"}, {"first_name", "Alice"}}},
                  {"from",
                   {{"id", curator_id_},
                    {"is_bot", false},
                    {"first_name", "Alice"},
                    {"username", curator_username_}}},
                  {"document",
                   {{"file_id", "forged-file-id"},
                    {"file_unique_id", "forged-unique"},
                    {"file_size", 10},
                    {"file_name", "forged.pdf"}}}}}};
  }

  RawResponse post_update(const Json& update, std::optional<std::string> secret) {
    ControlClient client("http://127.0.0.1:" + std::to_string(listen_port_));
    http::Headers headers{{"Content-Type", "application/json"}};
    if (secret) headers.add("X-Telegram-Bot-Api-Secret-Token", *secret);
    return client.raw("POST", "/webhook", update.dump(), headers);
  }

  std::uint16_t listen_port_ = 0;
};

TEST_F(BotWebhook, ArchivesPostedUpdatesAndRefusesRequestsWithoutTheSecret) {
  use_webhook();
  start_bot();  // the /start answer arrived through the webhook
  const Json info = world().bot_info(bot_id_);
  EXPECT_EQ(info.value("webhook_url", ""), webhook_url());

  const Json sent =
      send_as_curator(Json{{"kind", "document"},
                           {"date", kMessageDate},
                           {"file", {{"size", 12000}, {"seed", 111}, {"file_name", "hook.pdf"}}}});
  const BotReply reply = next_reply();
  const std::int64_t id = bot_message_id(sent);
  const std::string base = folder(kCurator, id);
  const std::string key = base + file_name(kCurator, kCurator, id, 1, "pdf");
  EXPECT_EQ(object_keys(), (std::vector<std::string>{key, base + "message.json"}));
  bot::IngestOutcome outcome;
  outcome.base_path = base;
  outcome.items = {item_outcome(1, bot::MediaType::document, bot::ItemStatus::stored, 12000, key)};
  EXPECT_TRUE(reply_is(reply, expected_receipt(outcome)));

  // Forged posts: no header, a wrong one, an empty one.
  for (const auto& secret :
       std::vector<std::optional<std::string>>{std::nullopt, std::string("wrong_secret"), std::string("")}) {
    const RawResponse answer = post_update(forged_update(424242), secret);
    EXPECT_TRUE(answer.status == 401 || answer.status == 403)
        << "secret " << secret.value_or("(none)") << " answered " << answer.status << ": " << answer.body;
  }
  // Nothing happened: the next real message gets the next reply, and nothing else came.
  EXPECT_TRUE(
      reply_is(send_and_reply(Json{{"kind", "text"}, {"text", "after"}}), bot::render_nothing_to_archive()));
  std::size_t sent_count = 0;
  for (const auto& event : outbox_now(curator_id_)) sent_count += event.value("type", "") == "sent" ? 1U : 0U;
  EXPECT_EQ(sent_count, 3u);  // /start answer, receipt, "nothing to archive"
  EXPECT_EQ(object_keys().size(), 2u);
  EXPECT_EQ(count_rows("messages"), 1);
}

TEST_F(BotWebhook, BackInPollingModeTheWebhookIsDeleted) {
  use_webhook();
  start_bot();
  ASSERT_EQ(world().bot_info(bot_id_).value("webhook_url", ""), webhook_url());
  ASSERT_EQ(stop_bot(), std::optional<int>{0});
  mode_ = "polling";
  settings_.extra.clear();
  start_bot();
  EXPECT_EQ(world().bot_info(bot_id_).value("webhook_url", "x"), "");
  // Polling works (getUpdates is refused while a webhook is set).
  EXPECT_TRUE(reply_is(send_and_reply(Json{{"kind", "location"}}), bot::render_nothing_to_archive()));
}

}  // namespace
}  // namespace teltubby::e2e
