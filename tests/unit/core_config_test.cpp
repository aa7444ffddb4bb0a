#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "core/config.hpp"
#include "core/env_file.hpp"

namespace teltubby {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace std::chrono_literals;

constexpr std::string_view kToken = "1234567:FAKEtokenFORteltubbyTESTSonly00000_";  // 35 after ':'
constexpr std::string_view kApiHash = "0123456789abcdef0123456789ABCDEF";

EnvMap minimal_bot_env() {
  return {{"TELEGRAM_BOT_TOKEN", std::string(kToken)},
          {"TELEGRAM_WHITELIST_IDS", "111, 222"},
          {"S3_ENDPOINT", "http://127.0.0.1:9000/"},
          {"S3_ACCESS_KEY_ID", "AKIAEXAMPLEKEY"},
          {"S3_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
          {"S3_BUCKET", "teltubby-archive"}};
}

std::vector<ConfigProblem> problems_of(const EnvMap& env, ConfigRole role = ConfigRole::any) {
  auto result = load_config(env, role);
  EXPECT_FALSE(result.has_value()) << "expected the configuration to be rejected";
  return result ? std::vector<ConfigProblem>{} : result.error();
}

std::set<std::string> names_of(const std::vector<ConfigProblem>& problems) {
  std::set<std::string> names;
  for (const auto& problem : problems) names.insert(problem.variable);
  return names;
}

std::string all_text(const std::vector<ConfigProblem>& problems) {
  std::string text;
  for (const auto& problem : problems) text += describe(problem) + "\n";
  return text;
}

TEST(Config, EmptyEnvironmentGivesTheDocumentedDefaultsForTooling) {
  const auto config = load_config({}, ConfigRole::any);
  ASSERT_TRUE(config.has_value()) << all_text(config.error());
  EXPECT_EQ(config->telegram_mode, TelegramMode::polling);
  EXPECT_EQ(config->webhook_listen, (HostPort{"0.0.0.0", 8080}));
  EXPECT_EQ(config->telegram_api_base_url, "https://api.telegram.org");
  EXPECT_FALSE(config->telegram_local_mode);
  EXPECT_EQ(config->bot_api_max_file_bytes, 20971520U);
  EXPECT_EQ(config->s3_region, "us-east-1");
  EXPECT_TRUE(config->s3_force_path_style);
  EXPECT_FALSE(config->minio_tls_skip_verify);
  EXPECT_EQ(config->s3_bucket_quota_bytes, 0U);
  EXPECT_EQ(config->s3_multipart_part_bytes, 8U * 1024 * 1024);
  EXPECT_EQ(config->s3_quota_relist_interval, 3600s);
  EXPECT_EQ(config->album_aggregation_window, 2s);
  EXPECT_EQ(config->max_file_bytes, 4ULL * 1024 * 1024 * 1024);
  EXPECT_EQ(config->concurrency, 8U);
  EXPECT_EQ(config->io_timeout, 60s);
  EXPECT_TRUE(config->dedup_enable);
  EXPECT_EQ(config->data_dir, "data");
  EXPECT_EQ(config->sqlite_path, "data/teltubby.db");
  EXPECT_EQ(config->work_dir, "data/work");
  EXPECT_EQ(config->log_level, LogLevel::info);
  EXPECT_TRUE(config->log_file.empty());
  EXPECT_EQ(config->log_rotate_max_bytes, 5U * 1024 * 1024);
  EXPECT_EQ(config->log_rotate_backup_count, 10U);
  EXPECT_EQ(config->health_port, 8081);
  EXPECT_TRUE(config->bind_health_localhost_only);
  EXPECT_EQ(config->rabbitmq_host, "localhost");
  EXPECT_EQ(config->rabbitmq_port, 5672);
  EXPECT_EQ(config->rabbitmq_username, "guest");
  EXPECT_EQ(config->rabbitmq_password, "guest");
  EXPECT_EQ(config->rabbitmq_vhost, "/");
  EXPECT_EQ(config->job_queue_name, "teltubby.large_files");
  EXPECT_EQ(config->job_dead_letter_queue, "teltubby.failed_jobs");
  EXPECT_EQ(config->job_priority_queue, "teltubby.priority_jobs");
  EXPECT_EQ(config->job_retry_queue, "teltubby.retry_jobs");
  EXPECT_EQ(config->job_exchange, "teltubby.jobs");
  EXPECT_EQ(config->job_dlx_exchange, "teltubby.dlx");
  EXPECT_EQ(config->worker_concurrency, 1U);
  EXPECT_EQ(config->worker_max_retries, 3U);
  EXPECT_EQ(config->worker_retry_delay, 60s);
  EXPECT_EQ(config->worker_health_check_interval, 30s);
  EXPECT_EQ(config->mtproto_api_id, 0);
  EXPECT_EQ(config->mtproto_session_path, "data/mtproto");
  EXPECT_EQ(config->tdjson_path, "node_modules/@prebuilt-tdlib/linux-x64-glibc/libtdjson.so");
  EXPECT_TRUE(config->telegram_bot_token.empty());
  EXPECT_TRUE(config->telegram_whitelist_ids.empty());
}

TEST(Config, PathDefaultsFollowTheDataDirectoryButExplicitPathsDoNot) {
  const auto config = load_config({{"TELTUBBY_DATA_DIR", "/var/lib/teltubby/"}, {"SQLITE_PATH", "/db/t.db"}},
                                  ConfigRole::any);
  ASSERT_TRUE(config.has_value()) << all_text(config.error());
  EXPECT_EQ(config->sqlite_path, "/db/t.db");
  EXPECT_EQ(config->work_dir, "/var/lib/teltubby/work");
  EXPECT_EQ(config->mtproto_session_path, "/var/lib/teltubby/mtproto");
}

TEST(Config, ValidBotEnvironmentLoadsTypedValues) {
  auto env = minimal_bot_env();
  env["ALBUM_AGGREGATION_WINDOW_SECONDS"] = "0.25";
  env["MAX_FILE_GB"] = "0.5";
  env["TELEGRAM_MODE"] = "webhook";
  env["WEBHOOK_URL"] = "https://bot.example.org/hook";
  env["WEBHOOK_SECRET"] = "s3cr3t_-TOKEN";
  env["WEBHOOK_LISTEN"] = "[::1]:8443";
  const auto config = load_config(env, ConfigRole::bot);
  ASSERT_TRUE(config.has_value()) << all_text(config.error());
  EXPECT_EQ(config->telegram_whitelist_ids, (std::vector<std::int64_t>{111, 222}));
  EXPECT_EQ(config->s3_endpoint, "http://127.0.0.1:9000");  // trailing slash dropped
  EXPECT_EQ(config->album_aggregation_window, 250ms);
  EXPECT_EQ(config->max_file_bytes, 512ULL * 1024 * 1024);
  EXPECT_EQ(config->telegram_mode, TelegramMode::webhook);
  EXPECT_EQ(config->webhook_listen, (HostPort{"::1", 8443}));
}

TEST(Config, EmptyValueCountsAsUnset) {
  const auto config = load_config({{"CONCURRENCY", ""}, {"LOG_FILE", ""}}, ConfigRole::any);
  ASSERT_TRUE(config.has_value());
  EXPECT_EQ(config->concurrency, 8U);
  EXPECT_TRUE(config->log_file.empty());
}

struct BadValue {
  std::string variable;
  std::string value;
  std::string expected_fragment;
};

// Readable test names in ctest (instead of a byte dump of the parameter).
void PrintTo(const BadValue& bad, std::ostream* out) {
  *out << bad.variable;
}

class ConfigRejects : public ::testing::TestWithParam<BadValue> {};

TEST_P(ConfigRejects, EachKindOfBadValueWithTheVariableAndWhatIsExpected) {
  const auto& bad = GetParam();
  const auto problems = problems_of({{bad.variable, bad.value}});
  ASSERT_EQ(problems.size(), 1U) << all_text(problems);
  EXPECT_EQ(problems[0].variable, bad.variable);
  EXPECT_TRUE(problems[0].was_set);
  EXPECT_THAT(problems[0].expected, HasSubstr(bad.expected_fragment));
  EXPECT_THAT(describe(problems[0]), HasSubstr(bad.variable));
}

INSTANTIATE_TEST_SUITE_P(
    Values, ConfigRejects,
    ::testing::Values(
        BadValue{"CONCURRENCY", "0", "1-32"}, BadValue{"CONCURRENCY", "33", "1-32"},
        BadValue{"CONCURRENCY", "-1", "1-32"}, BadValue{"CONCURRENCY", "8 ", "1-32"},
        BadValue{"WORKER_CONCURRENCY", "abc", "1-32"}, BadValue{"HEALTH_PORT", "0", "1-65535"},
        BadValue{"RABBITMQ_PORT", "65536", "1-65535"}, BadValue{"DEDUP_ENABLE", "maybe", "true or false"},
        BadValue{"TELEGRAM_MODE", "pull", "polling or webhook"},
        BadValue{"WEBHOOK_URL", "http://insecure.example.org", "https://"},
        BadValue{"WEBHOOK_SECRET", "has space", "A-Z a-z 0-9 _ -"},
        BadValue{"WEBHOOK_SECRET", std::string(257, 'a'), "1-256"},
        BadValue{"WEBHOOK_LISTEN", "8080", "host:port"}, BadValue{"WEBHOOK_LISTEN", "::1:8080", "host:port"},
        BadValue{"TELEGRAM_API_BASE_URL", "ftp://x", "http"},
        BadValue{"TELEGRAM_BOT_TOKEN", "1234567:short", "35"},
        BadValue{"TELEGRAM_BOT_TOKEN", "1234:FAKEtokenFORteltubbyTESTSonly00000_", "5 digits"},
        BadValue{"TELEGRAM_WHITELIST_IDS", "1,two", "user ids"},
        BadValue{"TELEGRAM_WHITELIST_IDS", ",", "user ids"},
        BadValue{"TELEGRAM_WHITELIST_IDS", "-5", "user ids"}, BadValue{"S3_ENDPOINT", "minio:9000", "URL"},
        BadValue{"S3_BUCKET", "Bad_Bucket", "bucket name"},
        BadValue{"S3_MULTIPART_PART_BYTES", "1048576", "5242880"},
        BadValue{"S3_QUOTA_RELIST_SECONDS", "0", "seconds"},
        BadValue{"ALBUM_AGGREGATION_WINDOW_SECONDS", "0.0001", "3 decimals"},
        BadValue{"ALBUM_AGGREGATION_WINDOW_SECONDS", "1e3", "seconds"},
        BadValue{"IO_TIMEOUT_SECONDS", "0", "seconds"}, BadValue{"MAX_FILE_GB", "4000", "GiB"},
        BadValue{"MAX_FILE_GB", ".5", "GiB"}, BadValue{"LOG_LEVEL", "loud", "debug, info, warn or error"},
        BadValue{"LOG_ROTATE_MAX_BYTES", "100", "1024"},
        BadValue{"LOG_ROTATE_BACKUP_COUNT", "1001", "0-1000"},
        BadValue{"JOB_QUEUE_NAME", "has space", "queue or exchange"},
        BadValue{"MTPROTO_API_ID", "0", "whole number"},
        BadValue{"MTPROTO_API_HASH", "xyz", "32 hexadecimal"},
        BadValue{"MTPROTO_PHONE_NUMBER", "call me", "phone number"}, BadValue{"SQLITE_PATH", "a\tb", "path"},
        BadValue{"BOT_API_MAX_FILE_BYTES", "0", "whole number"}),
    [](const auto& param_info) {
      return param_info.param.variable + "_" + std::to_string(param_info.index);
    });

// Acceptance point: several bad variables at once are all reported in one run.
TEST(Config, SeveralBadVariablesAreAllReportedInOneRun) {
  const auto problems = problems_of({{"CONCURRENCY", "99"},
                                     {"HEALTH_PORT", "http"},
                                     {"TELEGRAM_MODE", "push"},
                                     {"DEDUP_ENABLE", "perhaps"},
                                     {"S3_BUCKET", "UPPER"},
                                     {"LOG_LEVEL", "verbose"}});
  EXPECT_EQ(names_of(problems), (std::set<std::string>{"CONCURRENCY", "HEALTH_PORT", "TELEGRAM_MODE",
                                                       "DEDUP_ENABLE", "S3_BUCKET", "LOG_LEVEL"}));
}

TEST(Config, ToolingRoleNeedsNothingButBotAndWorkerNeedTheirCredentials) {
  EXPECT_TRUE(load_config({}, ConfigRole::any).has_value());
  EXPECT_EQ(names_of(problems_of({}, ConfigRole::bot)),
            (std::set<std::string>{"TELEGRAM_BOT_TOKEN", "TELEGRAM_WHITELIST_IDS", "S3_ENDPOINT",
                                   "S3_ACCESS_KEY_ID", "S3_SECRET_ACCESS_KEY", "S3_BUCKET"}));
  EXPECT_EQ(names_of(problems_of({}, ConfigRole::worker)),
            (std::set<std::string>{"MTPROTO_API_ID", "MTPROTO_API_HASH", "S3_ENDPOINT", "S3_ACCESS_KEY_ID",
                                   "S3_SECRET_ACCESS_KEY", "S3_BUCKET"}));
  for (const auto& problem : problems_of({}, ConfigRole::bot)) {
    EXPECT_FALSE(problem.was_set);
    EXPECT_THAT(describe(problem), HasSubstr("is not set: required for `teltubby bot`"));
  }
  EXPECT_TRUE(load_config(minimal_bot_env(), ConfigRole::bot).has_value());
  auto worker_env = minimal_bot_env();
  worker_env["MTPROTO_API_ID"] = "12345";
  worker_env["MTPROTO_API_HASH"] = std::string(kApiHash);
  EXPECT_TRUE(load_config(worker_env, ConfigRole::worker).has_value());
}

TEST(Config, WebhookModeNeedsUrlAndSecret) {
  auto env = minimal_bot_env();
  env["TELEGRAM_MODE"] = "webhook";
  EXPECT_EQ(names_of(problems_of(env, ConfigRole::bot)),
            (std::set<std::string>{"WEBHOOK_URL", "WEBHOOK_SECRET"}));
}

TEST(Config, LocalModeNeedsALocalServerUrl) {
  EXPECT_EQ(names_of(problems_of({{"TELEGRAM_LOCAL_MODE", "true"}})),
            (std::set<std::string>{"TELEGRAM_API_BASE_URL"}));
  EXPECT_TRUE(
      load_config({{"TELEGRAM_LOCAL_MODE", "yes"}, {"TELEGRAM_API_BASE_URL", "http://127.0.0.1:8081"}},
                  ConfigRole::any)
          .has_value());
}

TEST(Config, SecretsNeverAppearInProblems) {
  const std::string bad_token = "9876543:this-is-not-35-characters-but-secret";
  const std::string password = "hunter2-password\x01";  // control character: rejected
  const std::string hash = "zzzzsecretzzzz";
  const std::string db_key = std::string("db-key-secret\x02");
  const std::string webhook_secret = "webhook secret with spaces";
  const auto problems = problems_of({{"TELEGRAM_BOT_TOKEN", bad_token},
                                     {"RABBITMQ_PASSWORD", password},
                                     {"MTPROTO_API_HASH", hash},
                                     {"MTPROTO_DATABASE_KEY", db_key},
                                     {"WEBHOOK_SECRET", webhook_secret},
                                     {"S3_SECRET_ACCESS_KEY", "secret\x03key-value"}});
  ASSERT_EQ(problems.size(), 6U) << all_text(problems);
  const auto text = all_text(problems);
  for (const auto& secret :
       {std::string("this-is-not"), std::string("hunter2"), std::string("secretzzzz"),
        std::string("key-secret"), std::string("with spaces"), std::string("key-value")}) {
    EXPECT_THAT(text, Not(HasSubstr(secret)));
  }
  EXPECT_THAT(text, HasSubstr("TELEGRAM_BOT_TOKEN=\"9876543:***\""));
}

TEST(Config, TokenPastedIntoAPlainVariableIsRedactedInProblems) {
  const auto problems = problems_of({{"S3_BUCKET", std::string(kToken)}});
  ASSERT_EQ(problems.size(), 1U);
  EXPECT_THAT(describe(problems[0]), Not(HasSubstr(kToken.substr(10))));
  EXPECT_THAT(describe(problems[0]), HasSubstr(kRedacted));
}

TEST(ConfigMask, ShowsAtMostAShortPrefix) {
  EXPECT_EQ(mask_value(kToken, Secrecy::bot_token), "1234567:***");
  EXPECT_EQ(mask_value("not-a-token-but-long-enough", Secrecy::bot_token), "no***");
  EXPECT_EQ(mask_value("short", Secrecy::secret), "***");
  EXPECT_EQ(mask_value("a-very-long-secret-value", Secrecy::secret), "a-***");
  EXPECT_EQ(mask_value("AKIAEXAMPLEKEY", Secrecy::partial), "AKIA***");
  EXPECT_EQ(mask_value("AKIA", Secrecy::partial), "***");
  EXPECT_EQ(mask_value("", Secrecy::secret), "");
  EXPECT_EQ(mask_value("visible", Secrecy::none), "visible");
}

TEST(ConfigPrint, SecretsAreMaskedInPrintedConfiguration) {
  auto env = minimal_bot_env();
  env["RABBITMQ_PASSWORD"] = "rabbit-password-value";
  env["MTPROTO_API_HASH"] = std::string(kApiHash);
  env["MTPROTO_DATABASE_KEY"] = "database-key-value";
  env["WEBHOOK_SECRET"] = "webhook_secret_value";
  env["MTPROTO_PHONE_NUMBER"] = "+15551234567";
  const auto config = load_config(env, ConfigRole::bot);
  ASSERT_TRUE(config.has_value()) << all_text(config.error());
  const auto printed = format_config(*config);
  for (const auto& secret :
       {std::string(kToken.substr(10)), std::string("XUtnFEMI"), std::string("password-value"),
        std::string("456789abcdef"), std::string("key-value"), std::string("secret_value"),
        std::string("51234567")}) {
    EXPECT_THAT(printed, Not(HasSubstr(secret)));
  }
  EXPECT_THAT(printed, HasSubstr("TELEGRAM_BOT_TOKEN=1234567:***\n"));
  EXPECT_THAT(printed, HasSubstr("S3_ACCESS_KEY_ID=AKIA***\n"));
  EXPECT_THAT(printed, HasSubstr("S3_BUCKET=teltubby-archive\n"));
  EXPECT_THAT(printed, HasSubstr("# RabbitMQ and jobs\n"));
}

// Every variable of the table is read by the loader and printed by the printer: a
// configuration with every variable set to a non-default value prints back exactly.
TEST(ConfigPrint, EveryVariableRoundTripsThroughLoaderAndPrinter) {
  const EnvMap env{{"TELEGRAM_WHITELIST_IDS", "5,6"},
                   {"TELEGRAM_MODE", "webhook"},
                   {"WEBHOOK_URL", "https://example.org/hook"},
                   {"WEBHOOK_SECRET", "only_secret_in_this_test"},
                   {"WEBHOOK_LISTEN", "127.0.0.1:9443"},
                   {"TELEGRAM_API_BASE_URL", "http://127.0.0.1:8088"},
                   {"TELEGRAM_LOCAL_MODE", "true"},
                   {"BOT_API_MAX_FILE_BYTES", "2097152000"},
                   {"S3_ENDPOINT", "https://s3.example.org"},
                   {"S3_BUCKET", "bucket.one"},
                   {"S3_REGION", "eu-west-1"},
                   {"S3_FORCE_PATH_STYLE", "false"},
                   {"MINIO_TLS_SKIP_VERIFY", "true"},
                   {"S3_BUCKET_QUOTA_BYTES", "1000000"},
                   {"S3_MULTIPART_PART_BYTES", "5242880"},
                   {"S3_QUOTA_RELIST_SECONDS", "120.5"},
                   {"ALBUM_AGGREGATION_WINDOW_SECONDS", "0.2"},
                   {"MAX_FILE_GB", "2.5"},
                   {"CONCURRENCY", "3"},
                   {"IO_TIMEOUT_SECONDS", "5"},
                   {"DEDUP_ENABLE", "false"},
                   {"TELTUBBY_DATA_DIR", "/srv/t"},
                   {"SQLITE_PATH", "/srv/db.sqlite"},
                   {"TELTUBBY_WORK_DIR", "/tmp/work"},
                   {"LOG_LEVEL", "debug"},
                   {"LOG_FILE", "/var/log/t.log"},
                   {"LOG_ROTATE_MAX_BYTES", "2048"},
                   {"LOG_ROTATE_BACKUP_COUNT", "0"},
                   {"HEALTH_PORT", "9100"},
                   {"BIND_HEALTH_LOCALHOST_ONLY", "false"},
                   {"RABBITMQ_HOST", "mq.internal"},
                   {"RABBITMQ_PORT", "5673"},
                   {"RABBITMQ_USERNAME", "teltubby"},
                   {"RABBITMQ_VHOST", "archive"},
                   {"JOB_QUEUE_NAME", "q1"},
                   {"JOB_DEAD_LETTER_QUEUE", "q2"},
                   {"JOB_PRIORITY_QUEUE", "q3"},
                   {"JOB_RETRY_QUEUE", "q4"},
                   {"JOB_EXCHANGE", "x1"},
                   {"JOB_DLX_EXCHANGE", "x2"},
                   {"JOB_EVENTS_EXCHANGE", "x3"},
                   {"JOB_BOT_EVENTS_QUEUE", "q5"},
                   {"JOB_WORKER_CONTROL_QUEUE", "q6"},
                   {"WORKER_CONCURRENCY", "4"},
                   {"WORKER_MAX_RETRIES", "0"},
                   {"WORKER_RETRY_DELAY_SECONDS", "1.5"},
                   {"WORKER_HEALTH_CHECK_INTERVAL", "10"},
                   {"MTPROTO_API_ID", "777"},
                   {"MTPROTO_SESSION_PATH", "/srv/session"},
                   {"TDJSON_PATH", "/usr/lib/libtdjson.so"}};
  const auto config = load_config(env, ConfigRole::any);
  ASSERT_TRUE(config.has_value()) << all_text(config.error());
  const auto rows = describe_config(*config);
  ASSERT_EQ(rows.size(), config_variables().size());
  std::size_t non_secret_checked = 0;
  const auto non_secret_given =
      static_cast<std::size_t>(std::count_if(env.begin(), env.end(), [](const auto& entry) {
        return find_config_variable(entry.first)->secrecy == Secrecy::none;
      }));
  for (const auto& [name, shown] : rows) {
    const auto* variable = find_config_variable(name);
    ASSERT_NE(variable, nullptr) << name;
    if (variable->secrecy != Secrecy::none) continue;
    ++non_secret_checked;
    const auto given = env.find(name);
    ASSERT_NE(given, env.end()) << "test must set " << name;
    EXPECT_EQ(shown, given->second) << name;
    EXPECT_NE(shown, variable->default_text) << name << " should differ from its default in this test";
  }
  EXPECT_EQ(non_secret_checked, non_secret_given);
  EXPECT_EQ(non_secret_given, env.size() - 1);
}

TEST(ConfigPrint, MarkdownReferenceListsEveryVariableOnce) {
  const auto markdown = config_reference_markdown();
  for (const auto& variable : config_variables()) {
    const auto cell = "| `" + std::string(variable.name) + "` |";
    const auto first = markdown.find(cell);
    EXPECT_NE(first, std::string::npos) << variable.name;
    EXPECT_EQ(markdown.find(cell, first + 1), std::string::npos) << variable.name;
  }
  EXPECT_THAT(markdown, HasSubstr("| `CONCURRENCY` | `8` |"));
  EXPECT_THAT(markdown, HasSubstr("| `TELEGRAM_BOT_TOKEN` | (none) | bot |"));
}

TEST(ConfigTable, EveryTableDefaultParses) {
  // The defaults are parsed by the loader; an unparsable one would fail every start.
  const auto config = load_config({}, ConfigRole::any);
  EXPECT_TRUE(config.has_value()) << all_text(config.error());
  std::set<std::string_view> names;
  for (const auto& variable : config_variables())
    EXPECT_TRUE(names.insert(variable.name).second) << variable.name;
}

TEST(ConfigSecrets, RegisteredSecretsAreRedactedButTheDefaultGuestPasswordIsNot) {
  auto env = minimal_bot_env();
  env["MTPROTO_DATABASE_KEY"] = "tdlib-database-key-xyz";
  const auto config = load_config(env, ConfigRole::bot);
  ASSERT_TRUE(config.has_value());
  register_config_secrets(*config);
  EXPECT_EQ(redact("key=tdlib-database-key-xyz"), "key=<redacted>");
  EXPECT_EQ(redact("s3 wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"), "s3 <redacted>");
  EXPECT_EQ(redact("login as guest"), "login as guest");
}

TEST(ConfigLogSettings, FollowTheConfiguration) {
  const auto config = load_config({{"LOG_LEVEL", "warn"},
                                   {"LOG_FILE", "/tmp/x.log"},
                                   {"LOG_ROTATE_MAX_BYTES", "4096"},
                                   {"LOG_ROTATE_BACKUP_COUNT", "2"}},
                                  ConfigRole::any);
  ASSERT_TRUE(config.has_value());
  const auto settings = make_log_settings(*config);
  EXPECT_EQ(settings.level, LogLevel::warn);
  EXPECT_EQ(settings.file, std::filesystem::path("/tmp/x.log"));
  EXPECT_EQ(settings.rotate_max_bytes, 4096U);
  EXPECT_EQ(settings.rotate_backup_count, 2U);
  EXPECT_FALSE(make_log_settings(*load_config({}, ConfigRole::any)).file.has_value());
}

}  // namespace
}  // namespace teltubby

namespace teltubby {
namespace {

TEST(Config, PlainHttpWebhookIsAcceptedOnlyWithALocalBotApiServer) {
  auto env = minimal_bot_env();
  env["TELEGRAM_MODE"] = "webhook";
  env["WEBHOOK_SECRET"] = "s3cr3t";
  env["WEBHOOK_URL"] = "http://127.0.0.1:8443/hook";
  EXPECT_FALSE(load_config(env, ConfigRole::bot).has_value());  // api.telegram.org calls https only
  env["TELEGRAM_API_BASE_URL"] = "http://127.0.0.1:8081";
  auto config = load_config(env, ConfigRole::bot);
  ASSERT_TRUE(config.has_value());
  EXPECT_EQ(config->webhook_url, "http://127.0.0.1:8443/hook");
}

TEST(Config, LocalBotApiServerRaisesTheDownloadLimitTo2000MbUnlessSet) {
  auto env = minimal_bot_env();
  env["TELEGRAM_LOCAL_MODE"] = "true";
  env["TELEGRAM_API_BASE_URL"] = "http://127.0.0.1:8081";
  auto config = load_config(env, ConfigRole::bot);
  ASSERT_TRUE(config.has_value());
  EXPECT_EQ(config->bot_api_max_file_bytes, 2000ULL * 1024 * 1024);
  env["BOT_API_MAX_FILE_BYTES"] = "104857600";
  config = load_config(env, ConfigRole::bot);
  ASSERT_TRUE(config.has_value());
  EXPECT_EQ(config->bot_api_max_file_bytes, 104857600u);
}

}  // namespace
}  // namespace teltubby
