#pragma once
// The fake Telegram world (tests/fakes/world, docs/fake-world.md) as a child process,
// and typed helpers over its control API.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "e2e/control_client.hpp"
#include "support/child_process.hpp"

namespace teltubby::e2e {

// ${TELTUBBY_BINARY_DIR}, else derived from this test's path (<build>/tests/e2e/<test>).
std::filesystem::path build_dir();

struct OutboxRead {
  std::vector<Json> events;  // every event of the chat's outbox, oldest first
  bool timed_out = false;
};

class FakeTelegram {
 public:
  // Starts `fake-telegram --port 0` and returns when it prints its port.
  FakeTelegram(const std::filesystem::path& state_dir, bool rate_limits);
  ~FakeTelegram();
  FakeTelegram(const FakeTelegram&) = delete;
  FakeTelegram& operator=(const FakeTelegram&) = delete;

  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  ControlClient& control() { return control_; }

  std::int64_t create_user(const std::string& first_name, const std::string& last_name,
                           const std::string& username);
  std::int64_t create_bot(const std::string& username, const std::string& token);
  // A group or channel with these members; returns its chat id.
  std::int64_t create_chat(const Json& body);
  // POST /control/send; returns the answer ({message, message_ids, bot_message_id}).
  Json send(const Json& body);
  // Waits (in the fake, no polling here) until the bot's outbox for `chat_id` (as the
  // bot sees it) has `count` events or `timeout` passed.
  OutboxRead outbox(std::int64_t chat_id, std::size_t count, std::chrono::milliseconds timeout);
  void add_fault(const Json& fault);
  void clear_faults();
  // Faults not used up yet (each {target, kind, remaining}).
  std::vector<Json> pending_faults();
  void settings(const Json& body);
  Json bot_info(std::int64_t bot_id);

 private:
  std::unique_ptr<test::ChildProcess> process_;
  std::uint16_t port_ = 0;
  ControlClient control_{""};
};

}  // namespace teltubby::e2e
