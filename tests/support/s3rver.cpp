#include "support/s3rver.hpp"

#include <signal.h>

#include <cstdlib>
#include <mutex>
#include <stdexcept>

namespace teltubby::test {

std::filesystem::path source_dir() {
  const char* configured = std::getenv("TELTUBBY_SOURCE_DIR");
  return configured && *configured ? std::filesystem::path(configured) : std::filesystem::path(TELTUBBY_DEFAULT_SOURCE_DIR);
}

S3rverInstance::S3rverInstance(std::string access_key, std::string secret_key)
    : access_key_(std::move(access_key)), secret_key_(std::move(secret_key)) {
  launch(0);
}

S3rverInstance::~S3rverInstance() {
  if (process_) process_->stop(SIGTERM);
}

void S3rverInstance::launch(std::uint16_t port) {
  const auto launcher = source_dir() / "tests/support/s3rver-launch.mjs";
  process_ = std::make_unique<ChildProcess>(std::vector<std::string>{
      "node", "--openssl-legacy-provider", launcher.string(), "--directory", data_.path().string(), "--access-key", access_key_,
      "--secret-key", secret_key_, "--port", std::to_string(port)});
  // Node starts in about a second; a loaded two-core machine may need much longer.
  auto line = process_->read_line(std::chrono::seconds{60});
  if (!line || !line->starts_with("port=")) {
    process_->stop(SIGKILL);
    throw std::runtime_error("s3rver did not start (launcher said: " + line.value_or("nothing") + ")");
  }
  port_ = static_cast<std::uint16_t>(std::stoi(line->substr(5)));
}

void S3rverInstance::kill() {
  if (process_) process_->stop(SIGKILL);
}

void S3rverInstance::restart() {
  kill();
  launch(port_);
}

S3Account S3rverInstance::account() const {
  return {"http://127.0.0.1:" + std::to_string(port_), access_key_, secret_key_};
}

S3Account shared_s3() {
  const char* endpoint = std::getenv("TELTUBBY_TEST_S3_ENDPOINT");
  const char* access_key = std::getenv("TELTUBBY_TEST_S3_ACCESS_KEY");
  const char* secret_key = std::getenv("TELTUBBY_TEST_S3_SECRET_KEY");
  if (endpoint && *endpoint && access_key && secret_key) return {endpoint, access_key, secret_key};
  // Not started by scripts/test-services: one private server for this process, stopped
  // by its destructor at exit.
  static std::once_flag once;
  static std::unique_ptr<S3rverInstance> instance;
  std::call_once(once, [] { instance = std::make_unique<S3rverInstance>(); });
  return instance->account();
}

}  // namespace teltubby::test
