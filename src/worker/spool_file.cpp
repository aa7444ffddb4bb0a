#include "worker/spool_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>

namespace teltubby::worker {
namespace {

Error spool_error(std::string_view what, const std::filesystem::path& path, int error_number) {
  // A full disk may clear up; anything else on our own work directory is set-up.
  const ErrorKind kind = (error_number == ENOSPC || error_number == EINTR) ? ErrorKind::retryable
                                                                           : ErrorKind::permanent;
  return Error{kind, "worker.spool", std::string(what) + " " + path.string() + ": " + std::strerror(error_number)};
}

}  // namespace

Result<SpoolFile> SpoolFile::create(const std::filesystem::path& directory, std::string_view name) {
  std::filesystem::path path = directory / (std::string(name) + ".part");
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return std::unexpected(spool_error("cannot create", path, errno));
  return SpoolFile(std::move(path), fd);
}

SpoolFile::~SpoolFile() {
  if (fd_ >= 0) {
    ::close(fd_);
    std::error_code ignored;
    std::filesystem::remove(path_, ignored);
  }
}

Status SpoolFile::write(std::span<const std::byte> bytes) {
  while (!bytes.empty()) {
    const ssize_t written = ::write(fd_, bytes.data(), bytes.size());
    if (written < 0) {
      if (errno == EINTR) continue;
      return std::unexpected(spool_error("cannot write", path_, errno));
    }
    bytes = bytes.subspan(static_cast<std::size_t>(written));
  }
  return {};
}

Result<storage::FdByteSource> SpoolFile::reader() const { return storage::FdByteSource::open(path_); }

}  // namespace teltubby::worker
