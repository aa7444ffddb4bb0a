#pragma once
// An open SQLite connection, owned (closed on destruction), configured for two
// processes (bot and worker) sharing one file: WAL journal, a busy timeout so writers
// queue instead of failing, foreign keys enforced, synchronous=NORMAL (durable across
// process crashes; a power loss may lose the last commits, never corrupt the file).
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string_view>

#include "core/error.hpp"
#include "store/sqlite/statement.hpp"

struct sqlite3;

namespace teltubby::store::sqlite {

struct DatabaseCloser {
  void operator()(sqlite3* db) const noexcept;
};
using DatabaseHandle = std::unique_ptr<sqlite3, DatabaseCloser>;

struct DatabaseOptions {
  std::filesystem::path path;
  // How long a statement waits for another connection's lock before failing with
  // sqlite.busy. Writers of both processes queue on it.
  std::chrono::milliseconds busy_timeout{10'000};
};

class Database {
 public:
  // Creates missing parent directories (mode 0700) and the file (mode 0600; the WAL
  // and shared-memory files SQLite creates beside it copy that mode), then opens it.
  // An existing file or directory keeps its mode.
  static Result<Database> open(const DatabaseOptions& options);

  // Runs one or more SQL statements that return no rows (schema scripts, pragmas).
  Status execute(std::string_view sql);
  Result<Statement> prepare(std::string_view sql);

  // True when no transaction is open (SQLite's autocommit mode).
  [[nodiscard]] bool autocommit() const;
  [[nodiscard]] std::int64_t last_insert_rowid() const;
  [[nodiscard]] sqlite3* handle() const { return db_.get(); }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  Database(DatabaseHandle db, std::filesystem::path path) : db_(std::move(db)), path_(std::move(path)) {}

  DatabaseHandle db_;
  std::filesystem::path path_;
};

}  // namespace teltubby::store::sqlite
