#pragma once
// A prepared SQLite statement, owned (finalized on destruction). Parameters are bound
// by 1-based index or by name (":job_id"); columns are read by 0-based index, as in
// the SQLite C API. A Statement must not outlive the Database that prepared it.
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/error.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace teltubby::store::sqlite {

struct StatementFinalizer {
  void operator()(sqlite3_stmt* statement) const noexcept;
};
using StatementHandle = std::unique_ptr<sqlite3_stmt, StatementFinalizer>;

class Statement {
 public:
  // Prefer Database::prepare; this is what it calls.
  static Result<Statement> prepare(sqlite3* db, std::string_view sql);

  Status bind_int64(int index, std::int64_t value);
  Status bind_double(int index, double value);
  Status bind_text(int index, std::string_view value);  // copied; need not outlive the call
  Status bind_blob(int index, std::span<const std::byte> value);
  Status bind_null(int index);

  // Dispatches on the value's type: integers (including bool), floating point, text
  // (string / string_view / const char*), byte blobs, std::nullopt / nullptr, and
  // std::optional of any of these (empty binds NULL).
  template <class T>
  Status bind(int index, const T& value);
  template <class T>
  Status bind(std::string_view name, const T& value) {
    auto index = parameter_index(name);
    if (!index) return std::unexpected(index.error());
    return bind(*index, value);
  }
  // Binds the arguments to parameters 1..N in order.
  template <class... Args>
  Status bind_all(const Args&... args) {
    int index = 0;
    Status status;
    ((status = status ? bind(++index, args) : status), ...);
    return status;
  }

  // Advances: true when a row is available, false when the statement is done.
  Result<bool> step();
  // Steps a statement that returns no rows (INSERT/UPDATE/DELETE) to completion.
  Status run();
  // Makes the statement ready to run again; bindings are kept.
  Status reset();

  [[nodiscard]] bool column_is_null(int column) const;
  [[nodiscard]] std::int64_t column_int64(int column) const;
  [[nodiscard]] double column_double(int column) const;
  [[nodiscard]] std::string column_text(int column) const;  // "" for NULL
  [[nodiscard]] std::vector<std::byte> column_blob(int column) const;
  [[nodiscard]] std::optional<std::int64_t> column_optional_int64(int column) const;
  [[nodiscard]] std::optional<std::string> column_optional_text(int column) const;
  [[nodiscard]] int column_count() const;

  // Rows changed by the last INSERT/UPDATE/DELETE on this statement's connection.
  [[nodiscard]] std::int64_t changes() const;

 private:
  Statement(sqlite3* db, StatementHandle statement, std::string sql_head);
  Result<int> parameter_index(std::string_view name) const;
  Error error(int code, std::string_view what) const;

  sqlite3* db_;  // not owned: the Database that prepared us
  StatementHandle statement_;
  std::string sql_head_;  // the start of the SQL, for error messages
};

namespace detail {
template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};
}  // namespace detail

template <class T>
Status Statement::bind(int index, const T& value) {
  if constexpr (detail::is_optional<T>::value) {
    return value ? bind(index, *value) : bind_null(index);
  } else if constexpr (std::is_same_v<T, std::nullopt_t> || std::is_same_v<T, std::nullptr_t>) {
    return bind_null(index);
  } else if constexpr (std::is_same_v<T, bool>) {
    return bind_int64(index, value ? 1 : 0);
  } else if constexpr (std::is_integral_v<T>) {
    if constexpr (std::is_unsigned_v<T> && sizeof(T) >= sizeof(std::int64_t)) {
      if (value > static_cast<T>(INT64_MAX)) {
        return fail(ErrorKind::invalid_input, "sqlite.too_big",
                    "unsigned value does not fit a 64-bit integer");
      }
    }
    return bind_int64(index, static_cast<std::int64_t>(value));
  } else if constexpr (std::is_floating_point_v<T>) {
    return bind_double(index, static_cast<double>(value));
  } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
    return bind_text(index, std::string_view(value));
  } else if constexpr (std::is_convertible_v<const T&, std::span<const std::byte>>) {
    return bind_blob(index, std::span<const std::byte>(value));
  } else {
    static_assert(sizeof(T) == 0, "no SQLite binding for this type");
  }
}

}  // namespace teltubby::store::sqlite
