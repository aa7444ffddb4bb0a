#include "store/migrations.hpp"

#include <chrono>
#include <string>

#include "store/sqlite/transaction.hpp"

namespace teltubby::store {
namespace {

// Conventions of every table: times are INTEGER unix milliseconds UTC (`..._at`),
// sizes are bytes, Telegram ids are INTEGER (64-bit), JSON is TEXT.
constexpr std::string_view kInitialSchema = R"sql(
CREATE TABLE files (
  sha256      TEXT PRIMARY KEY NOT NULL CHECK (length(sha256) = 64),
  s3_key      TEXT NOT NULL,
  size_bytes  INTEGER NOT NULL CHECK (size_bytes >= 0),
  mime        TEXT,
  created_at  INTEGER NOT NULL
);

CREATE TABLE tg_map (
  file_unique_id TEXT PRIMARY KEY NOT NULL,
  sha256         TEXT NOT NULL REFERENCES files(sha256) ON DELETE CASCADE,
  created_at     INTEGER NOT NULL
);
CREATE INDEX tg_map_sha256 ON tg_map(sha256);

CREATE TABLE messages (
  chat_id        INTEGER NOT NULL,
  message_id     INTEGER NOT NULL,
  media_group_id TEXT,
  base_path      TEXT NOT NULL,
  json_key       TEXT NOT NULL,
  created_at     INTEGER NOT NULL,
  PRIMARY KEY (chat_id, message_id)
);
CREATE INDEX messages_media_group ON messages(media_group_id) WHERE media_group_id IS NOT NULL;

CREATE TABLE jobs (
  job_id            TEXT PRIMARY KEY NOT NULL,
  state             TEXT NOT NULL CHECK (state IN
                      ('PENDING', 'PROCESSING', 'COMPLETED', 'FAILED', 'RETRYING', 'CANCELLED')),
  priority          TEXT NOT NULL CHECK (priority IN ('normal', 'high', 'urgent')),
  user_id           INTEGER NOT NULL,
  chat_id           INTEGER NOT NULL,
  message_id        INTEGER NOT NULL,
  file_unique_id    TEXT NOT NULL,
  file_size         INTEGER NOT NULL CHECK (file_size >= 0),
  payload           TEXT NOT NULL,
  attempt           INTEGER NOT NULL DEFAULT 0,
  max_retries       INTEGER NOT NULL DEFAULT 0,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  last_error        TEXT,
  s3_key            TEXT,
  status_chat_id    INTEGER,
  status_message_id INTEGER,
  published         INTEGER NOT NULL DEFAULT 0 CHECK (published IN (0, 1)),
  published_at      INTEGER
);
CREATE INDEX jobs_state_created ON jobs(state, created_at);
CREATE INDEX jobs_unpublished ON jobs(created_at) WHERE published = 0;

CREATE TABLE job_events (
  id         INTEGER PRIMARY KEY AUTOINCREMENT,
  job_id     TEXT NOT NULL REFERENCES jobs(job_id) ON DELETE CASCADE,
  at         INTEGER NOT NULL,
  from_state TEXT,
  to_state   TEXT NOT NULL,
  attempt    INTEGER NOT NULL,
  bytes      INTEGER,
  error      TEXT
);
CREATE INDEX job_events_job ON job_events(job_id, id);
CREATE INDEX job_events_to_state_at ON job_events(to_state, at);

CREATE TABLE deferred_messages (
  id              INTEGER PRIMARY KEY AUTOINCREMENT,
  chat_id         INTEGER NOT NULL,
  message_id      INTEGER NOT NULL,
  reason          TEXT NOT NULL,
  payload         TEXT NOT NULL,
  created_at      INTEGER NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  UNIQUE (chat_id, message_id)
);
CREATE INDEX deferred_messages_due ON deferred_messages(next_attempt_at, id);

CREATE TABLE kv (
  key        TEXT PRIMARY KEY NOT NULL,
  value      TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
)sql";

constexpr Migration kSqliteMigrations[] = {
    {1, "files, tg_map, messages, jobs, job_events, deferred_messages, kv", kInitialSchema},
};

constexpr std::string_view kVersionTable = R"sql(
CREATE TABLE IF NOT EXISTS schema_migrations (
  version    INTEGER PRIMARY KEY NOT NULL,
  applied_at INTEGER NOT NULL  -- unix ms UTC
);
)sql";

std::int64_t now_unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Status check_numbering(std::span<const Migration> migrations) {
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i) + 1) {
      return fail(
          ErrorKind::permanent, "store.bad_migrations",
          "migration #" + std::to_string(i + 1) + " has version " + std::to_string(migrations[i].version));
    }
  }
  return {};
}

Result<int> read_version(sqlite::Database& database) {
  auto query = database.prepare("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  if (!query) return std::unexpected(query.error());
  auto row = query->step();
  if (!row) return std::unexpected(row.error());
  return static_cast<int>(query->column_int64(0));
}

}  // namespace

std::span<const Migration> sqlite_migrations() {
  return kSqliteMigrations;
}

Result<int> schema_version(sqlite::Database& database) {
  auto exists =
      database.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'");
  if (!exists) return std::unexpected(exists.error());
  auto row = exists->step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return 0;
  return read_version(database);
}

Result<MigrationOutcome> apply_migrations(sqlite::Database& database, std::span<const Migration> migrations) {
  if (auto numbered = check_numbering(migrations); !numbered) return std::unexpected(numbered.error());
  const int known = static_cast<int>(migrations.size());

  auto transaction = sqlite::Transaction::begin(database);
  if (!transaction) return std::unexpected(transaction.error());
  if (auto created = database.execute(kVersionTable); !created) return std::unexpected(created.error());
  // Read under the write lock: another process may have migrated while we waited.
  auto version = read_version(database);
  if (!version) return std::unexpected(version.error());
  MigrationOutcome outcome{*version, *version};
  if (*version > known) {
    return fail(
        ErrorKind::permanent, "store.schema_too_new",
        "database " + database.path().string() + " has schema version " + std::to_string(*version) +
            " but this teltubby knows only up to " + std::to_string(known) +
            "; a newer teltubby wrote it: upgrade teltubby (or restore a backup made before the upgrade)");
  }
  for (const Migration& migration : migrations.subspan(static_cast<std::size_t>(*version))) {
    if (auto applied = database.execute(migration.sql); !applied) {
      Error error = applied.error();
      error.message = "migration " + std::to_string(migration.version) + " (" +
                      std::string(migration.description) + "): " + error.message;
      return std::unexpected(std::move(error));
    }
    auto record = database.prepare("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)");
    if (!record) return std::unexpected(record.error());
    if (auto bound = record->bind_all(migration.version, now_unix_ms()); !bound)
      return std::unexpected(bound.error());
    if (auto inserted = record->run(); !inserted) return std::unexpected(inserted.error());
    outcome.version_after = migration.version;
  }
  if (auto committed = transaction->commit(); !committed) return std::unexpected(committed.error());
  return outcome;
}

}  // namespace teltubby::store
