// Runs the built `teltubby config` as a real process, as an operator would.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>

#include "core_test_helpers.hpp"

namespace teltubby {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// ${TELTUBBY_BINARY_DIR}/src/app/teltubby. When the variable is missing (the skeleton's
// gtest_discover_tests call currently passes only its first ENVIRONMENT entry), the build
// directory is found from this test's own path: <build>/tests/unit/<test>.
std::filesystem::path teltubby_binary() {
  std::filesystem::path binary_dir;
  if (const char* from_env = std::getenv("TELTUBBY_BINARY_DIR"); from_env != nullptr && *from_env != '\0') {
    binary_dir = from_env;
  } else {
    binary_dir = std::filesystem::read_symlink("/proc/self/exe").parent_path().parent_path().parent_path();
  }
  return binary_dir / "src" / "app" / "teltubby";
}

// Runs teltubby with exactly `env` as its environment, in `cwd` (so no stray ./.env).
RunResult run_teltubby(const std::vector<std::string>& args, const std::vector<std::string>& env,
                       const testing::TempDir& cwd) {
  const auto binary = teltubby_binary().string();
  const auto out_path = cwd.path() / "stdout.txt";
  const auto err_path = cwd.path() / "stderr.txt";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC,
                                   0600);
  posix_spawn_file_actions_addchdir_np(&actions, cwd.path().c_str());

  std::vector<std::string> argv_storage{binary};
  argv_storage.insert(argv_storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<std::string> env_storage = env;
  // The sanitizer runtime reads its options from the environment; keep them.
  for (const char* name : {"ASAN_OPTIONS", "UBSAN_OPTIONS"}) {
    if (const char* value = std::getenv(name)) env_storage.push_back(std::string(name) + "=" + value);
  }
  std::vector<char*> envp;
  for (auto& entry : env_storage) envp.push_back(entry.data());
  envp.push_back(nullptr);

  pid_t pid = 0;
  const int spawned = posix_spawn(&pid, binary.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (spawned != 0) throw std::runtime_error("posix_spawn failed for " + binary);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) throw std::runtime_error("waitpid failed");
  }
  RunResult result;
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  result.out = testing::read_file(out_path);
  result.err = testing::read_file(err_path);
  return result;
}

TEST(ConfigCommand, SeveralBadVariablesAreAllReportedWithExitCode2) {
  testing::TempDir cwd;
  const auto result = run_teltubby({"config", "--role", "bot"},
                                   {"CONCURRENCY=99", "HEALTH_PORT=99999", "TELEGRAM_MODE=push",
                                    "TELEGRAM_BOT_TOKEN=555555555:tooshort-secret-part", "S3_BUCKET=No",
                                    "RABBITMQ_PASSWORD=pass\x01word-secret", "LOG_LEVEL=chatty"},
                                   cwd);
  EXPECT_EQ(result.exit_code, 2) << result.err;
  for (const auto* name : {"CONCURRENCY", "HEALTH_PORT", "TELEGRAM_MODE", "TELEGRAM_BOT_TOKEN", "S3_BUCKET",
                           "RABBITMQ_PASSWORD", "LOG_LEVEL", "TELEGRAM_WHITELIST_IDS", "S3_ENDPOINT"}) {
    EXPECT_THAT(result.err, HasSubstr(name));
  }
  EXPECT_THAT(result.err, Not(HasSubstr("tooshort-secret-part")));
  EXPECT_THAT(result.err, Not(HasSubstr("word-secret")));
  EXPECT_TRUE(result.out.empty()) << result.out;
}

TEST(ConfigCommand, PrintsEffectiveConfigurationFromEnvFileWithSecretsMasked) {
  testing::TempDir cwd;
  const auto env_file = cwd.path() / "custom.env";
  testing::write_file(env_file,
                      "TELEGRAM_BOT_TOKEN=1234567:FAKEtokenFORteltubbyTESTSonly00000_\n"
                      "S3_SECRET_ACCESS_KEY='file-secret-key-value'\n"
                      "CONCURRENCY=4\n");
  const auto result = run_teltubby({"config", "--env-file", env_file.string()}, {"CONCURRENCY=12"}, cwd);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("CONCURRENCY=12\n"));  // the real environment wins
  EXPECT_THAT(result.out, HasSubstr("TELEGRAM_BOT_TOKEN=1234567:***\n"));
  EXPECT_THAT(result.out, Not(HasSubstr("FAKEtokenFORteltubbyTESTSonly00000_")));
  EXPECT_THAT(result.out, Not(HasSubstr("file-secret-key-value")));
}

TEST(ConfigCommand, DefaultEnvFileInTheWorkingDirectoryIsRead) {
  testing::TempDir cwd;
  testing::write_file(cwd.path() / ".env", "export WORKER_MAX_RETRIES=9\n");
  const auto result = run_teltubby({"config"}, {}, cwd);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("WORKER_MAX_RETRIES=9\n"));
}

TEST(ConfigCommand, MalformedEnvFileLineIsReportedByNumberWithExitCode2) {
  testing::TempDir cwd;
  testing::write_file(cwd.path() / ".env", "A=1\nRABBITMQ_PASSWORD=\"open-quote-secret\n");
  const auto result = run_teltubby({"config"}, {}, cwd);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr(".env:2"));
  EXPECT_THAT(result.err, Not(HasSubstr("open-quote-secret")));
}

TEST(ConfigCommand, MarkdownPrintsTheReferenceTable) {
  testing::TempDir cwd;
  const auto result = run_teltubby({"config", "--markdown"}, {"CONCURRENCY=nonsense"}, cwd);
  EXPECT_EQ(result.exit_code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("| Variable | Default | Required for | Description |"));
  EXPECT_THAT(result.out, HasSubstr("| `TDJSON_PATH` |"));
}

TEST(ConfigCommand, UnknownOptionIsUsageErrorWithExitCode2) {
  testing::TempDir cwd;
  const auto result = run_teltubby({"config", "--bogus"}, {}, cwd);
  EXPECT_EQ(result.exit_code, 2);
  EXPECT_THAT(result.err, HasSubstr("usage: teltubby config"));
}

// Every command takes --env-file through the same parser (app/env_file_option).
TEST(EnvFileOption, AMissingOrRepeatedPathIsAUsageErrorInEveryCommand) {
  testing::TempDir cwd;
  for (const std::string command : {"config", "bot", "worker", "login", "doctor", "jobs"}) {
    const auto missing = run_teltubby({command, "--env-file"}, {}, cwd);
    EXPECT_EQ(missing.exit_code, 2) << command;
    EXPECT_THAT(missing.err, HasSubstr("--env-file needs a path")) << command;
    const auto twice = run_teltubby({command, "--env-file", "a.env", "--env-file", "b.env"}, {}, cwd);
    EXPECT_EQ(twice.exit_code, 2) << command;
    EXPECT_THAT(twice.err, HasSubstr("--env-file given twice")) << command;
  }
}

}  // namespace
}  // namespace teltubby
