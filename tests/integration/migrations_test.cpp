// Schema migrations against a real database file.
#include <gtest/gtest.h>

#include <array>

#include "store/migrations.hpp"
#include "store/sqlite_store.hpp"
#include "store_test_support.hpp"

namespace teltubby::store {
namespace {

using store::testing::TempDir;
using store::testing::unwrap;

sqlite::Database open_database(const std::filesystem::path& path) {
  auto database = sqlite::Database::open({path, std::chrono::milliseconds{10'000}});
  if (!database) throw std::runtime_error(database.error().describe());
  return std::move(*database);
}

std::int64_t query_int(sqlite::Database& database, std::string_view sql) {
  auto query = database.prepare(sql);
  EXPECT_TRUE(query.has_value()) << (query ? "" : query.error().describe());
  EXPECT_EQ(query->step(), true);
  return query->column_int64(0);
}

bool table_exists(sqlite::Database& database, std::string_view table) {
  return query_int(database, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = '" +
                                 std::string(table) + "'") == 1;
}

TEST(Migrations, ApplyOnceOnANewDatabaseAndCreateEveryTable) {
  TempDir dir;
  sqlite::Database database = open_database(dir.path() / "db.sqlite");
  auto outcome = apply_migrations(database, sqlite_migrations());
  ASSERT_TRUE(outcome.has_value()) << outcome.error().describe();
  EXPECT_EQ(outcome->version_before, 0);
  EXPECT_EQ(outcome->version_after, static_cast<int>(sqlite_migrations().size()));
  for (const char* table : {"files", "tg_map", "messages", "jobs", "job_events", "deferred_messages", "kv"}) {
    EXPECT_TRUE(table_exists(database, table)) << table;
  }
  EXPECT_EQ(query_int(database, "SELECT COUNT(*) FROM schema_migrations"),
            static_cast<std::int64_t>(sqlite_migrations().size()));
}

TEST(Migrations, ReapplyingIsANoOp) {
  TempDir dir;
  sqlite::Database database = open_database(dir.path() / "db.sqlite");
  ASSERT_TRUE(apply_migrations(database, sqlite_migrations()).has_value());
  const std::int64_t applied_at = query_int(database, "SELECT MAX(applied_at) FROM schema_migrations");
  auto again = apply_migrations(database, sqlite_migrations());
  ASSERT_TRUE(again.has_value()) << again.error().describe();
  EXPECT_EQ(again->version_before, again->version_after);
  EXPECT_EQ(query_int(database, "SELECT COUNT(*) FROM schema_migrations"),
            static_cast<std::int64_t>(sqlite_migrations().size()));
  EXPECT_EQ(query_int(database, "SELECT MAX(applied_at) FROM schema_migrations"), applied_at);
}

TEST(Migrations, ReopeningTheStoreKeepsItsData) {
  TempDir dir;
  const SqliteStoreOptions options{dir.path() / "db.sqlite", std::chrono::milliseconds{10'000}, {}};
  ASSERT_TRUE(SqliteStore::open(options)->set_value("offset", "42").has_value());
  auto reopened = SqliteStore::open(options);
  EXPECT_EQ(unwrap(reopened->get_value("offset")), std::optional<std::string>("42"));
}

TEST(Migrations, ApplyOnlyTheNewStepsOfALongerList) {
  TempDir dir;
  sqlite::Database database = open_database(dir.path() / "db.sqlite");
  const std::array<Migration, 2> migrations = {
      Migration{1, "first", "CREATE TABLE a (x INTEGER)"},
      Migration{2, "second", "CREATE TABLE b (y INTEGER); INSERT INTO a VALUES (1)"},
  };
  ASSERT_TRUE(apply_migrations(database, std::span(migrations).first(1)).has_value());
  auto outcome = apply_migrations(database, migrations);
  ASSERT_TRUE(outcome.has_value()) << outcome.error().describe();
  EXPECT_EQ(outcome->version_before, 1);
  EXPECT_EQ(outcome->version_after, 2);
  EXPECT_TRUE(table_exists(database, "b"));
  EXPECT_EQ(query_int(database, "SELECT COUNT(*) FROM a"), 1);
}

TEST(Migrations, AFailingStepLeavesTheDatabaseUntouched) {
  TempDir dir;
  sqlite::Database database = open_database(dir.path() / "db.sqlite");
  const std::array<Migration, 2> migrations = {
      Migration{1, "good", "CREATE TABLE a (x INTEGER)"},
      Migration{2, "broken", "CREATE TABLE oops ("},
  };
  auto outcome = apply_migrations(database, migrations);
  ASSERT_FALSE(outcome.has_value());
  EXPECT_NE(outcome.error().message.find("migration 2 (broken)"), std::string::npos)
      << outcome.error().message;
  EXPECT_FALSE(table_exists(database, "a"));
  EXPECT_EQ(schema_version(database), 0);
}

TEST(Migrations, RefuseAListWithGaps) {
  TempDir dir;
  sqlite::Database database = open_database(dir.path() / "db.sqlite");
  const std::array<Migration, 2> migrations = {Migration{1, "a", "SELECT 1"}, Migration{3, "c", "SELECT 1"}};
  auto outcome = apply_migrations(database, migrations);
  ASSERT_FALSE(outcome.has_value());
  EXPECT_EQ(outcome.error().code, "store.bad_migrations");
}

TEST(Migrations, RefuseADatabaseFromANewerTeltubby) {
  TempDir dir;
  const auto path = dir.path() / "db.sqlite";
  {
    sqlite::Database database = open_database(path);
    ASSERT_TRUE(apply_migrations(database, sqlite_migrations()).has_value());
    ASSERT_TRUE(
        database.execute("INSERT INTO schema_migrations (version, applied_at) VALUES (99, 0)").has_value());
    auto outcome = apply_migrations(database, sqlite_migrations());
    ASSERT_FALSE(outcome.has_value());
    EXPECT_EQ(outcome.error().code, "store.schema_too_new");
    EXPECT_NE(outcome.error().message.find("99"), std::string::npos) << outcome.error().message;
    EXPECT_NE(outcome.error().message.find("upgrade teltubby"), std::string::npos) << outcome.error().message;
  }
  try {
    SqliteStore::open({path, std::chrono::milliseconds{10'000}, {}});
    FAIL() << "opening a newer database succeeded";
  } catch (const FatalError& error) {
    EXPECT_NE(std::string(error.what()).find("schema version 99"), std::string::npos) << error.what();
  }
}

}  // namespace
}  // namespace teltubby::store
