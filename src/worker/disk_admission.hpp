#pragma once
// Disk admission (DESIGN.md section 5): a job starts only when the work directory has
// room for its file plus a safety margin, counting the room already promised to jobs
// running in this process.
#include <cstdint>
#include <filesystem>
#include <mutex>
#include <optional>

#include "core/error.hpp"

namespace teltubby::worker {

// Pure: whether a file of `size` bytes may start, given the file system's free bytes,
// the bytes reserved by running jobs and the margin to keep free.
bool admits(std::uint64_t available, std::uint64_t reserved, std::uint64_t size, std::uint64_t margin);
// Pure: whether it could start on an otherwise idle disk of `capacity` bytes at all
// (false: waiting will never help; the job fails permanently).
bool could_ever_fit(std::uint64_t capacity, std::uint64_t size, std::uint64_t margin);

class DiskAdmission {
 public:
  // Room held for one job; given back on destruction.
  class Reservation {
   public:
    Reservation(DiskAdmission& owner, std::uint64_t bytes) : owner_(&owner), bytes_(bytes) {}
    Reservation(Reservation&& other) noexcept : owner_(other.owner_), bytes_(other.bytes_) { other.owner_ = nullptr; }
    Reservation(const Reservation&) = delete;
    Reservation& operator=(const Reservation&) = delete;
    Reservation& operator=(Reservation&&) = delete;
    ~Reservation();

   private:
    DiskAdmission* owner_;
    std::uint64_t bytes_;
  };

  // `margin_bytes`: kept free beyond the file's size (for the database, logs, TDLib).
  DiskAdmission(std::filesystem::path directory, std::uint64_t margin_bytes)
      : directory_(std::move(directory)), margin_(margin_bytes) {}

  // A reservation when there is room now; nullopt when not yet. Errors: the directory's
  // space cannot be read (permanent, "worker.disk"), or the file can never fit
  // (permanent, "worker.disk_too_small").
  Result<std::optional<Reservation>> try_reserve(std::uint64_t size);

 private:
  void release(std::uint64_t bytes);

  std::filesystem::path directory_;
  std::uint64_t margin_;
  std::mutex mutex_;
  std::uint64_t reserved_ = 0;
};

}  // namespace teltubby::worker
