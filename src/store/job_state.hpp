#pragma once
// Job states and the transitions between them (DESIGN.md section 5). Pure functions;
// the store enforces `is_allowed_transition` on every state change.
#include <array>
#include <optional>
#include <string_view>

namespace teltubby::store {

enum class JobState { pending, processing, completed, failed, retrying, cancelled };

inline constexpr std::array<JobState, 6> kAllJobStates = {JobState::pending,   JobState::processing,
                                                          JobState::completed, JobState::failed,
                                                          JobState::retrying,  JobState::cancelled};

// "PENDING", "PROCESSING", ...: the spelling stored in the database and shown to users.
std::string_view to_string(JobState state);
// Accepts exactly the spelling of to_string (upper case); anything else is nullopt.
std::optional<JobState> parse_job_state(std::string_view text);

// The allowed state changes:
//   PENDING    -> PROCESSING (worker starts), CANCELLED (admin)
//   PROCESSING -> COMPLETED, FAILED, RETRYING (retryable failure), CANCELLED (stopped at
//                 a checkpoint), PENDING (redelivered after a worker crash)
//   FAILED     -> RETRYING, PENDING (admin retry)
//   RETRYING   -> PENDING (backoff over), CANCELLED (admin)
//   CANCELLED  -> PENDING (admin retry)
//   COMPLETED  -> nothing (final)
// A state never "changes" to itself.
bool is_allowed_transition(JobState from, JobState to);

enum class JobPriority { normal, high, urgent };

// "normal", "high", "urgent" (the job message's spelling).
std::string_view to_string(JobPriority priority);
std::optional<JobPriority> parse_job_priority(std::string_view text);

}  // namespace teltubby::store
