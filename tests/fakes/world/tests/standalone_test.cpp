// The fake-telegram executable: --port 0 prints "listening on PORT"; --state-dir keeps
// the world across restarts; bad options exit with status 2.
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include <gtest/gtest.h>

#include "support.hpp"

namespace fake_world::testing {
namespace {

std::string executable() { return FAKE_TELEGRAM_EXECUTABLE; }

// A running fake-telegram process; stopped with SIGTERM.
class Process {
 public:
  explicit Process(std::vector<std::string> args) {
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
    pid_ = fork();
    if (pid_ == 0) {
      dup2(fds[1], STDOUT_FILENO);
      close(fds[0]);
      std::vector<char*> argv;
      std::string exe = executable();
      argv.push_back(exe.data());
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      execv(exe.c_str(), argv.data());
      _exit(127);
    }
    close(fds[1]);
    out_ = fds[0];
  }
  ~Process() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    close(out_);
  }
  // Reads stdout until a full line arrives (up to 20 s).
  std::string line() {
    std::string text;
    char c = 0;
    pollfd p{out_, POLLIN, 0};
    while (poll(&p, 1, 20000) > 0 && read(out_, &c, 1) == 1 && c != '\n') text += c;
    return text;
  }
  int stop(int signal_number = SIGTERM) {
    kill(pid_, signal_number);
    return wait();
  }
  int wait() {
    int status = 0;
    waitpid(pid_, &status, 0);
    exited_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

 private:
  pid_t pid_ = -1;
  int out_ = -1;
  bool exited_ = false;
};

int port_from(const std::string& line) {
  EXPECT_TRUE(line.starts_with("listening on ")) << line;
  return line.starts_with("listening on ") ? std::stoi(line.substr(13)) : 0;
}

TEST(FakeTelegramExecutable, ServesOnAFreePortAndKeepsStateAcrossRestarts) {
  const auto dir = std::filesystem::temp_directory_path() / ("fake-world-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::string token;
  {
    Process p({"--port", "0", "--state-dir", dir.string(), "--seed", "7", "--rate-limits", "off"});
    const int port = port_from(p.line());
    ASSERT_GT(port, 0);
    httplib::Client c("127.0.0.1", port);
    token = Json::parse(c.Post("/control/bots", R"({"username":"kept_bot"})", "application/json")->body)["token"];
    EXPECT_EQ(Json::parse(c.Get("/bot" + token + "/getMe")->body)["result"]["username"], "kept_bot");
    // A clean stop (SIGTERM) writes the last changes.
    EXPECT_EQ(p.stop(), 0);
    EXPECT_TRUE(std::filesystem::exists(dir / "world.json"));
  }
  Process again({"--port", "0", "--state-dir", dir.string()});
  const int port = port_from(again.line());
  httplib::Client c("127.0.0.1", port);
  const auto me = c.Get("/bot" + token + "/getMe");
  ASSERT_TRUE(me);
  EXPECT_EQ(Json::parse(me->body)["result"]["username"], "kept_bot");
  EXPECT_EQ(again.stop(), 0);
  std::filesystem::remove_all(dir);
}

TEST(FakeTelegramExecutable, RejectsBadOptions) {
  Process p({"--rate-limits", "sometimes"});
  EXPECT_EQ(p.wait(), 2);
}

}  // namespace
}  // namespace fake_world::testing
