#include "support/rabbitmq_broker.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>

namespace teltubby::test {

namespace {

std::filesystem::path script() {
  const char* source = std::getenv("TELTUBBY_SOURCE_DIR");
  return std::filesystem::path(source != nullptr ? source : ".") / "scripts" / "rabbitmq-private";
}

void run(const std::string& command) {
  if (std::system(command.c_str()) != 0) throw std::runtime_error("failed: " + command);
}

}  // namespace


PrivateRabbitBroker::PrivateRabbitBroker() {
  std::string pattern = "/tmp/teltubby-rabbit.XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  dir_ = pattern;
  std::filesystem::permissions(dir_, std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                                         std::filesystem::perms::group_exec |
                                         std::filesystem::perms::others_read |
                                         std::filesystem::perms::others_exec);
  port_ = free_loopback_port();
  start();
}

PrivateRabbitBroker::~PrivateRabbitBroker() {
  try {
    stop();
  } catch (...) {  // a destructor must not throw; the directory goes anyway
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir_, ignored);
}

void PrivateRabbitBroker::start() {
  run(script().string() + " start " + (dir_ / "broker").string() + " " + std::to_string(port_) +
      " >/dev/null");
  running_ = true;
}

void PrivateRabbitBroker::stop() {
  if (!running_) return;
  run(script().string() + " stop " + (dir_ / "broker").string());
  running_ = false;
}

void PrivateRabbitBroker::wipe() {
  if (running_) throw std::logic_error("wipe() needs a stopped broker");
  std::filesystem::remove_all(dir_ / "broker" / "mnesia");
}

std::uint16_t shared_rabbit_port() {
  if (const char* port = std::getenv("TELTUBBY_TEST_AMQP_PORT"); port != nullptr && *port != '\0') {
    return static_cast<std::uint16_t>(std::stoi(port));
  }
  // Runs outside scripts/run-tests (a single test from an IDE): a broker of our own.
  static const std::unique_ptr<PrivateRabbitBroker> own = std::make_unique<PrivateRabbitBroker>();
  return own->port();
}

}  // namespace teltubby::test
