#include "store/sqlite/database.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <vector>

#include "store/sqlite/error.hpp"

namespace teltubby::store::sqlite {
namespace {

constexpr mode_t kDirectoryMode = 0700;  // the database holds private archive metadata
constexpr mode_t kFileMode = 0600;

Error path_error(std::string_view what, const std::filesystem::path& path, int error_number) {
  return Error{ErrorKind::permanent, "sqlite.access",
               std::string(what) + " " + path.string() + ": " + std::strerror(error_number),
               std::chrono::seconds{0}};
}

// Creates each missing directory of `directory` with mode 0700; existing ones are left
// as they are (an operator may have chosen their mode). EEXIST is fine: the other
// process may be creating the same directory at the same moment.
Status create_private_directories(const std::filesystem::path& directory) {
  if (directory.empty()) return {};
  std::vector<std::filesystem::path> missing;
  for (auto current = directory; !current.empty(); current = current.parent_path()) {
    struct stat info {};
    if (::stat(current.c_str(), &info) == 0) {
      if (!S_ISDIR(info.st_mode)) return std::unexpected(path_error("not a directory:", current, ENOTDIR));
      break;
    }
    missing.push_back(current);
    if (current == current.parent_path()) break;
  }
  for (auto it = missing.rbegin(); it != missing.rend(); ++it) {
    if (::mkdir(it->c_str(), kDirectoryMode) != 0 && errno != EEXIST) {
      return std::unexpected(path_error("cannot create directory", *it, errno));
    }
  }
  return {};
}

// Creates the database file with mode 0600 before SQLite opens it (SQLite itself would
// create it 0644). umask can only remove bits, so fchmod makes the mode exact.
Status create_private_file(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, kFileMode);
  if (fd < 0) {
    if (errno == EEXIST) return {};  // existing database, or the other process won the race
    return std::unexpected(path_error("cannot create database file", path, errno));
  }
  const int chmod_result = ::fchmod(fd, kFileMode);
  const int chmod_errno = errno;
  ::close(fd);
  if (chmod_result != 0) return std::unexpected(path_error("cannot set mode of", path, chmod_errno));
  return {};
}

}  // namespace

void DatabaseCloser::operator()(sqlite3* db) const noexcept {
  sqlite3_close_v2(db);
}

Result<Database> Database::open(const DatabaseOptions& options) {
  if (options.path.empty()) return fail(ErrorKind::invalid_input, "sqlite.access", "database path is empty");
  if (auto made = create_private_directories(options.path.parent_path()); !made)
    return std::unexpected(made.error());
  if (auto made = create_private_file(options.path); !made) return std::unexpected(made.error());

  sqlite3* raw = nullptr;
  const int flags =
      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX | SQLITE_OPEN_EXRESCODE;
  const int code = sqlite3_open_v2(options.path.c_str(), &raw, flags, nullptr);
  // SQLite allocates a handle even when opening fails; owning it at once closes it.
  DatabaseHandle handle(raw);
  if (code != SQLITE_OK) {
    return std::unexpected(error_from_db(code, handle.get(), "open " + options.path.string()));
  }
  const auto timeout_ms = options.busy_timeout.count();
  sqlite3_busy_timeout(handle.get(), timeout_ms > INT32_MAX ? INT32_MAX : static_cast<int>(timeout_ms));

  Database database(std::move(handle), options.path);
  // journal_mode answers with the mode in effect; anything but "wal" (e.g. a file
  // system without shared memory) would make the two processes block each other.
  auto journal = database.prepare("PRAGMA journal_mode=WAL");
  if (!journal) return std::unexpected(journal.error());
  auto row = journal->step();
  if (!row) return std::unexpected(row.error());
  if (!*row || journal->column_text(0) != "wal") {
    return fail(ErrorKind::permanent, "sqlite.error",
                "cannot switch " + options.path.string() + " to WAL journal mode (got " +
                    (*row ? journal->column_text(0) : std::string("nothing")) + ")");
  }
  if (auto set = database.execute("PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"); !set) {
    return std::unexpected(set.error());
  }
  return database;
}

Status Database::execute(std::string_view sql) {
  const std::string terminated(sql);
  char* message = nullptr;
  const int code = sqlite3_exec(db_.get(), terminated.c_str(), nullptr, nullptr, &message);
  if (code != SQLITE_OK) {
    std::string detail = message != nullptr ? message : "";
    sqlite3_free(message);
    return std::unexpected(error_from_code(code, "execute `" + terminated.substr(0, 60) + "`", detail));
  }
  return {};
}

Result<Statement> Database::prepare(std::string_view sql) {
  return Statement::prepare(db_.get(), sql);
}

bool Database::autocommit() const {
  return sqlite3_get_autocommit(db_.get()) != 0;
}

std::int64_t Database::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(db_.get());
}

}  // namespace teltubby::store::sqlite
