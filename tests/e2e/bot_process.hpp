#pragma once
// The real `teltubby bot` as a child process: exactly the given environment (plus the
// sanitizer options), stdout and stderr to files in its directory, working directory
// its own (so no stray ./.env is read).
#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

#include "support/ports.hpp"

namespace teltubby::e2e {

using Environment = std::map<std::string, std::string>;

class BotProcess {
 public:
  // Starts `teltubby bot`; `run_dir` receives stdout-N.log / stderr-N.log (N counts
  // the starts in that directory, so a restart keeps the earlier output).
  // `subcommand`: "bot", or "worker" for the large-file worker.
  BotProcess(const std::filesystem::path& run_dir, const Environment& environment,
             const std::string& subcommand = "bot");
  ~BotProcess();  // SIGKILL when still running
  BotProcess(const BotProcess&) = delete;
  BotProcess& operator=(const BotProcess&) = delete;

  // True when GET http://127.0.0.1:<health_port>/healthz answered 200 before `timeout`
  // (polled: it is a port to connect to, there is no event to wait on). False at once
  // when the process exited.
  bool wait_healthy(std::uint16_t health_port, std::chrono::milliseconds timeout);
  // SIGTERM, then waits up to `timeout` for the exit; returns the exit code, -1 when it
  // died of a signal, nullopt when it did not exit in time (then it is SIGKILLed).
  std::optional<int> terminate(std::chrono::milliseconds timeout);
  // SIGKILL and reap (a crash).
  void kill();
  // Reaps without blocking; true while the process runs.
  bool running();
  [[nodiscard]] pid_t pid() const { return pid_; }
  [[nodiscard]] const std::filesystem::path& stdout_path() const { return stdout_path_; }
  [[nodiscard]] const std::filesystem::path& stderr_path() const { return stderr_path_; }

 private:
  bool reap(bool block);

  pid_t pid_ = -1;
  std::optional<int> status_;
  std::filesystem::path stdout_path_;
  std::filesystem::path stderr_path_;
};

using test::free_loopback_port;

}  // namespace teltubby::e2e
