#pragma once
// Admin warnings as the bucket fills (DESIGN.md section 3): once when usage crosses
// 80%, once more at 95%. Pure: the service keeps the last level announced (in the
// store, so a restart does not repeat it) and sends what this returns.
#include <cstdint>
#include <optional>
#include <string>

namespace teltubby::botsvc {

// Levels in percent; 0 = below every level.
int quota_level(std::uint64_t used_bytes, std::uint64_t quota_bytes);

// The level to announce now, when usage reached a level higher than the last one
// announced; nullopt otherwise. (When usage drops, the caller stores the lower level,
// so crossing 80% again later warns again.)
std::optional<int> quota_alert_to_send(int current_level, int last_announced_level);

std::string render_quota_alert(int level, std::uint64_t used_bytes, std::uint64_t quota_bytes);

}  // namespace teltubby::botsvc
