#include <gtest/gtest.h>
#include <sqlite3.h>

#include "store/sqlite/error.hpp"

namespace teltubby::store::sqlite {
namespace {

TEST(SqliteError, BusyAndLockedAreRetryableBusy) {
  for (const int code : {SQLITE_BUSY, SQLITE_BUSY_SNAPSHOT, SQLITE_LOCKED, SQLITE_LOCKED_SHAREDCACHE}) {
    const Error error = error_from_code(code, "insert job", "");
    EXPECT_EQ(error.code, "sqlite.busy") << code;
    EXPECT_TRUE(error.retryable()) << code;
  }
}

TEST(SqliteError, ConstraintViolationsArePermanentConstraintErrors) {
  const Error error =
      error_from_code(SQLITE_CONSTRAINT_FOREIGNKEY, "map unique id", "FOREIGN KEY constraint failed");
  EXPECT_EQ(error.code, "sqlite.constraint");
  EXPECT_EQ(error.kind, ErrorKind::permanent);
  EXPECT_NE(error.message.find("map unique id"), std::string::npos);
  EXPECT_NE(error.message.find("FOREIGN KEY constraint failed"), std::string::npos);
}

TEST(SqliteError, MapsTheOtherFamiliesToStableCodes) {
  EXPECT_EQ(error_from_code(SQLITE_IOERR_FSYNC, "commit", "").code, "sqlite.io");
  EXPECT_TRUE(error_from_code(SQLITE_IOERR_FSYNC, "commit", "").retryable());
  EXPECT_EQ(error_from_code(SQLITE_FULL, "insert", "").code, "sqlite.full");
  EXPECT_EQ(error_from_code(SQLITE_CORRUPT, "select", "").code, "sqlite.corrupt");
  EXPECT_EQ(error_from_code(SQLITE_NOTADB, "open", "").code, "sqlite.corrupt");
  EXPECT_EQ(error_from_code(SQLITE_CANTOPEN, "open", "").code, "sqlite.access");
  EXPECT_EQ(error_from_code(SQLITE_READONLY, "insert", "").code, "sqlite.access");
  EXPECT_EQ(error_from_code(SQLITE_INTERRUPT, "select", "").kind, ErrorKind::cancelled);
  EXPECT_EQ(error_from_code(SQLITE_TOOBIG, "bind", "").kind, ErrorKind::invalid_input);
  EXPECT_EQ(error_from_code(SQLITE_RANGE, "bind", "").code, "sqlite.misuse");
  EXPECT_EQ(error_from_code(SQLITE_ERROR, "prepare", "no such table: x").code, "sqlite.error");
}

}  // namespace
}  // namespace teltubby::store::sqlite
