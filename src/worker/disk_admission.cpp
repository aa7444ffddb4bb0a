#include "worker/disk_admission.hpp"

#include <system_error>

namespace teltubby::worker {

bool admits(std::uint64_t available, std::uint64_t reserved, std::uint64_t size, std::uint64_t margin) {
  if (reserved > available) return false;
  const std::uint64_t free_now = available - reserved;
  return size <= free_now && margin <= free_now - size;
}

bool could_ever_fit(std::uint64_t capacity, std::uint64_t size, std::uint64_t margin) {
  return size <= capacity && margin <= capacity - size;
}

DiskAdmission::Reservation::~Reservation() {
  if (owner_ != nullptr) owner_->release(bytes_);
}

Result<std::optional<DiskAdmission::Reservation>> DiskAdmission::try_reserve(std::uint64_t size) {
  std::error_code error;
  const auto space = std::filesystem::space(directory_, error);
  if (error) {
    return fail(ErrorKind::permanent, "worker.disk",
                "cannot read the free space of " + directory_.string() + ": " + error.message());
  }
  if (!could_ever_fit(space.capacity, size, margin_)) {
    return fail(ErrorKind::permanent, "worker.disk_too_small",
                "a file of " + std::to_string(size) + " bytes (plus a margin of " + std::to_string(margin_) +
                    ") can never fit in " + directory_.string());
  }
  const std::scoped_lock lock(mutex_);
  if (!admits(space.available, reserved_, size, margin_)) return std::optional<Reservation>{};
  reserved_ += size;
  return std::optional<Reservation>{std::in_place, *this, size};
}

void DiskAdmission::release(std::uint64_t bytes) {
  const std::scoped_lock lock(mutex_);
  reserved_ -= std::min(bytes, reserved_);
}

}  // namespace teltubby::worker
