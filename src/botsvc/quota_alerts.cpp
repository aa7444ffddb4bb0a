#include "botsvc/quota_alerts.hpp"

#include "botsvc/commands/command_context.hpp"

namespace teltubby::botsvc {

int quota_level(std::uint64_t used_bytes, std::uint64_t quota_bytes) {
  if (quota_bytes == 0) return 0;
  // long double holds 64 mantissa bits: byte counts times 100 stay exact, so the
  // boundaries are exact (80 of 100 bytes is 80%, warned).
  const auto used_times_100 = static_cast<long double>(used_bytes) * 100;
  if (used_times_100 >= static_cast<long double>(quota_bytes) * 95) return 95;
  if (used_times_100 >= static_cast<long double>(quota_bytes) * 80) return 80;
  return 0;
}

std::optional<int> quota_alert_to_send(int current_level, int last_announced_level) {
  if (current_level > last_announced_level) return current_level;
  return std::nullopt;
}

std::string render_quota_alert(int level, std::uint64_t used_bytes, std::uint64_t quota_bytes) {
  return "⚠️ Storage is above " + std::to_string(level) + "% of its quota. " + render_quota(used_bytes, quota_bytes);
}

}  // namespace teltubby::botsvc
