#pragma once
// Versioned schema migrations. The schema version is the highest `version` in the
// `schema_migrations` table; each migration is applied once, in order, inside one
// BEGIN IMMEDIATE transaction that re-reads the version first, so two processes
// starting at the same moment apply it exactly once (the second waits on the lock,
// then sees nothing to do).
#include <span>
#include <string_view>

#include "core/error.hpp"
#include "store/sqlite/database.hpp"

namespace teltubby::store {

struct Migration {
  int version;  // 1, 2, 3, ... without gaps
  std::string_view description;
  std::string_view sql;  // one or more statements
};

// The SQLite schema, oldest first. Append new migrations; never edit a released one.
std::span<const Migration> sqlite_migrations();

struct MigrationOutcome {
  int version_before = 0;  // 0 for a new database
  int version_after = 0;
};

// Brings the database up to the last migration of `migrations`. Errors:
// "store.schema_too_new" (permanent) when the database has a version this code does
// not know (a newer teltubby wrote it); "store.bad_migrations" when the list is not
// numbered 1..N; SQLite errors as mapped by store/sqlite/error.hpp.
Result<MigrationOutcome> apply_migrations(sqlite::Database& database, std::span<const Migration> migrations);

// The version recorded in the database (0 when none is).
Result<int> schema_version(sqlite::Database& database);

}  // namespace teltubby::store
