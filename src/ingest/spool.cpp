#include "ingest/spool.hpp"

#include <cerrno>
#include <cstring>
#include <span>
#include <string_view>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/log_file.hpp"
#include "storage/crypto.hpp"

namespace teltubby::ingest {
namespace {

constexpr std::string_view kSpoolPrefix = "item-";

// The one place an errno of spool I/O becomes an Error. A full disk is retryable:
// the message is deferred, not lost, and space may come back.
Error spool_error(int error_number, std::string_view what, const std::filesystem::path& path) {
  const bool disk_full = error_number == ENOSPC || error_number == EDQUOT;
  return Error{disk_full ? ErrorKind::retryable : ErrorKind::permanent, "ingest.spool_io",
               std::string(what) + " " + path.string() + ": " + std::strerror(error_number),
               std::chrono::seconds{0}};
}

Status write_all(int fd, std::span<const std::byte> bytes, const std::filesystem::path& path) {
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd, bytes.data(), bytes.size());
    if (n < 0) {
      if (errno == EINTR) continue;
      return std::unexpected(spool_error(errno, "write", path));
    }
    bytes = bytes.subspan(static_cast<std::size_t>(n));
  }
  return {};
}

}  // namespace

SpoolFile::SpoolFile(SpoolFile&& other) noexcept
    : path_(std::exchange(other.path_, {})), size_(other.size_), sha256_hex_(std::move(other.sha256_hex_)) {}

SpoolFile& SpoolFile::operator=(SpoolFile&& other) noexcept {
  if (this != &other) {
    remove();
    path_ = std::exchange(other.path_, {});
    size_ = other.size_;
    sha256_hex_ = std::move(other.sha256_hex_);
  }
  return *this;
}

SpoolFile::~SpoolFile() { remove(); }

void SpoolFile::remove() noexcept {
  if (path_.empty()) return;
  std::error_code ignored;  // a destructor must not throw; a leftover is cleaned at the next start
  std::filesystem::remove(path_, ignored);
  path_.clear();
}

Result<std::size_t> clear_spool(const std::filesystem::path& spool_dir) {
  std::error_code error;
  std::filesystem::directory_iterator entries(spool_dir, error);
  if (error == std::errc::no_such_file_or_directory) return std::size_t{0};
  if (error) return std::unexpected(spool_error(error.value(), "list", spool_dir));
  std::size_t removed = 0;
  for (const auto& entry : entries) {
    if (!entry.path().filename().string().starts_with(kSpoolPrefix)) continue;
    if (std::filesystem::remove(entry.path(), error); error) {
      return std::unexpected(spool_error(error.value(), "remove", entry.path()));
    }
    ++removed;
  }
  return removed;
}

Result<SpoolFile> spool_from(const std::function<Status(const http::BodySink&)>& produce,
                             const std::filesystem::path& spool_dir, std::uint64_t max_bytes) {
  std::error_code created;
  if (std::filesystem::create_directories(spool_dir, created)) {
    std::filesystem::permissions(spool_dir, std::filesystem::perms::owner_all, created);
  }
  if (created) return std::unexpected(spool_error(created.value(), "mkdir", spool_dir));

  // mkstemp creates the file with mode 0600 and O_EXCL: no other user can read it.
  std::string name_template = (spool_dir / (std::string(kSpoolPrefix) + "XXXXXX")).string();
  std::vector<char> name(name_template.begin(), name_template.end());
  name.push_back('\0');
  UniqueFd fd(::mkostemp(name.data(), O_CLOEXEC));
  if (!fd.valid()) return std::unexpected(spool_error(errno, "create", name_template));
  SpoolFile file{std::filesystem::path(name.data())};  // from here on, removed on every error path

  storage::Sha256 hash;
  std::uint64_t written = 0;
  const http::BodySink sink = [&](std::span<const std::byte> bytes) -> Status {
    if (max_bytes > 0 && bytes.size() > max_bytes - written) {
      return fail(ErrorKind::permanent, "ingest.spool_limit",
                  "the file is larger than the limit of " + std::to_string(max_bytes) + " bytes");
    }
    if (auto ok = write_all(fd.get(), bytes, file.path()); !ok) return ok;
    hash.update(bytes);
    written += bytes.size();
    return {};
  };
  if (auto produced = produce(sink); !produced) return std::unexpected(produced.error());

  // The file must hold exactly what was handed over (a short write would corrupt the
  // archive silently).
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return std::unexpected(spool_error(errno, "stat", file.path()));
  if (static_cast<std::uint64_t>(info.st_size) != written) {
    return fail(ErrorKind::permanent, "ingest.spool_io",
                "spool file " + file.path().string() + " holds " + std::to_string(info.st_size) +
                    " bytes, expected " + std::to_string(written));
  }
  file.size_ = written;
  file.sha256_hex_ = storage::to_hex(hash.finish());
  return file;
}

}  // namespace teltubby::ingest
