#pragma once
// An SQLite write transaction that rolls back unless committed.
//
//   auto tx = Transaction::begin(db);           // BEGIN IMMEDIATE
//   if (!tx) return std::unexpected(tx.error());
//   ... statements ...
//   return tx->commit();                        // on any early return: ROLLBACK
//
// BEGIN IMMEDIATE takes the write lock up front, so a second writer (the other
// process) waits on the busy timeout at BEGIN. A deferred transaction that reads
// first and writes later cannot wait there: its lock upgrade fails at once with
// SQLITE_BUSY when another writer got in between.
#include "core/error.hpp"
#include "store/sqlite/database.hpp"

namespace teltubby::store::sqlite {

class Transaction {
 public:
  static Result<Transaction> begin(Database& database);

  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  // Rolls back when still open; never throws (a failed rollback is logged).
  ~Transaction();

  // On failure the transaction stays open and the destructor rolls it back.
  Status commit();
  // Explicit rollback, e.g. to report its failure; the destructor then does nothing.
  Status rollback();

  [[nodiscard]] bool active() const { return database_ != nullptr; }

 private:
  explicit Transaction(Database& database) : database_(&database) {}

  Database* database_;  // nullptr once committed, rolled back or moved from
};

}  // namespace teltubby::store::sqlite
