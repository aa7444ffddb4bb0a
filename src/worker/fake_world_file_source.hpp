#pragma once
// A LargeFileSource over the fake Telegram world's account API (tests/fakes/world,
// docs/fake-world-protocol.md): GET /control/account/{session}/file/{unique_id}.
// It lives in src/ so that `teltubby worker` can run against the fake world, but it is
// only for tests and the demo: production never sets TELTUBBY_FAKE_TELEGRAM_URL, and
// the real source (TDLib) comes with issue 7.
#include <chrono>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "worker/large_file_source.hpp"

namespace teltubby::worker {

// The one place that turns an account API error answer into our Error: FLOOD_WAIT
// (420), 429, 5xx, NETWORK_DOWN, TIMEOUT and FILE_REFERENCE_EXPIRED are retryable
// (retry_after kept); FILE_ID_INVALID and other 4xx are permanent; a lost session
// (401) is permanent ("source.unauthorized"). Pure.
Error fake_world_error(long http_status, std::string_view body);

class FakeWorldFileSource final : public LargeFileSource {
 public:
  // `base_url`: "http://127.0.0.1:PORT" (no trailing '/'); `session`: an account
  // session token of the fake world (see login()). The session is a secret: it is
  // registered for redaction.
  FakeWorldFileSource(std::string base_url, std::string session,
                      std::chrono::seconds io_timeout = std::chrono::seconds{30});

  // Logs an account in with phone and login code (no 2FA) and returns its session.
  static Result<std::string> login(std::string_view base_url, std::string_view phone, std::string_view code);

  // The account's Telegram user id (GET .../state).
  [[nodiscard]] Result<std::int64_t> account_user_id() const;

  Status download(const queue::JobMessage& job, const ChunkSink& sink, const ProgressCallback& progress,
                  const CancelCheck& cancelled) override;

 private:
  std::string base_url_;
  std::string session_;
  std::chrono::seconds io_timeout_;
};

}  // namespace teltubby::worker
