#pragma once
// The one place where SQLite result codes become our `Error`. Everything in store/
// that calls sqlite3_* turns a failure into a value through these functions.
#include <string_view>

#include "core/error.hpp"

struct sqlite3;

namespace teltubby::store::sqlite {

// Pure mapping from an SQLite (extended) result code to an Error. `context` says what
// we were doing ("insert job"), `detail` is SQLite's own message (may be empty).
// Codes: sqlite.busy (retryable: another connection holds the lock past the busy
// timeout), sqlite.constraint, sqlite.io, sqlite.full, sqlite.corrupt, sqlite.access,
// sqlite.nomem, sqlite.interrupted, sqlite.too_big, sqlite.misuse, sqlite.error.
Error error_from_code(int code, std::string_view context, std::string_view detail);

// Same, with the detail taken from the connection's last error message.
Error error_from_db(int code, sqlite3* db, std::string_view context);

}  // namespace teltubby::store::sqlite
