#pragma once
// The S3 test server (@20minutes/s3rver, SigV4-checking) for tests.
//
// Most tests use shared_s3(): the instance scripts/test-services started for the whole
// run (TELTUBBY_TEST_S3_* variables), or, when those are unset (running one test binary
// by hand), a private instance started once for this process.
// Tests that stop or restart the server own an S3rverInstance.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

namespace teltubby::test {

struct S3Account {
  std::string endpoint;  // http://127.0.0.1:<port>
  std::string access_key;
  std::string secret_key;
};

// The repository root (TELTUBBY_SOURCE_DIR, else the one this was built from).
std::filesystem::path source_dir();

class S3rverInstance {
 public:
  // Starts a server on a free loopback port with its own data directory; returns when it
  // accepts connections (it prints its port when listening). Throws std::runtime_error
  // when it does not come up within 60 s.
  explicit S3rverInstance(std::string access_key = "teltubby-test-key",
                          std::string secret_key = "teltubby-test-secret");
  ~S3rverInstance();
  S3rverInstance(const S3rverInstance&) = delete;
  S3rverInstance& operator=(const S3rverInstance&) = delete;

  // Kills the server abruptly (SIGKILL, like a crash) and waits until it is gone.
  void kill();
  // Starts it again on the same port with the same data (after kill()).
  void restart();

  [[nodiscard]] S3Account account() const;
  [[nodiscard]] std::uint16_t port() const { return port_; }
  // The server's data directory (s3rver's filesystem store).
  [[nodiscard]] const std::filesystem::path& directory() const { return data_.path(); }

 private:
  void launch(std::uint16_t port);

  std::string access_key_;
  std::string secret_key_;
  TempDir data_{"teltubby-s3rver"};
  std::unique_ptr<ChildProcess> process_;
  std::uint16_t port_ = 0;
};

S3Account shared_s3();

}  // namespace teltubby::test
