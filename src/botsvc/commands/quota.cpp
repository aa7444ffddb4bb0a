#include <cstdio>

#include "bot/receipt.hpp"
#include "botsvc/commands/command_context.hpp"

namespace teltubby::botsvc {

std::string render_quota(std::uint64_t used_bytes, std::uint64_t quota_bytes) {
  const auto used = bot::human_bytes(static_cast<std::int64_t>(used_bytes));
  if (quota_bytes == 0) return "Storage used: " + used + ". No quota is set (S3_BUCKET_QUOTA_BYTES=0).";
  const double percent = 100.0 * static_cast<double>(used_bytes) / static_cast<double>(quota_bytes);
  char percent_text[32];
  std::snprintf(percent_text, sizeof percent_text, "%.1f%%", percent);
  std::string text = "Storage used: " + used + " of " + bot::human_bytes(static_cast<std::int64_t>(quota_bytes)) +
                     " (" + percent_text + ").";
  if (used_bytes >= quota_bytes) {
    text += "\n⛔ The quota is reached: archiving is paused. Free space in the bucket or raise "
            "S3_BUCKET_QUOTA_BYTES; paused messages are archived automatically afterwards.";
  } else if (percent >= 95.0) {
    text += "\n⚠️ Above 95%: archiving pauses at 100%.";
  } else if (percent >= 80.0) {
    text += "\n⚠️ Above 80%.";
  }
  return text;
}

std::string handle_quota(CommandContext& context, const bot::ParsedCommand&) {
  return render_quota(context.usage.used_bytes(), context.usage.quota_bytes());
}

}  // namespace teltubby::botsvc
