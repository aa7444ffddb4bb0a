#pragma once
// A child process for tests (a service, a script): started with its stdout on a pipe,
// killed and reaped on destruction so no test leaves processes behind.
#include <sys/types.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace teltubby::test {

class ChildProcess {
 public:
  // Starts argv[0] (looked up in PATH) with stdout piped to us, stderr inherited.
  // Throws std::runtime_error when it cannot be started.
  explicit ChildProcess(const std::vector<std::string>& argv);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  // The next line of stdout (without '\n'); nullopt on end of output or timeout.
  std::optional<std::string> read_line(std::chrono::milliseconds timeout);
  // All remaining stdout until the process closes it (for short-lived commands).
  std::string read_all();
  // Sends `signal` and reaps the process; returns its wait status. Idempotent.
  int stop(int signal);
  // Waits for a normal exit; returns the exit code (-1 when killed by a signal).
  int wait_exit();
  [[nodiscard]] pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string buffered_;
  std::optional<int> status_;
};

// Runs a command to completion and returns {exit code, stdout}.
struct CommandResult {
  int exit_code = -1;
  std::string output;
};
CommandResult run_command(const std::vector<std::string>& argv);

}  // namespace teltubby::test
