#include "core/log_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace teltubby {

UniqueFd& UniqueFd::operator=(UniqueFd&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
  }
  return *this;
}

UniqueFd::~UniqueFd() {
  if (fd_ >= 0) ::close(fd_);
}

Error errno_error(int error_number, std::string_view what, const std::filesystem::path& path) {
  const auto kind = error_number == ENOENT ? ErrorKind::not_found : ErrorKind::permanent;
  return Error{kind, "file." + std::string(what),
               std::string(what) + " " + path.string() + ": " + std::strerror(error_number),
               std::chrono::seconds{0}};
}

Result<RotatingFile> RotatingFile::open(std::filesystem::path path, std::uint64_t max_bytes,
                                        unsigned backup_count) {
  if (path.has_parent_path()) {
    std::error_code error;
    std::filesystem::create_directories(path.parent_path(), error);
    if (error) return std::unexpected(errno_error(error.value(), "mkdir", path.parent_path()));
  }
  RotatingFile file(std::move(path), max_bytes, backup_count);
  if (auto opened = file.reopen(false); !opened) return std::unexpected(opened.error());
  return file;
}

Status RotatingFile::reopen(bool truncate) {
  const int flags = O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | (truncate ? O_TRUNC : 0);
  UniqueFd fd(::open(path_.c_str(), flags, 0600));
  if (!fd.valid()) return std::unexpected(errno_error(errno, "open", path_));
  struct stat info {};
  if (::fstat(fd.get(), &info) != 0) return std::unexpected(errno_error(errno, "stat", path_));
  fd_ = std::move(fd);
  size_ = static_cast<std::uint64_t>(info.st_size);
  return {};
}

std::filesystem::path RotatingFile::backup_path(unsigned index) const {
  return std::filesystem::path(path_.string() + "." + std::to_string(index));
}

Status RotatingFile::rotate() {
  fd_ = UniqueFd();
  if (backup_count_ == 0) return reopen(true);
  // Shift file.N-1 -> file.N ... file -> file.1; rename() replaces file.N, dropping it.
  for (unsigned index = backup_count_; index > 1; --index) {
    if (::rename(backup_path(index - 1).c_str(), backup_path(index).c_str()) != 0 && errno != ENOENT) {
      return std::unexpected(errno_error(errno, "rename", backup_path(index - 1)));
    }
  }
  if (::rename(path_.c_str(), backup_path(1).c_str()) != 0 && errno != ENOENT) {
    return std::unexpected(errno_error(errno, "rename", path_));
  }
  return reopen(false);
}

Status RotatingFile::write(std::string_view line) {
  if (!fd_.valid()) {
    if (auto opened = reopen(false); !opened) return opened;
  }
  if (size_ > 0 && size_ + line.size() > max_bytes_) {
    if (auto rotated = rotate(); !rotated) return rotated;
  }
  std::size_t written = 0;
  while (written < line.size()) {
    const auto result = ::write(fd_.get(), line.data() + written, line.size() - written);
    if (result < 0) {
      if (errno == EINTR) continue;
      return std::unexpected(errno_error(errno, "write", path_));
    }
    written += static_cast<std::size_t>(result);
  }
  size_ += line.size();
  return {};
}

}  // namespace teltubby
