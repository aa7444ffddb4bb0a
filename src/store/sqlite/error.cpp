#include "store/sqlite/error.hpp"

#include <sqlite3.h>

#include <string>

namespace teltubby::store::sqlite {
namespace {

struct Mapping {
  ErrorKind kind;
  std::string_view code;
};

Mapping map_primary_code(int primary) {
  switch (primary) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      // Another connection (the other process) held the lock for longer than the busy
      // timeout: nothing is wrong with the request, so trying again later helps.
      return {ErrorKind::retryable, "sqlite.busy"};
    case SQLITE_CONSTRAINT:
      return {ErrorKind::permanent, "sqlite.constraint"};
    case SQLITE_IOERR:
      return {ErrorKind::retryable, "sqlite.io"};
    case SQLITE_FULL:
      // Disk full: retrying after space is freed succeeds.
      return {ErrorKind::retryable, "sqlite.full"};
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return {ErrorKind::permanent, "sqlite.corrupt"};
    case SQLITE_READONLY:
    case SQLITE_PERM:
    case SQLITE_CANTOPEN:
    case SQLITE_AUTH:
      return {ErrorKind::permanent, "sqlite.access"};
    case SQLITE_NOMEM:
      return {ErrorKind::retryable, "sqlite.nomem"};
    case SQLITE_INTERRUPT:
    case SQLITE_ABORT:
      return {ErrorKind::cancelled, "sqlite.interrupted"};
    case SQLITE_TOOBIG:
      return {ErrorKind::invalid_input, "sqlite.too_big"};
    case SQLITE_MISUSE:
    case SQLITE_RANGE:
    case SQLITE_MISMATCH:
      return {ErrorKind::permanent, "sqlite.misuse"};
    default:
      return {ErrorKind::permanent, "sqlite.error"};
  }
}

}  // namespace

Error error_from_code(int code, std::string_view context, std::string_view detail) {
  const Mapping mapping = map_primary_code(code & 0xff);
  std::string message(context);
  message += ": ";
  message += sqlite3_errstr(code);
  if (!detail.empty() && detail != sqlite3_errstr(code)) {
    message += " (";
    message += detail;
    message += ")";
  }
  return Error{mapping.kind, std::string(mapping.code), std::move(message), std::chrono::seconds{0}};
}

Error error_from_db(int code, sqlite3* db, std::string_view context) {
  const char* detail = db != nullptr ? sqlite3_errmsg(db) : nullptr;
  return error_from_code(code, context, detail != nullptr ? std::string_view(detail) : std::string_view{});
}

}  // namespace teltubby::store::sqlite
