// The production loader and TdClient against the stand-in libtdjson: loading, the
// synchronous calls, and TDLib's authorization state machine. Each assertion names the
// td_api.tl definition (tdlib/td, td/generate/scheme/td_api.tl) whose shape it checks.
#include <fstream>

#include "stand_in_fixture.hpp"
#include "telegram/tdlib/td_error.hpp"

namespace teltubby::testing {
namespace {

using tdlib::TdClient;

TEST_F(StandInTest, LoaderReadsVersionThroughTdExecute) {
  // optionValueString value:string = OptionValue;  (getOption "version")
  auto version = library->version();
  ASSERT_TRUE(version.has_value());
  EXPECT_EQ(*version, "1.8.67");
  // setLogVerbosityLevel new_verbosity_level:int32 = Ok;
  auto ok = library->execute({{"@type", "setLogVerbosityLevel"}, {"new_verbosity_level", 1}});
  ASSERT_TRUE(ok.has_value());
  EXPECT_EQ((*ok)["@type"], "ok");
  // A method that cannot run synchronously: the real library's text (observed on 1.8.67).
  auto refused = library->execute({{"@type", "getMe"}});
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code, "tdlib.400");
  EXPECT_EQ(refused.error().message, "The method can't be executed synchronously");
}

TEST_F(StandInTest, LoaderThrowsFatalErrorNamingPathAndReason) {
  const auto missing = dir / "no-such-libtdjson.so";
  try {
    tdlib::TdJsonLibrary library_missing(missing);
    FAIL() << "loading a missing file must throw";
  } catch (const FatalError& error) {
    EXPECT_NE(std::string(error.what()).find(missing.string()), std::string::npos) << error.what();
    EXPECT_NE(std::string(error.what()).find("No such file"), std::string::npos) << error.what();
  }
  const auto not_a_library = dir / "libtdjson.so";
  std::ofstream(not_a_library) << "not an ELF file";
  EXPECT_THROW(tdlib::TdJsonLibrary{not_a_library}, FatalError);
  // A real shared library without TDLib's functions.
  try {
    tdlib::TdJsonLibrary wrong("libz.so.1");
    FAIL() << "a library without td_create_client_id must be refused";
  } catch (const FatalError& error) {
    EXPECT_NE(std::string(error.what()).find("td_create_client_id"), std::string::npos) << error.what();
  }
}

TEST_F(StandInTest, SanitizerBuildRefusesDeepbindWithAClearError) {
  if (!tdlib::built_with_address_sanitizer()) GTEST_SKIP() << "only meaningful under ASan";
  EXPECT_THROW(tdlib::TdJsonLibrary(TELTUBBY_FAKE_TDJSON_PATH, tdlib::kTdJsonProductionFlags), FatalError);
}

TEST_F(StandInTest, FirstUpdatesAreTheRealLibrarysOptionsThenWaitTdlibParameters) {
  UpdateLog log;
  auto client = new_client(log);
  // getMe = User; before setTdlibParameters the real library answers this text (1.8.67).
  auto early = client->call({{"@type", "getMe"}}, kWait);
  ASSERT_FALSE(early.has_value());
  EXPECT_EQ(early.error().message, "Initialization parameters are needed: call setTdlibParameters first");
  const auto updates = log.all();
  ASSERT_GE(updates.size(), 3u);
  // updateOption name:string value:OptionValue = Update;
  EXPECT_EQ(updates[0]["@type"], "updateOption");
  EXPECT_EQ(updates[0]["name"], "version");
  EXPECT_EQ(updates[0]["value"]["@type"], "optionValueString");
  EXPECT_EQ(updates[1]["name"], "commit_hash");
  // updateAuthorizationState authorization_state:AuthorizationState = Update;
  EXPECT_EQ(updates[2]["authorization_state"]["@type"], "authorizationStateWaitTdlibParameters");
  EXPECT_EQ(updates[2]["@client_id"], client->id());
  ASSERT_TRUE(client->close().has_value());
  // authorizationStateClosing = AuthorizationState; authorizationStateClosed = AuthorizationState;
  EXPECT_EQ(log.auth_states(),
            (std::vector<std::string>{"authorizationStateWaitTdlibParameters", "authorizationStateClosing",
                                      "authorizationStateClosed"}));
  // After authorizationStateClosed "all queries will be responded to with error code 500":
  // our client answers locally without sending.
  auto after = client->call({{"@type", "getMe"}}, kWait);
  ASSERT_FALSE(after.has_value());
  EXPECT_EQ(after.error().code, "tdlib.closed");
}

TEST_F(StandInTest, SetTdlibParametersRequiresApiIdApiHashAndDatabaseDirectory) {
  UpdateLog log;
  auto client = new_client(log);
  auto no_id = parameters();
  no_id.erase("api_id");
  auto answer = client->call(no_id, kWait);
  ASSERT_FALSE(answer.has_value());
  EXPECT_EQ(answer.error().message, "Valid api_id must be provided. Can be obtained at https://my.telegram.org");
  auto no_hash = parameters();
  no_hash["api_hash"] = "";
  answer = client->call(no_hash, kWait);
  ASSERT_FALSE(answer.has_value());
  EXPECT_EQ(answer.error().message, "Valid api_hash must be provided. Can be obtained at https://my.telegram.org");
  auto no_dir = parameters();
  no_dir["database_directory"] = "";
  EXPECT_FALSE(client->call(no_dir, kWait).has_value());
  EXPECT_EQ(client->authorization_state(), "authorizationStateWaitTdlibParameters");
  // ok = Ok; then authorizationStateWaitPhoneNumber = AuthorizationState;
  EXPECT_EQ(ok_call(*client, parameters())["@type"], "ok");
  EXPECT_TRUE(client->wait_for_authorization_state("authorizationStateWaitPhoneNumber", kWait));
}

TEST_F(StandInTest, PhoneCodeAndPasswordLoginWithWrongAttemptsReachesReady) {
  const std::int64_t guarded_id = create_user("Guarded", "guarded", "+15550002", "s3cret", "pet name");
  UpdateLog log;
  auto client = new_client(log);
  ok_call(*client, parameters());
  ASSERT_TRUE(client->wait_for_authorization_state("authorizationStateWaitPhoneNumber", kWait));
  Json unknown_phone = td("setAuthenticationPhoneNumber");
  unknown_phone["phone_number"] = "+1999";
  auto bad_phone = client->call(unknown_phone, kWait);
  ASSERT_FALSE(bad_phone.has_value());
  EXPECT_EQ(bad_phone.error().message, "PHONE_NUMBER_INVALID");
  enter_phone(*client, "+15550002");
  ASSERT_TRUE(client->wait_for_authorization_state("authorizationStateWaitCode", kWait));
  // authorizationStateWaitCode code_info:authenticationCodeInfo = AuthorizationState;
  // authenticationCodeInfo phone_number:string type:AuthenticationCodeType next_type:AuthenticationCodeType timeout:int32
  // authenticationCodeTypeTelegramMessage length:int32 = AuthenticationCodeType;
  const auto wait_code = client->authorization_state_object();
  EXPECT_EQ(wait_code["code_info"]["@type"], "authenticationCodeInfo");
  EXPECT_EQ(wait_code["code_info"]["phone_number"], "+15550002");
  EXPECT_EQ(wait_code["code_info"]["type"]["@type"], "authenticationCodeTypeTelegramMessage");
  EXPECT_EQ(wait_code["code_info"]["type"]["length"], 5);
  EXPECT_TRUE(wait_code["code_info"].contains("next_type"));
  EXPECT_TRUE(wait_code["code_info"].contains("timeout"));

  // error code:int32 message:string = Error; Telegram's PHONE_CODE_INVALID, code 400.
  auto wrong_code = check_code(*client, "11111");
  ASSERT_FALSE(wrong_code.has_value());
  EXPECT_EQ(wrong_code.error().code, "tdlib.400");
  EXPECT_EQ(wrong_code.error().message, "PHONE_CODE_INVALID");
  EXPECT_EQ(client->authorization_state(), "authorizationStateWaitCode");

  ASSERT_TRUE(check_code(*client, kWorkerCode).has_value());
  ASSERT_TRUE(client->wait_for_authorization_state("authorizationStateWaitPassword", kWait));
  // authorizationStateWaitPassword password_hint:string has_recovery_email_address:Bool
  //   has_passport_data:Bool recovery_email_address_pattern:string = AuthorizationState;
  const auto wait_password = client->authorization_state_object();
  EXPECT_EQ(wait_password["password_hint"], "pet name");
  for (const char* key : {"has_recovery_email_address", "has_passport_data", "recovery_email_address_pattern"}) {
    EXPECT_TRUE(wait_password.contains(key)) << key;
  }
  auto wrong_password = check_password(*client, "nope");
  ASSERT_FALSE(wrong_password.has_value());
  EXPECT_EQ(wrong_password.error().message, "PASSWORD_HASH_INVALID");
  ASSERT_TRUE(check_password(*client, "s3cret").has_value());
  ASSERT_TRUE(client->wait_for_authorization_state("authorizationStateReady", kWait));
  // getMe = User; user id:int53 first_name:string last_name:string usernames:usernames phone_number:string ...
  auto me = ok_call(*client, {{"@type", "getMe"}});
  EXPECT_EQ(me["@type"], "user");
  EXPECT_EQ(me["id"], guarded_id);
  EXPECT_EQ(me["first_name"], "Guarded");
  EXPECT_EQ(me["usernames"]["@type"], "usernames");
  EXPECT_EQ(me["type"]["@type"], "userTypeRegular");
}

TEST_F(StandInTest, SessionPersistsSoARestartedClientStartsReady) {
  {
    UpdateLog log;
    auto client = new_client(log);
    log_in(*client);
    ASSERT_TRUE(client->close().has_value());
  }
  UpdateLog log;
  auto client = new_client(log);
  ok_call(*client, parameters());
  ASSERT_TRUE(client->wait_for_authorization_state("authorizationStateReady", kWait));
  EXPECT_EQ(log.auth_states(),
            (std::vector<std::string>{"authorizationStateWaitTdlibParameters", "authorizationStateReady"}));
  EXPECT_EQ(ok_call(*client, {{"@type", "getMe"}})["id"], worker_id);
  // The session is a secret: owner-only permissions.
  const auto perms = std::filesystem::status(dir / "db" / "fake_tdlib_session.json").permissions();
  EXPECT_EQ(perms & (std::filesystem::perms::group_all | std::filesystem::perms::others_all),
            std::filesystem::perms::none);
}

TEST_F(StandInTest, ExpiredCodeIsPhoneCodeExpired) {
  UpdateLog log;
  auto client = new_client(log);
  ok_call(*client, parameters());
  enter_phone(*client, kWorkerPhone);
  ASSERT_TRUE(client->wait_for_authorization_state("authorizationStateWaitCode", kWait));
  ASSERT_EQ(control("/control/account/expire_codes").status, 200);
  // error code:int32 message:string = Error; Telegram's PHONE_CODE_EXPIRED, code 400.
  auto expired = check_code(*client, kWorkerCode);
  ASSERT_FALSE(expired.has_value());
  EXPECT_EQ(expired.error().code, "tdlib.400");
  EXPECT_EQ(expired.error().message, "PHONE_CODE_EXPIRED");
}

TEST_F(StandInTest, TooManyWrongCodesAreAFloodWaitAnswered429WithRetryAfter) {
  set_setting("max_wrong_codes", 2);
  set_setting("flood_wait_seconds", 37);
  UpdateLog log;
  auto client = new_client(log);
  ok_call(*client, parameters());
  enter_phone(*client, kWorkerPhone);
  ASSERT_TRUE(client->wait_for_authorization_state("authorizationStateWaitCode", kWait));
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto wrong = check_code(*client, "00000");
    ASSERT_FALSE(wrong.has_value());
    EXPECT_EQ(wrong.error().message, "PHONE_CODE_INVALID");
  }
  // Even the right code is refused now. TDLib's own flood answer: error 429
  // "Too Many Requests: retry after N" (FLOOD_WAIT_N it does not wait out itself).
  auto answer = check_code(*client, kWorkerCode);
  ASSERT_FALSE(answer.has_value());
  EXPECT_EQ(answer.error().code, "tdlib.429");
  EXPECT_EQ(answer.error().message, "Too Many Requests: retry after 37");
  EXPECT_EQ(answer.error().retry_after, std::chrono::seconds(37));
  EXPECT_TRUE(answer.error().retryable());
}

TEST_F(StandInTest, InjectedFloodWaitIsAnswered429WithRetryAfterParsed) {
  account_fault("login/code", "flood_wait", 1, 41);
  UpdateLog log;
  auto client = new_client(log);
  ok_call(*client, parameters());
  enter_phone(*client, kWorkerPhone);
  auto answer = check_code(*client, kWorkerCode);
  ASSERT_FALSE(answer.has_value());
  EXPECT_EQ(answer.error().code, "tdlib.429");
  EXPECT_EQ(answer.error().message, "Too Many Requests: retry after 41");
  // The fault was for one call: the same code now logs in.
  ASSERT_TRUE(check_code(*client, kWorkerCode).has_value());
  EXPECT_TRUE(client->wait_for_authorization_state("authorizationStateReady", kWait));
}

TEST_F(StandInTest, QrLoginWaitsForTheScanThenIsReady) {
  UpdateLog log;
  auto client = new_client(log);
  ok_call(*client, parameters());
  ASSERT_TRUE(client->wait_for_authorization_state("authorizationStateWaitPhoneNumber", kWait));
  // requestQrCodeAuthentication other_user_ids:vector<int53> = Ok;
  ok_call(*client, {{"@type", "requestQrCodeAuthentication"}, {"other_user_ids", nlohmann::json::array()}});
  ASSERT_TRUE(client->wait_for_authorization_state("authorizationStateWaitOtherDeviceConfirmation", kWait));
  // authorizationStateWaitOtherDeviceConfirmation link:string = AuthorizationState;
  const std::string link = client->authorization_state_object()["link"];
  EXPECT_TRUE(link.starts_with("tg://login?token=")) << link;
  EXPECT_EQ(client->authorization_state(), "authorizationStateWaitOtherDeviceConfirmation");
  // The worker's "phone" scans the code: POST /control/account/scan_qr {link, user_id}.
  Json scan = Json::object();
  scan["link"] = link;
  scan["user_id"] = worker_id;
  const HttpReply scanned = control("/control/account/scan_qr", scan);
  ASSERT_EQ(scanned.status, 200) << scanned.raw;
  ASSERT_TRUE(client->wait_for_authorization_state("authorizationStateReady", kWait));
  EXPECT_EQ(ok_call(*client, td("getMe"))["id"], worker_id);
}

TEST_F(StandInTest, SessionRevokedElsewhereGoesLoggingOutThenClosed) {
  UpdateLog log;
  auto client = new_client(log);
  log_in(*client);
  // POST /control/account/revoke {user_id, reason}: the session ends from elsewhere.
  Json revoke = Json::object();
  revoke["user_id"] = worker_id;
  revoke["reason"] = "revoked";
  ASSERT_EQ(control("/control/account/revoke", revoke).status, 200);
  ASSERT_TRUE(client->wait_for_authorization_state("authorizationStateClosed", kWait));
  const auto states = log.auth_states();
  ASSERT_GE(states.size(), 2u);
  EXPECT_EQ(states[states.size() - 2], "authorizationStateLoggingOut");
  EXPECT_TRUE(client->closed());
  // The session is gone: a new client must log in again.
  UpdateLog log2;
  auto again = new_client(log2);
  ok_call(*again, parameters());
  EXPECT_TRUE(again->wait_for_authorization_state("authorizationStateWaitPhoneNumber", kWait));
}

TEST_F(StandInTest, LogOutGoesLoggingOutThenClosed) {
  UpdateLog log;
  auto client = new_client(log);
  log_in(*client);
  // logOut = Ok;
  EXPECT_EQ(ok_call(*client, {{"@type", "logOut"}})["@type"], "ok");
  ASSERT_TRUE(client->wait_for_authorization_state("authorizationStateClosed", kWait));
  const auto states = log.auth_states();
  EXPECT_EQ(states[states.size() - 2], "authorizationStateLoggingOut");
  EXPECT_FALSE(std::filesystem::exists(dir / "db" / "fake_tdlib_session.json"));
}

TEST_F(StandInTest, RequestsBeforeLoginAreUnauthorized) {
  UpdateLog log;
  auto client = new_client(log);
  ok_call(*client, parameters());
  auto answer = client->call({{"@type", "getChat"}, {"chat_id", 1}}, kWait);
  ASSERT_FALSE(answer.has_value());
  EXPECT_EQ(answer.error().code, "tdlib.401");
  EXPECT_TRUE(tdlib::is_auth_error(answer.error()));
}

}  // namespace
}  // namespace teltubby::testing
