#pragma once
// FakeTelegramServer: the fake world behind one HTTP port, serving the Bot API
// (/bot<token>/<method>, /file/bot<token>/<path>) and the control/account API
// (/control/...). Runs in-process for tests (start()/port()/stop()) or as the
// `fake-telegram` executable.
#include <cstdint>
#include <memory>
#include <string>

#include "world.hpp"

namespace fake_world {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;                 // 0 = pick a free port
  std::uint64_t seed = 1;       // file bytes and ids derive from it
  bool rate_limits = true;      // Telegram's limits are on unless a test turns them off
  std::string state_dir;        // empty = in memory only
};

class FakeTelegramServer {
 public:
  explicit FakeTelegramServer(ServerOptions options = {});
  ~FakeTelegramServer();
  FakeTelegramServer(const FakeTelegramServer&) = delete;
  FakeTelegramServer& operator=(const FakeTelegramServer&) = delete;

  // Binds and starts serving; throws std::runtime_error if the port cannot be bound.
  void start();
  void stop();
  [[nodiscard]] int port() const;
  [[nodiscard]] std::string url() const;  // http://127.0.0.1:PORT
  World& world();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace fake_world
