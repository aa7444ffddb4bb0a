// The RAII SQLite layer against a real database file.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <array>
#include <cstddef>
#include <fstream>
#include <optional>

#include "store/sqlite/database.hpp"
#include "store/sqlite/transaction.hpp"
#include "store_test_support.hpp"

namespace teltubby::store::sqlite {
namespace {

using store::testing::TempDir;

mode_t mode_of(const std::filesystem::path& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return info.st_mode & 07777;
}

Database open_database(const std::filesystem::path& path,
                       std::chrono::milliseconds busy_timeout = std::chrono::milliseconds{10'000}) {
  auto database = Database::open({path, busy_timeout});
  if (!database) throw std::runtime_error(database.error().describe());
  return std::move(*database);
}

std::int64_t count_rows(Database& database, std::string_view table) {
  auto query = database.prepare("SELECT COUNT(*) FROM " + std::string(table));
  EXPECT_TRUE(query.has_value());
  EXPECT_EQ(query->step(), true);
  return query->column_int64(0);
}

TEST(SqliteDatabase, CreatesPrivateDirectoriesAndFiles) {
  TempDir dir;
  const auto path = dir.path() / "state" / "db" / "teltubby.sqlite";
  Database database = open_database(path);
  ASSERT_TRUE(database.execute("CREATE TABLE t (x INTEGER)").has_value());
  ASSERT_TRUE(database.execute("INSERT INTO t VALUES (1)").has_value());

  EXPECT_EQ(mode_of(dir.path() / "state"), 0700u);
  EXPECT_EQ(mode_of(dir.path() / "state" / "db"), 0700u);
  EXPECT_EQ(mode_of(path), 0600u);
  // SQLite gives its WAL file the database file's mode; it exists while we are open.
  EXPECT_EQ(mode_of(path.string() + "-wal"), 0600u);
}

TEST(SqliteDatabase, LeavesTheModeOfAnExistingDirectoryAlone) {
  TempDir dir;
  std::filesystem::create_directory(dir.path() / "shared");
  ::chmod((dir.path() / "shared").c_str(), 0750);
  Database database = open_database(dir.path() / "shared" / "db.sqlite");
  EXPECT_EQ(mode_of(dir.path() / "shared"), 0750u);
  EXPECT_EQ(mode_of(dir.path() / "shared" / "db.sqlite"), 0600u);
}

TEST(SqliteDatabase, OpensInWalModeWithForeignKeysOn) {
  TempDir dir;
  Database database = open_database(dir.path() / "db.sqlite");
  auto journal = database.prepare("PRAGMA journal_mode");
  ASSERT_TRUE(journal.has_value());
  ASSERT_EQ(journal->step(), true);
  EXPECT_EQ(journal->column_text(0), "wal");
  auto foreign_keys = database.prepare("PRAGMA foreign_keys");
  ASSERT_TRUE(foreign_keys.has_value());
  ASSERT_EQ(foreign_keys->step(), true);
  EXPECT_EQ(foreign_keys->column_int64(0), 1);
  auto synchronous = database.prepare("PRAGMA synchronous");
  ASSERT_TRUE(synchronous.has_value());
  ASSERT_EQ(synchronous->step(), true);
  EXPECT_EQ(synchronous->column_int64(0), 1);  // NORMAL
}

TEST(SqliteDatabase, ReportsAnUnopenablePathAsAValue) {
  TempDir dir;
  // The path's "directory" is a regular file, so nothing can be created under it.
  const auto blocker = dir.path() / "blocker";
  { std::ofstream(blocker) << "x"; }
  auto database = Database::open({blocker / "db.sqlite", std::chrono::milliseconds{100}});
  ASSERT_FALSE(database.has_value());
  EXPECT_EQ(database.error().code, "sqlite.access");
  EXPECT_NE(database.error().message.find("blocker"), std::string::npos);
}

TEST(SqliteStatement, RoundTripsEveryBindableType) {
  TempDir dir;
  Database database = open_database(dir.path() / "db.sqlite");
  ASSERT_TRUE(
      database.execute("CREATE TABLE v (i INTEGER, d REAL, t TEXT, b BLOB, n TEXT, o INTEGER)").has_value());
  auto insert = database.prepare("INSERT INTO v VALUES (:i, :d, :t, :b, :n, :o)");
  ASSERT_TRUE(insert.has_value());
  const std::array<std::byte, 3> blob = {std::byte{0}, std::byte{0xff}, std::byte{7}};
  const std::optional<std::int64_t> absent;
  ASSERT_TRUE(insert->bind(":i", std::int64_t{-9'000'000'000}).has_value());
  ASSERT_TRUE(insert->bind(":d", 2.5).has_value());
  ASSERT_TRUE(insert->bind(":t", std::string_view("héllo\0x", 7)).has_value());
  ASSERT_TRUE(insert->bind(":b", std::span<const std::byte>(blob)).has_value());
  ASSERT_TRUE(insert->bind(":n", absent).has_value());
  ASSERT_TRUE(insert->bind(":o", std::optional<int>{42}).has_value());
  ASSERT_TRUE(insert->run().has_value());

  auto select = database.prepare("SELECT i, d, t, b, n, o FROM v");
  ASSERT_TRUE(select.has_value());
  ASSERT_EQ(select->step(), true);
  EXPECT_EQ(select->column_int64(0), -9'000'000'000);
  EXPECT_EQ(select->column_double(1), 2.5);
  EXPECT_EQ(select->column_text(2), std::string("héllo\0x", 7));
  EXPECT_EQ(select->column_blob(3), std::vector<std::byte>(blob.begin(), blob.end()));
  EXPECT_TRUE(select->column_is_null(4));
  EXPECT_EQ(select->column_optional_text(4), std::nullopt);
  EXPECT_EQ(select->column_optional_int64(5), 42);
  EXPECT_EQ(select->step(), false);
}

TEST(SqliteStatement, UnknownParameterNameIsAnError) {
  TempDir dir;
  Database database = open_database(dir.path() / "db.sqlite");
  auto select = database.prepare("SELECT :known");
  ASSERT_TRUE(select.has_value());
  auto bound = select->bind(":unknown", 1);
  ASSERT_FALSE(bound.has_value());
  EXPECT_EQ(bound.error().code, "sqlite.misuse");
}

TEST(SqliteStatement, BadSqlIsAnErrorNamingTheStatement) {
  TempDir dir;
  Database database = open_database(dir.path() / "db.sqlite");
  auto select = database.prepare("SELECT * FROM no_such_table");
  ASSERT_FALSE(select.has_value());
  EXPECT_EQ(select.error().code, "sqlite.error");
  EXPECT_NE(select.error().message.find("no_such_table"), std::string::npos);
}

TEST(SqliteStatement, ConstraintViolationIsAConstraintError) {
  TempDir dir;
  Database database = open_database(dir.path() / "db.sqlite");
  ASSERT_TRUE(database.execute("CREATE TABLE u (k TEXT PRIMARY KEY)").has_value());
  ASSERT_TRUE(database.execute("INSERT INTO u VALUES ('a')").has_value());
  auto again = database.prepare("INSERT INTO u VALUES ('a')");
  ASSERT_TRUE(again.has_value());
  auto ran = again->run();
  ASSERT_FALSE(ran.has_value());
  EXPECT_EQ(ran.error().code, "sqlite.constraint");
}

TEST(SqliteTransaction, RollsBackWhenDestroyedWithoutCommit) {
  TempDir dir;
  Database database = open_database(dir.path() / "db.sqlite");
  ASSERT_TRUE(database.execute("CREATE TABLE t (x INTEGER)").has_value());
  {
    auto transaction = Transaction::begin(database);
    ASSERT_TRUE(transaction.has_value());
    ASSERT_TRUE(database.execute("INSERT INTO t VALUES (1)").has_value());
    EXPECT_EQ(count_rows(database, "t"), 1);
  }
  EXPECT_TRUE(database.autocommit());
  EXPECT_EQ(count_rows(database, "t"), 0);
}

TEST(SqliteTransaction, KeepsWritesWhenCommitted) {
  TempDir dir;
  const auto path = dir.path() / "db.sqlite";
  {
    Database database = open_database(path);
    ASSERT_TRUE(database.execute("CREATE TABLE t (x INTEGER)").has_value());
    auto transaction = Transaction::begin(database);
    ASSERT_TRUE(transaction.has_value());
    ASSERT_TRUE(database.execute("INSERT INTO t VALUES (1)").has_value());
    ASSERT_TRUE(transaction->commit().has_value());
    EXPECT_FALSE(transaction->active());
  }
  Database reopened = open_database(path);
  EXPECT_EQ(count_rows(reopened, "t"), 1);
}

TEST(SqliteTransaction, SurvivesRollbackAfterSqliteEndedItItself) {
  TempDir dir;
  Database database = open_database(dir.path() / "db.sqlite");
  ASSERT_TRUE(database.execute("CREATE TABLE t (x INTEGER)").has_value());
  auto transaction = Transaction::begin(database);
  ASSERT_TRUE(transaction.has_value());
  ASSERT_TRUE(database.execute("INSERT INTO t VALUES (1); ROLLBACK").has_value());
  EXPECT_TRUE(transaction->rollback().has_value());
  EXPECT_EQ(count_rows(database, "t"), 0);
}

TEST(SqliteTransaction, SecondWriterGetsRetryableBusyAfterItsTimeout) {
  TempDir dir;
  const auto path = dir.path() / "db.sqlite";
  Database first = open_database(path);
  ASSERT_TRUE(first.execute("CREATE TABLE t (x INTEGER)").has_value());
  Database second = open_database(path, std::chrono::milliseconds{0});
  auto holding = Transaction::begin(first);
  ASSERT_TRUE(holding.has_value());

  auto blocked = Transaction::begin(second);
  ASSERT_FALSE(blocked.has_value());
  EXPECT_EQ(blocked.error().code, "sqlite.busy");
  EXPECT_TRUE(blocked.error().retryable());

  // WAL: the writer's open transaction does not block readers.
  EXPECT_EQ(count_rows(second, "t"), 0);
  ASSERT_TRUE(holding->commit().has_value());
  auto after = Transaction::begin(second);
  EXPECT_TRUE(after.has_value());
}

}  // namespace
}  // namespace teltubby::store::sqlite
