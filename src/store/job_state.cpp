#include "store/job_state.hpp"

namespace teltubby::store {

std::string_view to_string(JobState state) {
  switch (state) {
    case JobState::pending:
      return "PENDING";
    case JobState::processing:
      return "PROCESSING";
    case JobState::completed:
      return "COMPLETED";
    case JobState::failed:
      return "FAILED";
    case JobState::retrying:
      return "RETRYING";
    case JobState::cancelled:
      return "CANCELLED";
  }
  return "UNKNOWN";
}

std::optional<JobState> parse_job_state(std::string_view text) {
  for (const JobState state : kAllJobStates) {
    if (to_string(state) == text) return state;
  }
  return std::nullopt;
}

bool is_allowed_transition(JobState from, JobState to) {
  using enum JobState;
  switch (from) {
    case pending:
      return to == processing || to == cancelled;
    case processing:
      return to == completed || to == failed || to == retrying || to == cancelled || to == pending;
    case failed:
      return to == retrying || to == pending;
    case retrying:
      return to == pending || to == cancelled;
    case cancelled:
      return to == pending;
    case completed:
      return false;
  }
  return false;
}

std::string_view to_string(JobPriority priority) {
  switch (priority) {
    case JobPriority::normal:
      return "normal";
    case JobPriority::high:
      return "high";
    case JobPriority::urgent:
      return "urgent";
  }
  return "normal";
}

std::optional<JobPriority> parse_job_priority(std::string_view text) {
  for (const JobPriority priority : {JobPriority::normal, JobPriority::high, JobPriority::urgent}) {
    if (to_string(priority) == text) return priority;
  }
  return std::nullopt;
}

}  // namespace teltubby::store
