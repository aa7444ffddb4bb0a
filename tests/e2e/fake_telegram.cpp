#include "e2e/fake_telegram.hpp"

#include <signal.h>

#include <cstdlib>
#include <stdexcept>

namespace teltubby::e2e {

std::filesystem::path build_dir() {
  if (const char* from_env = std::getenv("TELTUBBY_BINARY_DIR"); from_env != nullptr && *from_env != '\0') {
    return from_env;
  }
  return std::filesystem::read_symlink("/proc/self/exe").parent_path().parent_path().parent_path();
}

FakeTelegram::FakeTelegram(const std::filesystem::path& state_dir, bool rate_limits) {
  const auto binary = build_dir() / "tests" / "fakes" / "world" / "fake-telegram";
  process_ = std::make_unique<test::ChildProcess>(
      std::vector<std::string>{binary.string(), "--port", "0", "--state-dir", state_dir.string(),
                               "--rate-limits", rate_limits ? "on" : "off"});
  // A loaded two-core machine running sanitizer builds may be slow to start a process.
  const auto line = process_->read_line(std::chrono::seconds{60});
  const std::string prefix = "listening on ";
  if (!line || !line->starts_with(prefix)) {
    process_->stop(SIGKILL);
    throw std::runtime_error("fake-telegram did not start (it said: " + line.value_or("nothing") + ")");
  }
  port_ = static_cast<std::uint16_t>(std::stoi(line->substr(prefix.size())));
  control_ = ControlClient(url());
}

FakeTelegram::~FakeTelegram() {
  // Close our keep-alive connection first: the server's clean stop waits for open
  // connections to go idle (seconds), which would otherwise end every test.
  control_ = ControlClient("");
  if (process_) process_->stop(SIGTERM);
}

std::int64_t FakeTelegram::create_user(const std::string& first_name, const std::string& last_name,
                                       const std::string& username) {
  Json body{{"first_name", first_name}, {"last_name", last_name}};
  if (!username.empty()) body["username"] = username;
  return control_.post("/control/users", body).at("id").get<std::int64_t>();
}

std::int64_t FakeTelegram::create_bot(const std::string& username, const std::string& token) {
  return control_
      .post("/control/bots", Json{{"username", username}, {"first_name", "Teltubby"}, {"token", token}})
      .at("id")
      .get<std::int64_t>();
}

std::int64_t FakeTelegram::create_chat(const Json& body) {
  return control_.post("/control/chats", body).at("id").get<std::int64_t>();
}

Json FakeTelegram::send(const Json& body) {
  return control_.post("/control/send", body);
}

OutboxRead FakeTelegram::outbox(std::int64_t chat_id, std::size_t count, std::chrono::milliseconds timeout) {
  const auto path = "/control/chat/" + std::to_string(chat_id) + "/outbox?count=" + std::to_string(count) +
                    "&timeout_ms=" + std::to_string(timeout.count());
  const auto http_timeout =
      std::chrono::duration_cast<std::chrono::seconds>(timeout) + std::chrono::seconds{10};
  const Json answer = control_.get(path, http_timeout);
  OutboxRead read;
  for (const auto& event : answer.value("events", Json::array())) read.events.push_back(event);
  read.timed_out = answer.value("timed_out", false);
  return read;
}

void FakeTelegram::add_fault(const Json& fault) {
  control_.post("/control/faults", fault);
}

void FakeTelegram::clear_faults() {
  control_.del("/control/faults");
}

std::vector<Json> FakeTelegram::pending_faults() {
  std::vector<Json> faults;
  for (const auto& fault : control_.get("/control/faults").value("faults", Json::array()))
    faults.push_back(fault);
  return faults;
}

void FakeTelegram::settings(const Json& body) {
  control_.post("/control/settings", body);
}

Json FakeTelegram::bot_info(std::int64_t bot_id) {
  return control_.get("/control/bots/" + std::to_string(bot_id));
}

}  // namespace teltubby::e2e
