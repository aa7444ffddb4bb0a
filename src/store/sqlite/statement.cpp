#include "store/sqlite/statement.hpp"

#include <sqlite3.h>

#include <string>
#include <utility>

#include "store/sqlite/error.hpp"

namespace teltubby::store::sqlite {
namespace {
// How much of a statement's SQL an error message quotes: enough to recognise it.
constexpr std::size_t kSqlHeadChars = 60;
}  // namespace

void StatementFinalizer::operator()(sqlite3_stmt* statement) const noexcept {
  sqlite3_finalize(statement);
}

Statement::Statement(sqlite3* db, StatementHandle statement, std::string sql_head)
    : db_(db), statement_(std::move(statement)), sql_head_(std::move(sql_head)) {}

Result<Statement> Statement::prepare(sqlite3* db, std::string_view sql) {
  sqlite3_stmt* raw = nullptr;
  if (sql.size() > static_cast<std::size_t>(INT32_MAX)) {
    return fail(ErrorKind::invalid_input, "sqlite.too_big", "SQL text too long");
  }
  const int code = sqlite3_prepare_v2(db, sql.data(), static_cast<int>(sql.size()), &raw, nullptr);
  StatementHandle handle(raw);
  std::string head(sql.substr(0, kSqlHeadChars));
  if (code != SQLITE_OK) return std::unexpected(error_from_db(code, db, "prepare `" + head + "`"));
  if (!handle) return fail(ErrorKind::permanent, "sqlite.misuse", "prepare `" + head + "`: empty statement");
  return Statement(db, std::move(handle), std::move(head));
}

Error Statement::error(int code, std::string_view what) const {
  return error_from_db(code, db_, std::string(what) + " `" + sql_head_ + "`");
}

Result<int> Statement::parameter_index(std::string_view name) const {
  const std::string terminated(name);
  const int index = sqlite3_bind_parameter_index(statement_.get(), terminated.c_str());
  if (index == 0) {
    return fail(ErrorKind::permanent, "sqlite.misuse",
                "no parameter " + terminated + " in `" + sql_head_ + "`");
  }
  return index;
}

Status Statement::bind_int64(int index, std::int64_t value) {
  const int code = sqlite3_bind_int64(statement_.get(), index, value);
  if (code != SQLITE_OK) return std::unexpected(error(code, "bind"));
  return {};
}

Status Statement::bind_double(int index, double value) {
  const int code = sqlite3_bind_double(statement_.get(), index, value);
  if (code != SQLITE_OK) return std::unexpected(error(code, "bind"));
  return {};
}

Status Statement::bind_text(int index, std::string_view value) {
  const int code =
      sqlite3_bind_text64(statement_.get(), index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (code != SQLITE_OK) return std::unexpected(error(code, "bind"));
  return {};
}

Status Statement::bind_blob(int index, std::span<const std::byte> value) {
  const int code = sqlite3_bind_blob64(statement_.get(), index, value.data(), value.size(), SQLITE_TRANSIENT);
  if (code != SQLITE_OK) return std::unexpected(error(code, "bind"));
  return {};
}

Status Statement::bind_null(int index) {
  const int code = sqlite3_bind_null(statement_.get(), index);
  if (code != SQLITE_OK) return std::unexpected(error(code, "bind"));
  return {};
}

Result<bool> Statement::step() {
  const int code = sqlite3_step(statement_.get());
  if (code == SQLITE_ROW) return true;
  if (code == SQLITE_DONE) return false;
  return std::unexpected(error(code, "step"));
}

Status Statement::run() {
  auto row = step();
  if (!row) return std::unexpected(row.error());
  // A statement that yields rows here would be a programming error; drain it so the
  // write completes rather than silently stopping after the first row.
  while (*row) {
    row = step();
    if (!row) return std::unexpected(row.error());
  }
  return {};
}

Status Statement::reset() {
  const int code = sqlite3_reset(statement_.get());
  if (code != SQLITE_OK) return std::unexpected(error(code, "reset"));
  return {};
}

bool Statement::column_is_null(int column) const {
  return sqlite3_column_type(statement_.get(), column) == SQLITE_NULL;
}

std::int64_t Statement::column_int64(int column) const {
  return sqlite3_column_int64(statement_.get(), column);
}

double Statement::column_double(int column) const {
  return sqlite3_column_double(statement_.get(), column);
}

std::string Statement::column_text(int column) const {
  const unsigned char* text = sqlite3_column_text(statement_.get(), column);
  if (text == nullptr) return {};
  // The byte count is asked after the text pointer, as the SQLite documentation says.
  const auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement_.get(), column));
  return std::string(reinterpret_cast<const char*>(text), size);
}

std::vector<std::byte> Statement::column_blob(int column) const {
  const void* blob = sqlite3_column_blob(statement_.get(), column);
  const auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement_.get(), column));
  if (blob == nullptr || size == 0) return {};
  const auto* bytes = static_cast<const std::byte*>(blob);
  return std::vector<std::byte>(bytes, bytes + size);
}

std::optional<std::int64_t> Statement::column_optional_int64(int column) const {
  if (column_is_null(column)) return std::nullopt;
  return column_int64(column);
}

std::optional<std::string> Statement::column_optional_text(int column) const {
  if (column_is_null(column)) return std::nullopt;
  return column_text(column);
}

int Statement::column_count() const {
  return sqlite3_column_count(statement_.get());
}

std::int64_t Statement::changes() const {
  return sqlite3_changes64(db_);
}

}  // namespace teltubby::store::sqlite
