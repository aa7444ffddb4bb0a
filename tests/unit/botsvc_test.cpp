// The bot service's pure parts: inbox grouping and retry delays, quota alerts, the
// webhook request check, and the command table and its texts.
#include <gtest/gtest.h>

#include "bot/commands.hpp"
#include "bot_fixtures.hpp"
#include "botsvc/commands/command_context.hpp"
#include "botsvc/inbox.hpp"
#include "botsvc/quota_alerts.hpp"
#include "botsvc/webhook.hpp"

namespace teltubby::botsvc {
namespace {

using teltubby::testing::photo_message_json;

store::DeferredMessage row(std::int64_t id, nlohmann::json message, int attempts = 0) {
  store::DeferredMessage deferred;
  deferred.id = id;
  deferred.chat_id = message["chat"]["id"].get<std::int64_t>();
  deferred.message_id = message["message_id"].get<std::int64_t>();
  deferred.reason = "received";
  deferred.payload = message.dump();
  deferred.attempts = attempts;
  return deferred;
}

nlohmann::json album_item(std::int64_t message_id, const std::string& group) {
  auto message = photo_message_json(message_id);
  message["media_group_id"] = group;
  return message;
}

TEST(InboxGrouping, AlbumRowsBecomeOneUnitInMessageOrderAndSinglesStayAlone) {
  std::vector<BrokenRow> broken;
  auto units = group_rows({row(1, album_item(12, "g1")), row(2, photo_message_json(20)), row(3, album_item(11, "g1"), 2),
                           row(4, album_item(30, "g2"))},
                          broken);
  EXPECT_TRUE(broken.empty());
  ASSERT_EQ(units.size(), 3u);
  EXPECT_TRUE(units[0].is_album);
  ASSERT_EQ(units[0].messages.size(), 2u);
  EXPECT_EQ(units[0].messages[0].message_id, 11);
  EXPECT_EQ(units[0].messages[1].message_id, 12);
  EXPECT_EQ(units[0].row_ids, (std::vector<std::int64_t>{1, 3}));
  EXPECT_EQ(units[0].attempts, 2);  // the album counts as tried when any row was
  EXPECT_FALSE(units[1].is_album);
  EXPECT_EQ(units[1].messages[0].message_id, 20);
  EXPECT_EQ(units[2].messages[0].media_group_id, std::optional<std::string>("g2"));
}

TEST(InboxGrouping, UnreadableRowsAreReportedNotGrouped) {
  std::vector<BrokenRow> broken;
  auto bad_json = row(7, photo_message_json(1));
  bad_json.payload = "{not json";
  auto not_a_message = row(8, photo_message_json(2));
  not_a_message.payload = R"({"message_id":"x"})";
  auto units = group_rows({bad_json, not_a_message, row(9, photo_message_json(3))}, broken);
  ASSERT_EQ(units.size(), 1u);
  ASSERT_EQ(broken.size(), 2u);
  EXPECT_EQ(broken[0].row_id, 7);
  EXPECT_EQ(broken[1].row_id, 8);
}

TEST(InboxRetry, DelayDoublesFromFifteenSecondsUpToTenMinutes) {
  EXPECT_EQ(retry_delay(1), std::chrono::seconds{15});
  EXPECT_EQ(retry_delay(2), std::chrono::seconds{30});
  EXPECT_EQ(retry_delay(6), std::chrono::seconds{480});
  EXPECT_EQ(retry_delay(7), std::chrono::minutes{10});
  EXPECT_EQ(retry_delay(60), std::chrono::minutes{10});
}

TEST(QuotaAlerts, LevelsAreExactAtTheBoundaries) {
  EXPECT_EQ(quota_level(79, 100), 0);
  EXPECT_EQ(quota_level(80, 100), 80);
  EXPECT_EQ(quota_level(94, 100), 80);
  EXPECT_EQ(quota_level(95, 100), 95);
  EXPECT_EQ(quota_level(250, 100), 95);
  EXPECT_EQ(quota_level(1'000'000, 0), 0);  // no quota: never an alert
}

TEST(QuotaAlerts, EachLevelIsAnnouncedOnceUntilUsageDropsBelowIt) {
  EXPECT_EQ(quota_alert_to_send(80, 0), std::optional<int>(80));
  EXPECT_EQ(quota_alert_to_send(80, 80), std::nullopt);
  EXPECT_EQ(quota_alert_to_send(95, 80), std::optional<int>(95));
  EXPECT_EQ(quota_alert_to_send(80, 95), std::nullopt);  // dropping is not announced
  EXPECT_EQ(quota_alert_to_send(0, 80), std::nullopt);
}

TEST(QuotaAlerts, AlertNamesTheLevelAndTheFigures) {
  EXPECT_EQ(render_quota_alert(80, 80, 100), "⚠️ Storage is above 80% of its quota. Storage used: 80 B of 100 B (80.0%).\n⚠️ Above 80%.");
}

TEST(QuotaCommand, ExplainsThePauseAtOneHundredPercent) {
  EXPECT_EQ(render_quota(512, 0), "Storage used: 512 B. No quota is set (S3_BUCKET_QUOTA_BYTES=0).");
  EXPECT_EQ(render_quota(1024, 2048), "Storage used: 1.0 KB of 2.0 KB (50.0%).");
  const auto full = render_quota(2048, 2048);
  EXPECT_NE(full.find("archiving is paused"), std::string::npos);
  EXPECT_NE(full.find("archived automatically"), std::string::npos);
}

TEST(Webhook, PathComesFromTheUrl) {
  EXPECT_EQ(webhook_path("https://bot.example/tg/hook?x=1"), "/tg/hook");
  EXPECT_EQ(webhook_path("https://bot.example"), "/");
  EXPECT_EQ(webhook_path("http://127.0.0.1:8443/webhook#frag"), "/webhook");
}

TEST(Webhook, SecretMustMatchExactly) {
  EXPECT_TRUE(secret_matches("s3cr3t-token", "s3cr3t-token"));
  EXPECT_FALSE(secret_matches("s3cr3t-toke", "s3cr3t-token"));
  EXPECT_FALSE(secret_matches("s3cr3t-tokenX", "s3cr3t-token"));
  EXPECT_FALSE(secret_matches("S3cr3t-token", "s3cr3t-token"));
  EXPECT_FALSE(secret_matches("", ""));  // no secret configured accepts nothing
}

httpserver::Request webhook_request(std::optional<std::string> secret, std::string body) {
  httpserver::Request request;
  request.method = "POST";
  request.path = "/webhook";
  if (secret) request.headers.emplace_back("X-Telegram-Bot-Api-Secret-Token", *secret);
  request.body = std::move(body);
  return request;
}

TEST(Webhook, RequestsWithoutTheRightSecretAreRefusedUnread) {
  int accepted = 0;
  auto accept = [&](const botapi::Update&) -> Status {
    ++accepted;
    return {};
  };
  const std::string update = nlohmann::json{{"update_id", 5}, {"message", photo_message_json(1)}}.dump();
  EXPECT_EQ(handle_webhook(webhook_request(std::nullopt, update), "right", accept).status, 401);
  EXPECT_EQ(handle_webhook(webhook_request("wrong", update), "right", accept).status, 401);
  EXPECT_EQ(accepted, 0);
  EXPECT_EQ(handle_webhook(webhook_request("right", update), "right", accept).status, 200);
  EXPECT_EQ(accepted, 1);
}

TEST(Webhook, BadBodiesAndRefusedUpdatesGetTheRightStatus) {
  auto refuse = [](const botapi::Update&) -> Status { return fail(ErrorKind::retryable, "sqlite.busy", "busy"); };
  EXPECT_EQ(handle_webhook(webhook_request("right", "not json"), "right", refuse).status, 400);
  // Telegram retries a 503, so an update that could not be made durable comes again.
  const std::string update = nlohmann::json{{"update_id", 5}, {"message", photo_message_json(1)}}.dump();
  EXPECT_EQ(handle_webhook(webhook_request("right", update), "right", refuse).status, 503);
}

TEST(Commands, EveryCommandInTheMenuHasAHandler) {
  for (const auto& spec : bot::command_table()) EXPECT_TRUE(has_handler(spec.name)) << spec.name;
}

TEST(Commands, UnknownCommandNameIsEscaped) {
  EXPECT_EQ(render_unknown_command("<b>"), "Unknown command /&lt;b&gt;. /help lists what I understand.");
}

TEST(Commands, ModeListsSetValuesEscapedAndSkipsUnsetOnes) {
  const auto text = render_mode("polling", {{"S3_BUCKET", "a<b"}, {"WEBHOOK_URL", ""}, {"TELEGRAM_BOT_TOKEN", "***"}});
  EXPECT_EQ(text, "Mode: <b>polling</b>\n<pre>S3_BUCKET=a&lt;b\nTELEGRAM_BOT_TOKEN=***\n</pre>");
}

TEST(Commands, DbMaintReportsEachStep) {
  EXPECT_EQ(render_db_maint(Status{}, Result<std::string>("ok")),
            "Database maintenance\nVACUUM: done\nIntegrity check: ok");
  const auto broken = render_db_maint(fail(ErrorKind::retryable, "sqlite.busy", "database is locked"),
                                      Result<std::string>("row 3 missing from index <i>"));
  EXPECT_EQ(broken,
            "Database maintenance\nVACUUM: failed: database is locked\nIntegrity check: problems found:\n"
            "<pre>row 3 missing from index &lt;i&gt;</pre>");
}

TEST(Commands, StatusNamesFailingDependencies) {
  StatusView view;
  view.mode = "polling";
  view.health.ok = false;
  view.health.checks["s3"] = observability::CheckReport{false, "connection refused", std::nullopt};
  view.health.checks["telegram"] = observability::CheckReport{true, "", std::nullopt};
  view.messages_waiting = 2;
  view.uptime = std::chrono::seconds{125};
  const auto text = render_status(view);
  EXPECT_NE(text.find("❌ s3: connection refused"), std::string::npos) << text;
  EXPECT_NE(text.find("✅ telegram"), std::string::npos) << text;
  EXPECT_NE(text.find("Messages waiting to be archived: 2"), std::string::npos) << text;
}

}  // namespace
}  // namespace teltubby::botsvc
