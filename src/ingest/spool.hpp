#pragma once
// Spool files: a downloaded item waits on local disk between the download and the
// upload, so memory stays bounded whatever the file's size (DESIGN.md section 3, issue 5
// item 4). The SHA-256 is computed while the bytes are written, so the authoritative
// dedup key is known without reading the file again.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>

#include "core/error.hpp"
#include "http/http_client.hpp"

namespace teltubby::ingest {

// A downloaded item in a spool file (mode 0600) under the spool directory; the file is
// removed when this is destroyed. Movable, not copyable: exactly one owner removes it.
class SpoolFile {
 public:
  SpoolFile(SpoolFile&& other) noexcept;
  SpoolFile& operator=(SpoolFile&& other) noexcept;
  SpoolFile(const SpoolFile&) = delete;
  SpoolFile& operator=(const SpoolFile&) = delete;
  ~SpoolFile();

  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  [[nodiscard]] std::uint64_t size() const { return size_; }
  // 64 lower-case hex digits of the content.
  [[nodiscard]] const std::string& sha256_hex() const { return sha256_hex_; }

 private:
  friend Result<SpoolFile> spool_from(const std::function<Status(const http::BodySink&)>& produce,
                                      const std::filesystem::path& spool_dir, std::uint64_t max_bytes);
  explicit SpoolFile(std::filesystem::path path) : path_(std::move(path)) {}
  void remove() noexcept;

  std::filesystem::path path_;  // empty once moved from
  std::uint64_t size_ = 0;
  std::string sha256_hex_;
};

// Creates a spool file under `spool_dir` (created, mode 0700, when missing), calls
// `produce` with a sink that appends to it while hashing, and returns the finished file.
// Memory: only the chunk the producer hands over. `max_bytes` 0 means no limit;
// otherwise more bytes than that fail with "ingest.spool_limit" (permanent) as soon as
// the limit is passed. A producer error is returned as is; on any error the partial
// file is removed. Local I/O errors: "ingest.spool_io", retryable when the disk is full
// (space may come back), permanent otherwise.
Result<SpoolFile> spool_from(const std::function<Status(const http::BodySink&)>& produce,
                             const std::filesystem::path& spool_dir, std::uint64_t max_bytes);

// Removes spool files left behind by a process that died mid-item (kill -9, power
// loss): call once at start-up, before any ingestion runs. Only this module's files
// ("item-*") are touched; a missing directory is fine. Returns how many were removed.
Result<std::size_t> clear_spool(const std::filesystem::path& spool_dir);

}  // namespace teltubby::ingest
