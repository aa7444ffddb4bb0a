#pragma once
// Helpers shared by the SqliteStore source files (not part of the module's interface).
#include <algorithm>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "store/records.hpp"
#include "store/sqlite/database.hpp"

namespace teltubby::store::detail {

// Limits that keep one bad input from filling the database; generous for real data.
inline constexpr std::size_t kMaxKeyChars = 1024;      // S3 keys are at most 512 by our naming rules
inline constexpr std::size_t kMaxUniqueIdChars = 256;  // Telegram's are about 20

inline std::int64_t to_unix_ms(Timestamp at) {
  return at.time_since_epoch().count();
}
inline Timestamp from_unix_ms(std::int64_t ms) {
  return Timestamp{std::chrono::milliseconds{ms}};
}

// SQLite reads a negative LIMIT as "no limit"; ours is 0.
inline std::int64_t sqlite_limit(std::size_t limit) {
  return limit == 0 ? -1 : static_cast<std::int64_t>(std::min<std::size_t>(limit, INT64_MAX));
}

// Prepares `sql` and binds `args` to its parameters 1..N.
template <class... Args>
Result<sqlite::Statement> prepare_bound(sqlite::Database& db, std::string_view sql, const Args&... args) {
  auto statement = db.prepare(sql);
  if (!statement) return std::unexpected(statement.error());
  if (auto bound = statement->bind_all(args...); !bound) return std::unexpected(bound.error());
  return statement;
}

// Runs a statement that returns no rows; gives the number of rows it changed.
template <class... Args>
Result<std::int64_t> execute_bound(sqlite::Database& db, std::string_view sql, const Args&... args) {
  auto statement = prepare_bound(db, sql, args...);
  if (!statement) return std::unexpected(statement.error());
  if (auto ran = statement->run(); !ran) return std::unexpected(ran.error());
  return statement->changes();
}

inline std::unexpected<Error> invalid(std::string message) {
  return fail(ErrorKind::invalid_input, "store.invalid", std::move(message));
}

inline std::unexpected<Error> corrupt_row(std::string message) {
  return fail(ErrorKind::permanent, "store.corrupt_row", std::move(message));
}

// Input checks shared by the operations (Status: invalid_input "store.invalid").
Status check_text(std::string_view what, std::string_view value, std::size_t max_chars);
Status check_sha256(std::string_view sha256);
Status check_json(std::string_view what, std::string_view text);

}  // namespace teltubby::store::detail
