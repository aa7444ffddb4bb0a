#pragma once
// The log file sink: appends whole lines, rotating by size (file -> file.1 -> ... ->
// file.N, the oldest dropped; with 0 backups the file is truncated instead).
#include <cstdint>
#include <filesystem>
#include <string_view>
#include <utility>

#include "core/error.hpp"

namespace teltubby {

// Owns one file descriptor; closes it on destruction.
class UniqueFd {
 public:
  UniqueFd() = default;
  explicit UniqueFd(int fd) : fd_(fd) {}
  UniqueFd(UniqueFd&& other) noexcept : fd_(std::exchange(other.fd_, -1)) {}
  UniqueFd& operator=(UniqueFd&& other) noexcept;
  UniqueFd(const UniqueFd&) = delete;
  UniqueFd& operator=(const UniqueFd&) = delete;
  ~UniqueFd();
  [[nodiscard]] int get() const { return fd_; }
  [[nodiscard]] bool valid() const { return fd_ >= 0; }

 private:
  int fd_ = -1;
};

// The one place errno becomes an Error for file operations: "<what> <path>: <strerror>".
Error errno_error(int error_number, std::string_view what, const std::filesystem::path& path);

class RotatingFile {
 public:
  // Opens `path` for appending (creating parent directories and the file, mode 0600).
  static Result<RotatingFile> open(std::filesystem::path path, std::uint64_t max_bytes,
                                   unsigned backup_count);

  // Appends `line` whole, rotating first when it would take the file past max_bytes.
  // A line longer than max_bytes goes alone into a fresh file.
  Status write(std::string_view line);

  [[nodiscard]] std::uint64_t size() const { return size_; }

 private:
  RotatingFile(std::filesystem::path path, std::uint64_t max_bytes, unsigned backup_count)
      : path_(std::move(path)), max_bytes_(max_bytes), backup_count_(backup_count) {}
  Status reopen(bool truncate);
  Status rotate();
  [[nodiscard]] std::filesystem::path backup_path(unsigned index) const;

  std::filesystem::path path_;
  std::uint64_t max_bytes_;
  unsigned backup_count_;
  UniqueFd fd_;
  std::uint64_t size_ = 0;
};

}  // namespace teltubby
