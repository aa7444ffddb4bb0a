#include "bot/job_status.hpp"

#include <algorithm>
#include <limits>

#include "bot/commands.hpp"
#include "bot/html.hpp"
#include "bot/receipt.hpp"

namespace teltubby::bot {

std::string_view to_string(JobPhase phase) {
  switch (phase) {
    case JobPhase::queued: return "queued";
    case JobPhase::started: return "started";
    case JobPhase::downloading: return "downloading";
    case JobPhase::uploading: return "uploading";
    case JobPhase::retrying: return "retrying";
    case JobPhase::archived: return "archived";
    case JobPhase::failed: return "failed";
    case JobPhase::cancelled: return "cancelled";
  }
  return "queued";
}

bool is_final(JobPhase phase) {
  return phase == JobPhase::archived || phase == JobPhase::failed || phase == JobPhase::cancelled;
}

int progress_percent(std::int64_t done, std::int64_t total) {
  if (total <= 0 || done <= 0) return 0;
  if (done >= total) return 100;
  // done < total here, so done * 100 / total < 100; divide first when the product
  // could overflow (files are at most a few GiB, but the values come from outside).
  if (done > std::numeric_limits<std::int64_t>::max() / 100) return static_cast<int>(done / (total / 100));
  return static_cast<int>(done * 100 / total);
}

int quantize_percent(int percent, int step) {
  step = std::clamp(step, 1, 100);
  percent = std::clamp(percent, 0, 100);
  if (percent == 100) return 100;
  return percent / step * step;
}

std::string render_job_status(const JobStatusView& view) {
  std::string text = "📦 <b>Large file</b>";
  if (view.ordinal > 0) text += " #" + std::to_string(view.ordinal);
  text += " " + std::string(media_emoji(view.type)) + " " + std::string(media_label(view.type));
  if (view.size_bytes > 0) text += " (" + human_bytes(view.size_bytes) + ")";
  text += "\nJob: " + html_escape(job_shortcut(view.job_id)) + "\n";
  const int percent = std::clamp(view.percent, 0, 100);
  switch (view.phase) {
    case JobPhase::queued:
      text += "⏳ Queued, " + (view.eta ? human_eta(*view.eta) : std::string("time unknown"));
      break;
    case JobPhase::started: text += "⚙️ Processing started"; break;
    case JobPhase::downloading: text += "⬇️ Downloading " + std::to_string(percent) + "%"; break;
    case JobPhase::uploading: text += "⬆️ Uploading " + std::to_string(percent) + "%"; break;
    case JobPhase::retrying:
      text += "🔁 Retrying";
      if (view.attempt > 0) {
        text += " (attempt " + std::to_string(view.attempt);
        if (view.max_attempts > 0) text += " of " + std::to_string(view.max_attempts);
        text += ")";
      }
      if (!view.error.empty()) text += ": " + html_escape(view.error);
      break;
    case JobPhase::archived: text += "✅ Archived: <code>" + html_escape(view.key) + "</code>"; break;
    case JobPhase::failed:
      text += "❌ Failed";
      if (!view.error.empty()) text += ": " + html_escape(view.error);
      text += " — see /jobs " + html_escape(view.job_id);
      break;
    case JobPhase::cancelled: text += "🚫 Cancelled"; break;
  }
  return text;
}

}  // namespace teltubby::bot
