#include "jobs/job_ref.hpp"

#include <cctype>

namespace teltubby::jobs {
namespace {

bool is_hex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }
char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }
bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// Where the separators of the canonical form sit (8-4-4-4-12).
bool separator_position(std::size_t index) { return index == 8 || index == 13 || index == 18 || index == 23; }

// Longest text worth looking at: the canonical form is 36 characters.
constexpr std::size_t kMaxRefChars = 36;

std::unexpected<Error> bad_id(std::string_view why) {
  return fail(ErrorKind::invalid_input, "job.bad_id",
              std::string(why) + " (a job id looks like 3f2b8c1e-9a4d-4f6b-8c2e-1a2b3c4d5e6f; its first " +
                  std::to_string(kMinJobPrefixDigits) + " hex digits are enough)");
}

std::string compact(std::string_view job_id) {
  std::string digits;
  for (char c : job_id) {
    if (c != '-') digits += lower(c);
  }
  return digits;
}

std::vector<std::string_view> split_words(std::string_view text) {
  std::vector<std::string_view> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_space(text[i])) ++i;
    const std::size_t start = i;
    while (i < text.size() && !is_space(text[i])) ++i;
    if (i > start) words.push_back(text.substr(start, i - start));
  }
  return words;
}

std::unexpected<Error> bad_arguments(std::string_view usage) {
  return fail(ErrorKind::invalid_input, "job.bad_arguments", "usage: " + std::string(usage));
}

}  // namespace

Result<std::string> parse_job_arg(std::string_view args, std::string_view usage) {
  const auto words = split_words(args);
  if (words.size() != 1) return bad_arguments(usage);
  return std::string(words.front());
}

Result<PriorityArgs> parse_priority_args(std::string_view args, std::string_view usage) {
  const auto words = split_words(args);
  if (words.size() != 2 || words[1].size() > 16) return bad_arguments(usage);
  std::string level;
  for (char c : words[1]) level += lower(c);
  const auto priority = store::parse_job_priority(level);
  if (!priority) {
    return fail(ErrorKind::invalid_input, "job.bad_arguments", "priority must be normal, high or urgent");
  }
  return PriorityArgs{std::string(words[0]), *priority};
}

Result<JobRef> parse_job_ref(std::string_view text) {
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  if (text.empty()) return bad_id("no job id given");
  if (text.size() > kMaxRefChars) return bad_id("too long for a job id");
  JobRef ref;
  // With separators the text follows the canonical layout; without, it is plain digits.
  const bool has_separators = text.find_first_of("-_") != std::string_view::npos;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '-' || c == '_') {
      if (!separator_position(i)) return bad_id("a separator is out of place");
      continue;
    }
    if (!is_hex(c)) return bad_id("a job id has only hex digits 0-9 a-f and '-'");
    if (has_separators && separator_position(i)) return bad_id("a separator is missing");
    ref.digits += lower(c);
  }
  if (ref.digits.size() > kJobIdDigits) return bad_id("too long for a job id");
  if (ref.digits.size() < kMinJobPrefixDigits) {
    return bad_id("give at least " + std::to_string(kMinJobPrefixDigits) + " hex digits");
  }
  return ref;
}

std::string canonical_job_id(std::string_view digits) {
  if (digits.size() != kJobIdDigits) return std::string(digits);
  std::string id;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) id += '-';
    id += digits[i];
  }
  return id;
}

std::string short_job_id(std::string_view job_id) { return compact(job_id).substr(0, kMinJobPrefixDigits); }

std::string job_shortcut_command(std::string_view job_id) { return "/jobs_" + short_job_id(job_id); }

Result<store::JobRecord> find_job(store::Store& store, std::string_view text) {
  auto ref = parse_job_ref(text);
  if (!ref) return std::unexpected(ref.error());
  if (ref->complete()) {
    auto job = store.get_job(canonical_job_id(ref->digits));
    if (!job && job.error().kind == ErrorKind::not_found) {
      return fail(ErrorKind::not_found, "job.not_found", "no job " + canonical_job_id(ref->digits));
    }
    return job;
  }
  // A prefix: jobs are few (large files only), so matching over the list is cheap and
  // keeps the Store interface free of a prefix query.
  auto jobs = store.list_jobs({});
  if (!jobs) return std::unexpected(jobs.error());
  std::optional<store::JobRecord> match;
  std::size_t matches = 0;
  for (auto& job : *jobs) {
    if (!compact(job.job_id).starts_with(ref->digits)) continue;
    ++matches;
    if (!match) match = std::move(job);
  }
  if (matches == 0) return fail(ErrorKind::not_found, "job.not_found", "no job " + ref->digits);
  if (matches > 1) {
    return fail(ErrorKind::invalid_input, "job.ambiguous",
                std::to_string(matches) + " jobs start with " + ref->digits + "; give more digits");
  }
  return *std::move(match);
}

}  // namespace teltubby::jobs
