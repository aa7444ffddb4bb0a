#pragma once
// The one error type that crosses module boundaries. Routine failures (a timeout, a
// 429, a 5xx, a busy database) are returned as values (`Result<T>`); broken set-up
// throws `FatalError` at start-up.
#include <chrono>
#include <expected>
#include <stdexcept>
#include <string>
#include <utility>

namespace teltubby {

enum class ErrorKind {
  retryable,    // try again later: timeouts, 5xx, 429, SlowDown, busy, connection refused
  permanent,    // trying again will not help: 403, bad request, no such bucket
  not_found,    // the thing asked for does not exist (404, no such key / row)
  invalid_input,// the input was malformed; the message says what is wrong
  cancelled,    // stopped on request (shutdown, /cancel)
};

struct Error {
  ErrorKind kind = ErrorKind::permanent;
  // Machine-readable code, dotted by origin: "s3.NoSuchBucket", "http.timeout",
  // "telegram.400", "sqlite.busy". Stable: tests and callers match on it.
  std::string code;
  // Human-readable; never contains a secret (callers redact before building it).
  std::string message;
  // When the other side said how long to wait (429 retry_after, FLOOD_WAIT); 0 = not said.
  std::chrono::seconds retry_after{0};

  [[nodiscard]] bool retryable() const { return kind == ErrorKind::retryable; }
  [[nodiscard]] std::string describe() const { return code.empty() ? message : code + ": " + message; }
};

template <class T>
using Result = std::expected<T, Error>;
using Status = std::expected<void, Error>;

inline std::unexpected<Error> fail(ErrorKind kind, std::string code, std::string message,
                                   std::chrono::seconds retry_after = std::chrono::seconds{0}) {
  return std::unexpected<Error>(Error{kind, std::move(code), std::move(message), retry_after});
}

// Set-up that cannot work (bad configuration, missing library, unreadable directory).
// Thrown at start-up only; `teltubby` prints it and exits non-zero.
class FatalError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace teltubby
