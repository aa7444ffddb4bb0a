#include "e2e/bot_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <stdexcept>
#include <vector>

#include "e2e/control_client.hpp"
#include "e2e/fake_telegram.hpp"
#include "support/wait.hpp"

namespace teltubby::e2e {

BotProcess::BotProcess(const std::filesystem::path& run_dir, const Environment& environment,
                       const std::string& subcommand) {
  int start = 1;
  while (std::filesystem::exists(run_dir / ("stdout-" + std::to_string(start) + ".log"))) ++start;
  stdout_path_ = run_dir / ("stdout-" + std::to_string(start) + ".log");
  stderr_path_ = run_dir / ("stderr-" + std::to_string(start) + ".log");

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, stdout_path_.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, stderr_path_.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addchdir_np(&actions, run_dir.c_str());

  const std::string binary = (build_dir() / "src" / "app" / "teltubby").string();
  std::vector<std::string> argv_storage{binary, subcommand};
  std::vector<char*> argv;
  for (auto& arg : argv_storage) argv.push_back(arg.data());
  argv.push_back(nullptr);

  std::vector<std::string> env_storage;
  for (const auto& [name, value] : environment) env_storage.push_back(name + "=" + value);
  // The sanitizer runtime reads its options from the environment; the bot runs under
  // the same options as the test.
  for (const char* name : {"ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS", "PATH"}) {
    if (const char* value = std::getenv(name); value != nullptr && !environment.contains(name)) {
      env_storage.push_back(std::string(name) + "=" + value);
    }
  }
  std::vector<char*> envp;
  for (auto& entry : env_storage) envp.push_back(entry.data());
  envp.push_back(nullptr);

  const int error = ::posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  if (error != 0) {
    pid_ = -1;
    throw std::runtime_error("cannot start " + binary + ": " + std::strerror(error));
  }
}

BotProcess::~BotProcess() {
  kill();
}

bool BotProcess::reap(bool block) {
  if (status_ || pid_ <= 0) return true;
  int status = 0;
  for (;;) {
    const pid_t done = ::waitpid(pid_, &status, block ? 0 : WNOHANG);
    if (done < 0 && errno == EINTR) continue;
    if (done == pid_) {
      status_ = status;
      return true;
    }
    return false;
  }
}

bool BotProcess::running() {
  return !reap(false);
}

bool BotProcess::wait_healthy(std::uint16_t health_port, std::chrono::milliseconds timeout) {
  ControlClient health("http://127.0.0.1:" + std::to_string(health_port));
  bool healthy = false;
  // Polled every 50 ms: the health endpoint is something to connect to, not an event.
  test::wait_until(
      [&] {
        if (!running()) return true;
        healthy = health.status_of_get("/healthz") == 200;
        return healthy;
      },
      timeout, std::chrono::milliseconds{50});
  return healthy;
}

std::optional<int> BotProcess::terminate(std::chrono::milliseconds timeout) {
  if (pid_ > 0 && !status_) ::kill(pid_, SIGTERM);
  if (!test::wait_until([&] { return !running(); }, timeout, std::chrono::milliseconds{20})) {
    kill();
    return std::nullopt;
  }
  if (!status_) return std::nullopt;
  return WIFEXITED(*status_) ? WEXITSTATUS(*status_) : -1;
}

void BotProcess::kill() {
  if (pid_ <= 0 || status_) return;
  ::kill(pid_, SIGKILL);
  reap(true);
}


}  // namespace teltubby::e2e
