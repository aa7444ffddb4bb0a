#pragma once
// The text of a large-file job's status message, which the bot sends once ("queued")
// and then edits in place as the worker reports progress (DESIGN.md section 5, "User
// updates"): queued -> processing started -> downloading NN% -> uploading NN% ->
// archived (with key) | failed (see /jobs) | retrying | cancelled. Pure; HTML with every
// outside string escaped. Edits go through EditCoalescer (final phases: final=true).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "bot/media.hpp"

namespace teltubby::bot {

enum class JobPhase { queued, started, downloading, uploading, retrying, archived, failed, cancelled };
std::string_view to_string(JobPhase phase);  // "queued", "started", ...

// archived, failed and cancelled: the last edit of the message (EditCoalescer final).
bool is_final(JobPhase phase);

struct JobStatusView {
  std::string job_id;  // canonical uuid
  MediaType type = MediaType::document;
  int ordinal = 0;           // item ordinal in its message; 0 = do not show
  std::int64_t size_bytes = 0;  // 0 = unknown
  JobPhase phase = JobPhase::queued;
  int percent = 0;                          // downloading / uploading, 0..100
  std::optional<std::chrono::seconds> eta;  // queued: estimate; nullopt = unknown
  std::string key;                          // archived: the stored object's key
  std::string error;                        // failed / retrying: why (already redacted)
  int attempt = 0;                          // retrying: the attempt about to run (1-based)
  int max_attempts = 0;                     // retrying: 0 = not shown
};

std::string render_job_status(const JobStatusView& view);

// Whole percent of `done` out of `total`, floored and clamped to 0..100; 0 when the
// total is unknown (<= 0). Floored so that 100% is shown only when everything is done.
int progress_percent(std::int64_t done, std::int64_t total);

// `percent` rounded down to a multiple of `step` (1..100), so that tiny progress steps
// do not produce a new text (and an edit) each time.
int quantize_percent(int percent, int step = 5);

}  // namespace teltubby::bot
