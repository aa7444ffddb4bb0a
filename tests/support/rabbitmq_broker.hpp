#pragma once
// A RabbitMQ broker for tests, through scripts/rabbitmq-private: private (own data
// directory, own free loopback port) for the few tests that stop or wipe it, or the
// run's shared one (TELTUBBY_TEST_AMQP_PORT, started by scripts/test-services).
// Starting a broker takes 10-25 s; prefer the shared one.
#include <cstdint>
#include <filesystem>
#include <string>

#include "support/ports.hpp"

namespace teltubby::test {


class PrivateRabbitBroker {
 public:
  // Starts the broker in a new directory under /tmp (mode 0755, as the broker runs as
  // user rabbitmq); throws std::runtime_error when it does not come up.
  PrivateRabbitBroker();
  ~PrivateRabbitBroker();  // stops the broker and removes its directory
  PrivateRabbitBroker(const PrivateRabbitBroker&) = delete;
  PrivateRabbitBroker& operator=(const PrivateRabbitBroker&) = delete;

  [[nodiscard]] std::uint16_t port() const { return port_; }
  void start();  // after stop(): same port, same data unless wiped
  void stop();   // returns once the broker process is gone
  void wipe();   // deletes its data (queues, exchanges, messages); only while stopped

 private:
  std::filesystem::path dir_;
  std::uint16_t port_ = 0;
  bool running_ = false;
};

// The shared broker's port when the test run started one, else a broker private to
// this process (started on first use, stopped at exit).
std::uint16_t shared_rabbit_port();

}  // namespace teltubby::test
