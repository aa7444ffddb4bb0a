// The account API the stand-in libtdjson uses (docs/fake-world-protocol.md, "Account API").
// Error names are Telegram's MTProto errors (https://core.telegram.org/api/errors,
// https://core.telegram.org/api/auth, https://core.telegram.org/api/files).
#include <gtest/gtest.h>

#include "seeded_bytes.hpp"
#include "support.hpp"

namespace fake_world::testing {
namespace {

class FakeAccountApi : public ::testing::Test {
 protected:
  void SetUp() override { w.populate(); }
  std::string login() {
    const Reply phone = w.control("/control/account/login/phone", {{"phone", "+1 555 0001"}});
    EXPECT_EQ(phone.status, 200) << phone.raw;
    const Reply code = w.control("/control/account/login/code", {{"login_id", phone.body["login_id"]}, {"code", "22222"}});
    EXPECT_EQ(code.status, 200) << code.raw;
    return code.body["session"];
  }
  Reply get(const std::string& session, const std::string& call) { return w.control_get("/control/account/" + session + "/" + call); }
  WorldFixture w;
};

TEST_F(FakeAccountApi, PhoneLoginWithCodeGivesASession) {
  const Reply phone = w.control("/control/account/login/phone", {{"phone", "+15550001"}});
  EXPECT_EQ(phone.body["code_length"], 5);
  EXPECT_EQ(w.control("/control/account/login/code", {{"login_id", phone.body["login_id"]}, {"code", "00000"}}).body["error"],
            "PHONE_CODE_INVALID");
  const Reply ok = w.control("/control/account/login/code", {{"login_id", phone.body["login_id"]}, {"code", "22222"}});
  ASSERT_TRUE(ok.body.contains("session")) << ok.raw;
  const Reply state = get(ok.body["session"], "state");
  EXPECT_EQ(state.body["valid"], true);
  EXPECT_EQ(state.body["user"]["id"], w.worker_id);
  EXPECT_EQ(w.control("/control/account/login/phone", {{"phone", "+19990000"}}).body["error"], "PHONE_NUMBER_INVALID");
}

TEST_F(FakeAccountApi, ExpiredCodesAndTooManyWrongCodes) {
  w.control("/control/settings", {{"max_wrong_codes", 2}, {"flood_wait_seconds", 42}});
  const Reply phone = w.control("/control/account/login/phone", {{"phone", "+15550001"}});
  const Json wrong = {{"login_id", phone.body["login_id"]}, {"code", "1"}};
  w.control("/control/account/login/code", wrong);
  w.control("/control/account/login/code", wrong);
  const Reply flood = w.control("/control/account/login/code", wrong);
  EXPECT_EQ(flood.status, 420);
  EXPECT_EQ(flood.body["error"], "FLOOD_WAIT");
  EXPECT_EQ(flood.body["retry_after"], 42);
  const Reply again = w.control("/control/account/login/phone", {{"phone", "+15550001"}});
  w.control("/control/account/expire_codes");
  EXPECT_EQ(w.control("/control/account/login/code", {{"login_id", again.body["login_id"]}, {"code", "22222"}}).body["error"],
            "PHONE_CODE_EXPIRED");
}

TEST_F(FakeAccountApi, TwoStepPasswordAndQrLogin) {
  const std::int64_t guarded = w.control("/control/users", {{"phone", "+15550002"}, {"password", "hunter2"}, {"password_hint", "h"}}).body["id"];
  const Reply phone = w.control("/control/account/login/phone", {{"phone", "+15550002"}});
  const Reply code = w.control("/control/account/login/code", {{"login_id", phone.body["login_id"]}, {"code", "12345"}});
  EXPECT_EQ(code.body, (Json{{"password_needed", true}, {"password_hint", "h"}}));
  EXPECT_EQ(w.control("/control/account/login/password", {{"login_id", phone.body["login_id"]}, {"password", "x"}}).body["error"],
            "PASSWORD_HASH_INVALID");
  EXPECT_TRUE(w.control("/control/account/login/password", {{"login_id", phone.body["login_id"]}, {"password", "hunter2"}}).body.contains("session"));
  // QR: https://core.telegram.org/api/qr-login — the link is tg://login?token=...
  const Reply qr = w.control("/control/account/login/qr");
  EXPECT_TRUE(qr.body["link"].get<std::string>().starts_with("tg://login?token="));
  const std::string status = "/control/account/login/qr/" + qr.body["login_id"].get<std::string>();
  EXPECT_EQ(w.control_get(status).body, (Json{{"scanned", false}}));
  EXPECT_EQ(w.control("/control/account/scan_qr", {{"login_id", qr.body["login_id"]}, {"user_id", w.worker_id}}).status, 200);
  EXPECT_TRUE(w.control_get(status).body.contains("session"));
  const Reply qr2 = w.control("/control/account/login/qr");
  w.control("/control/account/scan_qr", {{"login_id", qr2.body["login_id"]}, {"user_id", guarded}});
  EXPECT_EQ(w.control_get("/control/account/login/qr/" + qr2.body["login_id"].get<std::string>()).body["password_needed"], true);
  // A phone scans the link itself (what a client shows), without knowing the login_id.
  const Reply qr3 = w.control("/control/account/login/qr");
  EXPECT_EQ(w.control("/control/account/scan_qr", {{"link", qr3.body["link"]}, {"user_id", w.worker_id}}).status, 200);
  EXPECT_TRUE(w.control_get("/control/account/login/qr/" + qr3.body["login_id"].get<std::string>()).body.contains("session"));
  EXPECT_EQ(w.control("/control/account/scan_qr", {{"link", "tg://login?token=unknown"}, {"user_id", w.worker_id}}).status, 400);
}

TEST_F(FakeAccountApi, RevokedBannedAndLoggedOutSessions) {
  const std::string session = login();
  w.control("/control/account/revoke", {{"user_id", w.worker_id}, {"reason", "revoked"}});
  EXPECT_EQ(get(session, "state").body, (Json{{"valid", false}, {"reason", "revoked"}}));
  EXPECT_EQ(get(session, "chats").body["error"], "SESSION_REVOKED");
  const std::string second = login();
  w.control("/control/account/revoke", {{"user_id", w.worker_id}, {"reason", "banned"}});
  EXPECT_EQ(get(second, "chats").body["error"], "USER_DEACTIVATED_BAN");
  EXPECT_EQ(w.control("/control/account/login/phone", {{"phone", "+15550001"}}).body["error"], "PHONE_NUMBER_BANNED");
}

TEST_F(FakeAccountApi, LogoutEndsTheSession) {
  const std::string session = login();
  EXPECT_EQ(w.control("/control/account/" + session + "/logout").status, 200);
  EXPECT_EQ(get(session, "state").body["valid"], false);
  EXPECT_EQ(get(session, "chats").body["error"], "AUTH_KEY_UNREGISTERED");
}

TEST_F(FakeAccountApi, StartsTheBotThenReadsWhatTheBotCopied) {
  const std::string session = login();
  const Reply bot_chat = w.control_get("/control/account/" + session + "/resolve?username=archive_bot");
  EXPECT_EQ(bot_chat.body["id"], w.bot_id);
  EXPECT_EQ(bot_chat.body["type"], "private");
  EXPECT_EQ(w.control_get("/control/account/" + session + "/resolve?username=nobody").body["error"], "USERNAME_NOT_OCCUPIED");
  const Reply sent = w.control("/control/account/" + session + "/send", {{"chat_id", w.bot_id}, {"text", "/start"}});
  EXPECT_EQ(sent.body["text"], "/start");
  const std::int64_t original = w.curator_sends({{"kind", "video"}, {"caption", "clip"}, {"file", {{"size", 100000}, {"seed", 5}}}});
  const Reply copied = w.bot("copyMessage", {{"chat_id", w.worker_id}, {"from_chat_id", w.curator_id}, {"message_id", original}});
  ASSERT_EQ(copied.status, 200) << copied.raw;
  const Reply chats = get(session, "chats");
  EXPECT_EQ(chats.body["chats"][0]["id"], w.bot_id);
  const Reply history = w.control_get("/control/account/" + session + "/history?chat_id=" + std::to_string(w.bot_id) + "&limit=10");
  ASSERT_EQ(history.body["messages"].size(), 2U);
  const Json& newest = history.body["messages"][0];
  EXPECT_EQ(newest["kind"], "video");
  EXPECT_EQ(newest["caption"], "clip");
  EXPECT_EQ(newest["sender_user_id"], w.bot_id);
  EXPECT_GT(newest["id"].get<std::int64_t>(), history.body["messages"][1]["id"].get<std::int64_t>());
  const Reply older = w.control_get("/control/account/" + session + "/history?chat_id=" + std::to_string(w.bot_id) +
                                    "&from_message_id=" + std::to_string(newest["id"].get<std::int64_t>()));
  EXPECT_EQ(older.body["messages"].size(), 1U);
  const Reply one = w.control_get("/control/account/" + session + "/message?chat_id=" + std::to_string(w.bot_id) +
                                  "&message_id=" + std::to_string(newest["id"].get<std::int64_t>()));
  EXPECT_EQ(one.body["files"][0]["size"], 100000);
  EXPECT_EQ(w.control_get("/control/account/" + session + "/message?chat_id=" + std::to_string(w.bot_id) + "&message_id=999").body["error"],
            "MESSAGE_ID_INVALID");
  // File bytes by offset/limit and by Range.
  const std::string unique_id = newest["files"][0]["unique_id"];
  std::string expected;
  fill_seeded_bytes(5, 0, 100000, expected);
  const auto part = w.client().Get("/control/account/" + session + "/file/" + unique_id + "?offset=1000&limit=500");
  ASSERT_TRUE(part);
  EXPECT_EQ(part->body, expected.substr(1000, 500));
  const auto ranged = w.client().Get("/control/account/" + session + "/file/" + unique_id, {{"Range", "bytes=99990-"}});
  ASSERT_TRUE(ranged);
  EXPECT_EQ(ranged->status, 206);
  EXPECT_EQ(ranged->body, expected.substr(99990));
  EXPECT_EQ(get(session, "file/AQAD999").body["error"], "FILE_ID_INVALID");
  EXPECT_EQ(get(session, "chat/" + std::to_string(w.bot_id)).body["id"], w.bot_id);
}

TEST_F(FakeAccountApi, InjectedAccountFaultsAndLimits) {
  const std::string session = login();
  w.control("/control/account/" + session + "/send", {{"chat_id", w.bot_id}, {"text", "/start"}});
  const std::int64_t original = w.curator_sends({{"kind", "document"}, {"file", {{"size", 4000}}}});
  w.bot("copyMessage", {{"chat_id", w.worker_id}, {"from_chat_id", w.curator_id}, {"message_id", original}});
  const Json newest = w.control_get("/control/account/" + session + "/history?chat_id=" + std::to_string(w.bot_id)).body["messages"][0];
  const std::string file = "file/" + newest["files"][0]["unique_id"].get<std::string>();
  w.control("/control/faults", {{"account_call", "file"}, {"kind", "file_reference_expired"}});
  EXPECT_EQ(get(session, file).body["error"], "FILE_REFERENCE_EXPIRED");
  w.control("/control/faults", {{"account_call", "file"}, {"kind", "network_down"}});
  EXPECT_EQ(get(session, file).status, 503);
  w.control("/control/faults", {{"account_call", "history"}, {"kind", "flood_wait"}, {"retry_after", 3}});
  const Reply flood = w.control_get("/control/account/" + session + "/history?chat_id=" + std::to_string(w.bot_id));
  EXPECT_EQ(flood.status, 420);
  EXPECT_EQ(flood.body["retry_after"], 3);
  EXPECT_EQ(get(session, file).raw.size(), 4000U) << "faults apply to the next calls only";
  // Telegram's limits: 2000 MB, 4000 MB with Premium.
  w.control("/control/settings", {{"download_speed_bytes_per_second", 40000}});
  const Reply limits = get(session, "limits");
  EXPECT_EQ(limits.body["max_file_size"], 2097152000ULL);
  EXPECT_EQ(limits.body["download_speed_bytes_per_second"], 40000);
  EXPECT_EQ(get(session, file).raw.size(), 4000U) << "a paced download still delivers every byte";
}

}  // namespace
}  // namespace fake_world::testing
