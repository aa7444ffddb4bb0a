#pragma once
// Where upload bytes come from: a file, a pipe, a download in progress, a generator.
#include <cstddef>
#include <filesystem>
#include <span>
#include <string>

#include "core/error.hpp"

namespace teltubby::storage {

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Fills up to buffer.size() bytes and returns how many; 0 means the end of the data.
  // It may return fewer bytes than asked before the end (a pipe); an error stops the
  // upload (kind `cancelled` for a requested stop).
  virtual Result<std::size_t> read(std::span<std::byte> buffer) = 0;
};

// Reads an open file descriptor it owns (a file or a pipe) until end of file.
class FdByteSource final : public ByteSource {
 public:
  explicit FdByteSource(int fd) noexcept : fd_(fd) {}
  FdByteSource(const FdByteSource&) = delete;
  FdByteSource& operator=(const FdByteSource&) = delete;
  ~FdByteSource() override;
  // Opens `path` for reading; not_found / permanent errors name the path.
  static Result<FdByteSource> open(const std::filesystem::path& path);
  FdByteSource(FdByteSource&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }
  Result<std::size_t> read(std::span<std::byte> buffer) override;

 private:
  int fd_ = -1;
};

// Reads a string it does not own (which must outlive the source).
class MemoryByteSource final : public ByteSource {
 public:
  explicit MemoryByteSource(std::string_view data) noexcept : data_(data) {}
  Result<std::size_t> read(std::span<std::byte> buffer) override;

 private:
  std::string_view data_;
  std::size_t offset_ = 0;
};

}  // namespace teltubby::storage
