#pragma once
// A job's bytes on their way from the source to S3: a private file (mode 0600) in the
// work directory, written once, read back once, and removed on destruction, so disk
// use is bounded by the jobs running and memory by the write buffer.
#include <cstdint>
#include <filesystem>
#include <span>

#include "core/error.hpp"
#include "storage/byte_source.hpp"

namespace teltubby::worker {

class SpoolFile {
 public:
  // Creates `<directory>/<name>.part` (replacing a leftover of a crashed run).
  static Result<SpoolFile> create(const std::filesystem::path& directory, std::string_view name);
  SpoolFile(SpoolFile&& other) noexcept : path_(std::move(other.path_)), fd_(other.fd_) { other.fd_ = -1; }
  SpoolFile(const SpoolFile&) = delete;
  SpoolFile& operator=(const SpoolFile&) = delete;
  SpoolFile& operator=(SpoolFile&&) = delete;
  ~SpoolFile();  // closes and removes the file; never throws

  Status write(std::span<const std::byte> bytes);
  // A reader from the start (the write side stays open until destruction).
  Result<storage::FdByteSource> reader() const;
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }

 private:
  SpoolFile(std::filesystem::path path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::filesystem::path path_;
  int fd_ = -1;
};

}  // namespace teltubby::worker
