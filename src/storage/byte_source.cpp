#include "storage/byte_source.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <unistd.h>

namespace teltubby::storage {

FdByteSource::~FdByteSource() {
  if (fd_ >= 0) ::close(fd_);
}

Result<FdByteSource> FdByteSource::open(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    const int error = errno;
    return fail(error == ENOENT ? ErrorKind::not_found : ErrorKind::permanent, "io.open",
                "cannot open " + path.string() + ": " + std::strerror(error));
  }
  return FdByteSource(fd);
}

Result<std::size_t> FdByteSource::read(std::span<std::byte> buffer) {
  for (;;) {
    const ssize_t n = ::read(fd_, buffer.data(), buffer.size());
    if (n >= 0) return static_cast<std::size_t>(n);
    if (errno == EINTR) continue;
    return fail(ErrorKind::permanent, "io.read", std::string("read failed: ") + std::strerror(errno));
  }
}

Result<std::size_t> MemoryByteSource::read(std::span<std::byte> buffer) {
  const std::size_t n = std::min(buffer.size(), data_.size() - offset_);
  std::memcpy(buffer.data(), data_.data() + offset_, n);
  offset_ += n;
  return n;
}

}  // namespace teltubby::storage
