#include "store/sqlite_store.hpp"

#include <nlohmann/json.hpp>

#include "core/log.hpp"
#include "store/migrations.hpp"
#include "store/sqlite/transaction.hpp"
#include "store/sqlite_store_detail.hpp"

namespace teltubby::store {

using detail::execute_bound;
using detail::from_unix_ms;
using detail::kMaxKeyChars;
using detail::kMaxUniqueIdChars;
using detail::prepare_bound;
using detail::sqlite_limit;
using detail::to_unix_ms;

namespace detail {

Status check_text(std::string_view what, std::string_view value, std::size_t max_chars) {
  if (value.empty()) return invalid(std::string(what) + " is empty");
  if (value.size() > max_chars) {
    return invalid(std::string(what) + " is longer than " + std::to_string(max_chars) + " characters");
  }
  if (value.find('\0') != std::string_view::npos)
    return invalid(std::string(what) + " contains a NUL character");
  return {};
}

Status check_sha256(std::string_view sha256) {
  const bool hex =
      sha256.size() == 64 && sha256.find_first_not_of("0123456789abcdef") == std::string_view::npos;
  if (!hex) return invalid("sha256 must be 64 lowercase hex digits");
  return {};
}

Status check_json(std::string_view what, std::string_view text) {
  if (!nlohmann::json::accept(text)) return invalid(std::string(what) + " is not valid JSON");
  return {};
}

}  // namespace detail

namespace {

// Limits that keep one bad input from filling the database; generous for real data.
constexpr std::size_t kMaxSettingKeyChars = 256;
constexpr std::size_t kMaxReasonChars = 256;

constexpr std::string_view kFileColumns = "f.sha256, f.s3_key, f.size_bytes, f.mime, f.created_at";

FileRecord read_file(const sqlite::Statement& row) {
  return FileRecord{row.column_text(0), row.column_text(1), row.column_int64(2), row.column_optional_text(3),
                    from_unix_ms(row.column_int64(4))};
}

Result<std::optional<FileRecord>> first_file(Result<sqlite::Statement> statement) {
  if (!statement) return std::unexpected(statement.error());
  auto row = statement->step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<FileRecord>{};
  return std::optional<FileRecord>{read_file(*statement)};
}

constexpr std::string_view kDeferredColumns =
    "id, chat_id, message_id, reason, payload, created_at, attempts, next_attempt_at";

DeferredMessage read_deferred(const sqlite::Statement& row) {
  return DeferredMessage{row.column_int64(0),
                         row.column_int64(1),
                         row.column_int64(2),
                         row.column_text(3),
                         row.column_text(4),
                         from_unix_ms(row.column_int64(5)),
                         static_cast<int>(row.column_int64(6)),
                         from_unix_ms(row.column_int64(7))};
}

}  // namespace

SqliteStore::SqliteStore(sqlite::Database database, Clock clock)
    : db_(std::move(database)), clock_(std::move(clock)) {}

std::unique_ptr<SqliteStore> SqliteStore::open(const SqliteStoreOptions& options) {
  auto database = sqlite::Database::open({options.path, options.busy_timeout});
  if (!database) {
    throw FatalError("cannot open the database " + options.path.string() + ": " +
                     database.error().describe());
  }
  auto migrated = apply_migrations(*database, sqlite_migrations());
  if (!migrated) {
    throw FatalError("cannot prepare the database schema: " + migrated.error().describe());
  }
  if (migrated->version_before != migrated->version_after) {
    Logger{"store"}.info("database schema migrated", {{"path", options.path.string()},
                                                      {"from_version", migrated->version_before},
                                                      {"to_version", migrated->version_after}});
  }
  return std::unique_ptr<SqliteStore>(new SqliteStore(std::move(*database), options.clock));
}

Timestamp SqliteStore::now() const {
  if (clock_) return clock_();
  return std::chrono::floor<std::chrono::milliseconds>(std::chrono::system_clock::now());
}

// --- dedup index ---------------------------------------------------------------------

Result<std::optional<FileRecord>> SqliteStore::find_file_by_unique_id(std::string_view file_unique_id) {
  if (auto ok = detail::check_text("file_unique_id", file_unique_id, kMaxUniqueIdChars); !ok) {
    return std::unexpected(ok.error());
  }
  std::lock_guard lock(mutex_);
  return first_file(
      prepare_bound(db_,
                    "SELECT " + std::string(kFileColumns) +
                        " FROM tg_map m JOIN files f ON f.sha256 = m.sha256 WHERE m.file_unique_id = ?",
                    file_unique_id));
}

Result<std::optional<FileRecord>> SqliteStore::find_file_by_sha256(std::string_view sha256) {
  if (auto ok = detail::check_sha256(sha256); !ok) return std::unexpected(ok.error());
  std::lock_guard lock(mutex_);
  return find_file_by_sha256_locked(sha256);
}

Result<std::optional<FileRecord>> SqliteStore::find_file_by_sha256_locked(std::string_view sha256) {
  return first_file(
      prepare_bound(db_, "SELECT " + std::string(kFileColumns) + " FROM files f WHERE f.sha256 = ?", sha256));
}

Result<FileRecord> SqliteStore::record_file(const FileRecord& file,
                                            std::optional<std::string_view> file_unique_id) {
  if (auto ok = detail::check_sha256(file.sha256); !ok) return std::unexpected(ok.error());
  if (auto ok = detail::check_text("s3_key", file.s3_key, kMaxKeyChars); !ok)
    return std::unexpected(ok.error());
  if (file.size_bytes < 0) return detail::invalid("size_bytes is negative");
  if (file_unique_id) {
    if (auto ok = detail::check_text("file_unique_id", *file_unique_id, kMaxUniqueIdChars); !ok) {
      return std::unexpected(ok.error());
    }
  }
  std::lock_guard lock(mutex_);
  auto transaction = sqlite::Transaction::begin(db_);
  if (!transaction) return std::unexpected(transaction.error());
  // The first writer of a sha256 wins: its object is the one duplicates point at.
  auto inserted =
      execute_bound(db_,
                    "INSERT INTO files (sha256, s3_key, size_bytes, mime, created_at) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT (sha256) DO NOTHING",
                    file.sha256, file.s3_key, file.size_bytes, file.mime, to_unix_ms(now()));
  if (!inserted) return std::unexpected(inserted.error());
  if (file_unique_id) {
    if (auto mapped = map_unique_id_locked(*file_unique_id, file.sha256); !mapped) {
      return std::unexpected(mapped.error());
    }
  }
  auto stored = find_file_by_sha256_locked(file.sha256);
  if (!stored) return std::unexpected(stored.error());
  if (!*stored)
    return fail(ErrorKind::permanent, "store.corrupt_row", "file row vanished inside its transaction");
  if (auto committed = transaction->commit(); !committed) return std::unexpected(committed.error());
  return **stored;
}

Status SqliteStore::map_unique_id(std::string_view file_unique_id, std::string_view sha256) {
  if (auto ok = detail::check_text("file_unique_id", file_unique_id, kMaxUniqueIdChars); !ok) return ok;
  if (auto ok = detail::check_sha256(sha256); !ok) return ok;
  std::lock_guard lock(mutex_);
  auto transaction = sqlite::Transaction::begin(db_);
  if (!transaction) return std::unexpected(transaction.error());
  if (auto mapped = map_unique_id_locked(file_unique_id, sha256); !mapped) return mapped;
  return transaction->commit();
}

Status SqliteStore::map_unique_id_locked(std::string_view file_unique_id, std::string_view sha256) {
  auto known = find_file_by_sha256_locked(sha256);
  if (!known) return std::unexpected(known.error());
  if (!*known) {
    return fail(
        ErrorKind::not_found, "store.unknown_file",
        "cannot map a file_unique_id to sha256 " + std::string(sha256) + ": no such file is recorded");
  }
  auto inserted = execute_bound(db_,
                                "INSERT INTO tg_map (file_unique_id, sha256, created_at) VALUES (?, ?, ?) "
                                "ON CONFLICT (file_unique_id) DO NOTHING",
                                file_unique_id, sha256, to_unix_ms(now()));
  if (!inserted) return std::unexpected(inserted.error());
  if (*inserted == 1) return {};
  auto existing = prepare_bound(db_, "SELECT sha256 FROM tg_map WHERE file_unique_id = ?", file_unique_id);
  if (!existing) return std::unexpected(existing.error());
  auto row = existing->step();
  if (!row) return std::unexpected(row.error());
  if (*row && existing->column_text(0) != sha256) {
    return fail(ErrorKind::permanent, "store.unique_id_conflict",
                "file_unique_id " + std::string(file_unique_id) + " is already mapped to sha256 " +
                    existing->column_text(0) + ", not " + std::string(sha256));
  }
  return {};
}

// --- archived messages -----------------------------------------------------------------

Status SqliteStore::record_message(const MessageRecord& message) {
  if (auto ok = detail::check_text("base_path", message.base_path, kMaxKeyChars); !ok) return ok;
  if (auto ok = detail::check_text("json_key", message.json_key, kMaxKeyChars); !ok) return ok;
  if (message.media_group_id) {
    if (auto ok = detail::check_text("media_group_id", *message.media_group_id, kMaxUniqueIdChars); !ok)
      return ok;
  }
  std::lock_guard lock(mutex_);
  auto written =
      execute_bound(db_,
                    "INSERT INTO messages (chat_id, message_id, media_group_id, base_path, json_key, "
                    "created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (chat_id, message_id) DO UPDATE SET "
                    "media_group_id = excluded.media_group_id, base_path = excluded.base_path, "
                    "json_key = excluded.json_key",
                    message.chat_id, message.message_id, message.media_group_id, message.base_path,
                    message.json_key, to_unix_ms(now()));
  if (!written) return std::unexpected(written.error());
  return {};
}

Result<std::optional<MessageRecord>> SqliteStore::find_message(std::int64_t chat_id,
                                                               std::int64_t message_id) {
  std::lock_guard lock(mutex_);
  auto query = prepare_bound(db_,
                             "SELECT chat_id, message_id, media_group_id, base_path, json_key, created_at "
                             "FROM messages WHERE chat_id = ? AND message_id = ?",
                             chat_id, message_id);
  if (!query) return std::unexpected(query.error());
  auto row = query->step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<MessageRecord>{};
  return std::optional<MessageRecord>{
      MessageRecord{query->column_int64(0), query->column_int64(1), query->column_optional_text(2),
                    query->column_text(3), query->column_text(4), from_unix_ms(query->column_int64(5))}};
}

// --- settings ----------------------------------------------------------------------------

Result<std::optional<std::string>> SqliteStore::get_value(std::string_view key) {
  if (auto ok = detail::check_text("setting key", key, kMaxSettingKeyChars); !ok)
    return std::unexpected(ok.error());
  std::lock_guard lock(mutex_);
  auto query = prepare_bound(db_, "SELECT value FROM kv WHERE key = ?", key);
  if (!query) return std::unexpected(query.error());
  auto row = query->step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<std::string>{};
  return std::optional<std::string>{query->column_text(0)};
}

Status SqliteStore::set_value(std::string_view key, std::string_view value) {
  if (auto ok = detail::check_text("setting key", key, kMaxSettingKeyChars); !ok) return ok;
  std::lock_guard lock(mutex_);
  auto written =
      execute_bound(db_,
                    "INSERT INTO kv (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE "
                    "SET value = excluded.value, updated_at = excluded.updated_at",
                    key, value, to_unix_ms(now()));
  if (!written) return std::unexpected(written.error());
  return {};
}

// --- deferred messages ---------------------------------------------------------------------

Result<std::int64_t> SqliteStore::add_deferred(const DeferredMessage& message) {
  if (auto ok = detail::check_text("reason", message.reason, kMaxReasonChars); !ok)
    return std::unexpected(ok.error());
  if (auto ok = detail::check_json("deferred payload", message.payload); !ok)
    return std::unexpected(ok.error());
  std::lock_guard lock(mutex_);
  auto transaction = sqlite::Transaction::begin(db_);
  if (!transaction) return std::unexpected(transaction.error());
  auto inserted =
      execute_bound(db_,
                    "INSERT INTO deferred_messages (chat_id, message_id, reason, payload, created_at, "
                    "attempts, next_attempt_at) VALUES (?, ?, ?, ?, ?, 0, ?) "
                    "ON CONFLICT (chat_id, message_id) DO NOTHING",
                    message.chat_id, message.message_id, message.reason, message.payload, to_unix_ms(now()),
                    to_unix_ms(message.next_attempt_at));
  if (!inserted) return std::unexpected(inserted.error());
  auto query = prepare_bound(db_, "SELECT id FROM deferred_messages WHERE chat_id = ? AND message_id = ?",
                             message.chat_id, message.message_id);
  if (!query) return std::unexpected(query.error());
  auto row = query->step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return detail::corrupt_row("deferred message vanished inside its transaction");
  const std::int64_t id = query->column_int64(0);
  if (auto committed = transaction->commit(); !committed) return std::unexpected(committed.error());
  return id;
}

Result<std::vector<DeferredMessage>> SqliteStore::list_due_deferred(std::size_t limit) {
  return list_deferred_until(now(), limit);
}

Result<std::vector<DeferredMessage>> SqliteStore::list_deferred(std::size_t limit) {
  return list_deferred_until(Timestamp::max(), limit);
}

Result<std::vector<DeferredMessage>> SqliteStore::list_deferred_until(Timestamp due_by, std::size_t limit) {
  std::lock_guard lock(mutex_);
  auto query = prepare_bound(db_,
                             "SELECT " + std::string(kDeferredColumns) +
                                 " FROM deferred_messages WHERE next_attempt_at <= ? ORDER BY id LIMIT ?",
                             to_unix_ms(due_by), sqlite_limit(limit));
  if (!query) return std::unexpected(query.error());
  std::vector<DeferredMessage> rows;
  for (;;) {
    auto row = query->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    rows.push_back(read_deferred(*query));
  }
  return rows;
}

Status SqliteStore::mark_deferred_attempt(std::int64_t id, Timestamp next_attempt_at) {
  std::lock_guard lock(mutex_);
  auto changed = execute_bound(
      db_, "UPDATE deferred_messages SET attempts = attempts + 1, next_attempt_at = ? WHERE id = ?",
      to_unix_ms(next_attempt_at), id);
  if (!changed) return std::unexpected(changed.error());
  if (*changed == 0) {
    return fail(ErrorKind::not_found, "deferred.not_found", "no deferred message " + std::to_string(id));
  }
  return {};
}

Status SqliteStore::remove_deferred(std::int64_t id) {
  std::lock_guard lock(mutex_);
  // Removing an absent row is fine: the other process may have archived it already.
  auto removed = execute_bound(db_, "DELETE FROM deferred_messages WHERE id = ?", id);
  if (!removed) return std::unexpected(removed.error());
  return {};
}

// --- maintenance ----------------------------------------------------------------------------

Status SqliteStore::vacuum() {
  std::lock_guard lock(mutex_);
  return db_.execute("VACUUM");
}

Result<std::string> SqliteStore::integrity_check() {
  std::lock_guard lock(mutex_);
  std::string report;
  auto append = [&report](const std::string& line) {
    if (!report.empty()) report += '\n';
    report += line;
  };
  auto integrity = db_.prepare("PRAGMA integrity_check");
  if (!integrity) return std::unexpected(integrity.error());
  for (;;) {
    auto row = integrity->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    append(integrity->column_text(0));
  }
  // integrity_check does not look at foreign keys; a violation would mean a bug or a
  // hand edit, and the report should say so.
  auto foreign_keys = db_.prepare("PRAGMA foreign_key_check");
  if (!foreign_keys) return std::unexpected(foreign_keys.error());
  bool foreign_keys_ok = true;
  for (;;) {
    auto row = foreign_keys->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    if (foreign_keys_ok && report == "ok") report.clear();
    foreign_keys_ok = false;
    append("foreign key violation: table " + foreign_keys->column_text(0) + " row " +
           std::to_string(foreign_keys->column_int64(1)) + " -> " + foreign_keys->column_text(2));
  }
  return report;
}

}  // namespace teltubby::store
