#include "store/sqlite/transaction.hpp"

#include <exception>

#include "core/log.hpp"

namespace teltubby::store::sqlite {

Result<Transaction> Transaction::begin(Database& database) {
  if (auto begun = database.execute("BEGIN IMMEDIATE"); !begun) return std::unexpected(begun.error());
  return Transaction(database);
}

Transaction::Transaction(Transaction&& other) noexcept : database_(other.database_) {
  other.database_ = nullptr;
}

Transaction::~Transaction() {
  if (database_ == nullptr) return;
  try {
    if (auto rolled_back = rollback(); !rolled_back) {
      Logger{"store"}.error("transaction rollback failed", {{"error", rolled_back.error().describe()}});
    }
  } catch (const std::exception&) {
    // Logging itself failed (out of memory); nothing more can be done in a destructor.
  }
}

Status Transaction::commit() {
  if (database_ == nullptr)
    return fail(ErrorKind::permanent, "sqlite.misuse", "commit of a finished transaction");
  if (auto committed = database_->execute("COMMIT"); !committed) return committed;
  database_ = nullptr;
  return {};
}

Status Transaction::rollback() {
  if (database_ == nullptr) return {};
  Database* database = database_;
  database_ = nullptr;
  // SQLite rolls back by itself after some errors (SQLITE_FULL, SQLITE_IOERR, ...);
  // a second ROLLBACK would then fail with "no transaction is active".
  if (database->autocommit()) return {};
  return database->execute("ROLLBACK");
}

}  // namespace teltubby::store::sqlite
