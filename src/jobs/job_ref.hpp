#pragma once
// How a curator names a job: the canonical uuid ("3f2b8c1e-9a4d-4f6b-8c2e-1a2b3c4d5e6f",
// any case, '-' or '_' as separators), its compact 32-hex form (the /jobs_<hex>
// shortcut), or a unique prefix of at least 8 hex digits ("3f2b8c1e", "3f2b8c1e-9a4d").
// Parsing is pure and runs before the database is touched; resolving a prefix asks the
// store.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "store/store.hpp"

namespace teltubby::jobs {

// Shortest prefix accepted: 8 hex digits (the /jobs_<8 hex> shortcut); 32 = complete.
inline constexpr std::size_t kMinJobPrefixDigits = 8;
inline constexpr std::size_t kJobIdDigits = 32;

struct JobRef {
  // Lower-case hex digits without separators: all 32 when complete, else a prefix.
  std::string digits;
  [[nodiscard]] bool complete() const { return digits.size() == kJobIdDigits; }
};

// Errors ("job.bad_id", invalid_input) say what was expected; the text is not repeated
// when it is long or not printable (it may be anything a user typed).
Result<JobRef> parse_job_ref(std::string_view text);

// "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" for 32 digits.
std::string canonical_job_id(std::string_view digits);
// The first 8 hex digits of a job id: what the overview shows and /jobs_<hex> carries.
std::string short_job_id(std::string_view job_id);
// "/jobs_<first 8 hex digits>": one tap opens the job's details.
std::string job_shortcut_command(std::string_view job_id);

// The job `text` names. Errors: "job.bad_id"; "job.not_found" (not_found, "no job
// <id>"); "job.ambiguous" (invalid_input) when a prefix matches more than one job;
// the store's own errors otherwise.
Result<store::JobRecord> find_job(store::Store& store, std::string_view text);

// Command arguments (the bot's "/retry <id>", "/priority <id> high"): exactly one job
// reference, or a reference and a priority (normal, high, urgent; any case). Errors:
// "job.bad_arguments" (invalid_input) with the usage text.
Result<std::string> parse_job_arg(std::string_view args, std::string_view usage);
struct PriorityArgs {
  std::string job;  // as typed; find_job resolves it
  store::JobPriority priority = store::JobPriority::high;
};
Result<PriorityArgs> parse_priority_args(std::string_view args, std::string_view usage);

}  // namespace teltubby::jobs
