// SqliteStore: jobs and their history.
#include <algorithm>

#include "core/log.hpp"
#include "store/sqlite/transaction.hpp"
#include "store/sqlite_store.hpp"
#include "store/sqlite_store_detail.hpp"

namespace teltubby::store {

using detail::execute_bound;
using detail::from_unix_ms;
using detail::kMaxKeyChars;
using detail::kMaxUniqueIdChars;
using detail::prepare_bound;
using detail::sqlite_limit;
using detail::to_unix_ms;

namespace {

constexpr std::size_t kMaxJobIdChars = 128;   // uuid v4 text is 36
constexpr std::size_t kMaxErrorChars = 4096;  // longer error texts are cut

constexpr std::string_view kJobColumns =
    "job_id, state, priority, user_id, chat_id, message_id, file_unique_id, file_size, payload, attempt, "
    "max_retries, created_at, updated_at, last_error, s3_key, status_chat_id, status_message_id, published, "
    "published_at";

Result<JobRecord> read_job(const sqlite::Statement& row) {
  JobRecord job;
  job.job_id = row.column_text(0);
  const auto state = parse_job_state(row.column_text(1));
  if (!state) return detail::corrupt_row("job " + job.job_id + " has unknown state " + row.column_text(1));
  job.state = *state;
  const auto priority = parse_job_priority(row.column_text(2));
  if (!priority)
    return detail::corrupt_row("job " + job.job_id + " has unknown priority " + row.column_text(2));
  job.priority = *priority;
  job.user_id = row.column_int64(3);
  job.chat_id = row.column_int64(4);
  job.message_id = row.column_int64(5);
  job.file_unique_id = row.column_text(6);
  job.file_size = row.column_int64(7);
  job.payload = row.column_text(8);
  job.attempt = static_cast<int>(row.column_int64(9));
  job.max_retries = static_cast<int>(row.column_int64(10));
  job.created_at = from_unix_ms(row.column_int64(11));
  job.updated_at = from_unix_ms(row.column_int64(12));
  job.last_error = row.column_optional_text(13);
  job.s3_key = row.column_optional_text(14);
  if (!row.column_is_null(15) && !row.column_is_null(16)) {
    job.status_message = StatusMessageRef{row.column_int64(15), row.column_int64(16)};
  }
  job.published = row.column_int64(17) != 0;
  if (const auto at = row.column_optional_int64(18)) job.published_at = from_unix_ms(*at);
  return job;
}

Result<JobEvent> read_event(const sqlite::Statement& row) {
  JobEvent event;
  event.id = row.column_int64(0);
  event.job_id = row.column_text(1);
  event.at = from_unix_ms(row.column_int64(2));
  if (const auto from = row.column_optional_text(3)) {
    event.from_state = parse_job_state(*from);
    if (!event.from_state) return detail::corrupt_row("job event has unknown state " + *from);
  }
  const auto to = parse_job_state(row.column_text(4));
  if (!to) return detail::corrupt_row("job event has unknown state " + row.column_text(4));
  event.to_state = *to;
  event.attempt = static_cast<int>(row.column_int64(5));
  event.bytes = row.column_optional_int64(6);
  event.error = row.column_optional_text(7);
  return event;
}

std::unexpected<Error> job_not_found(std::string_view job_id) {
  return fail(ErrorKind::not_found, "job.not_found", "no job " + std::string(job_id));
}

std::string join_states(const std::vector<JobState>& states) {
  std::string joined;
  for (const JobState state : states) {
    if (!joined.empty()) joined += ", ";
    joined += to_string(state);
  }
  return joined.empty() ? "(none)" : joined;
}

// Error texts come from libraries and remote services: mask secrets, bound the size.
std::optional<std::string> clean_error(const std::optional<std::string>& error) {
  if (!error) return std::nullopt;
  std::string cleaned = redact(*error);
  if (cleaned.size() > kMaxErrorChars) cleaned.resize(kMaxErrorChars);
  return cleaned;
}

Status insert_event(sqlite::Database& db, std::string_view job_id, Timestamp at, std::optional<JobState> from,
                    JobState to, int attempt, std::optional<std::int64_t> bytes,
                    const std::optional<std::string>& error) {
  std::optional<std::string_view> from_text;
  if (from) from_text = to_string(*from);
  auto inserted =
      execute_bound(db,
                    "INSERT INTO job_events (job_id, at, from_state, to_state, attempt, bytes, error) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    job_id, to_unix_ms(at), from_text, to_string(to), attempt, bytes, error);
  if (!inserted) return std::unexpected(inserted.error());
  return {};
}

}  // namespace

Result<std::optional<JobRecord>> SqliteStore::find_job_locked(std::string_view job_id) {
  auto query =
      prepare_bound(db_, "SELECT " + std::string(kJobColumns) + " FROM jobs WHERE job_id = ?", job_id);
  if (!query) return std::unexpected(query.error());
  auto row = query->step();
  if (!row) return std::unexpected(row.error());
  if (!*row) return std::optional<JobRecord>{};
  auto job = read_job(*query);
  if (!job) return std::unexpected(job.error());
  return std::optional<JobRecord>{std::move(*job)};
}

Result<JobRecord> SqliteStore::get_job_locked(std::string_view job_id) {
  auto job = find_job_locked(job_id);
  if (!job) return std::unexpected(job.error());
  if (!*job) return job_not_found(job_id);
  return std::move(**job);
}

Result<JobRecord> SqliteStore::create_job(const JobRecord& job) {
  if (auto ok = detail::check_text("job_id", job.job_id, kMaxJobIdChars); !ok)
    return std::unexpected(ok.error());
  if (auto ok = detail::check_text("file_unique_id", job.file_unique_id, kMaxUniqueIdChars); !ok) {
    return std::unexpected(ok.error());
  }
  if (auto ok = detail::check_json("job payload", job.payload); !ok) return std::unexpected(ok.error());
  if (job.state != JobState::pending) return detail::invalid("a new job must be PENDING");
  if (job.file_size < 0) return detail::invalid("file_size is negative");
  if (job.max_retries < 0) return detail::invalid("max_retries is negative");
  if (job.s3_key) {
    if (auto ok = detail::check_text("s3_key", *job.s3_key, kMaxKeyChars); !ok)
      return std::unexpected(ok.error());
  }

  std::lock_guard lock(mutex_);
  auto transaction = sqlite::Transaction::begin(db_);
  if (!transaction) return std::unexpected(transaction.error());
  const Timestamp at = now();
  std::optional<std::int64_t> status_chat;
  std::optional<std::int64_t> status_message;
  if (job.status_message) {
    status_chat = job.status_message->chat_id;
    status_message = job.status_message->message_id;
  }
  std::optional<std::int64_t> published_at;
  if (job.published) published_at = to_unix_ms(job.published_at.value_or(at));
  auto inserted = execute_bound(
      db_,
      "INSERT INTO jobs (job_id, state, priority, user_id, chat_id, message_id, file_unique_id, file_size, "
      "payload, "
      "attempt, max_retries, created_at, updated_at, last_error, s3_key, status_chat_id, status_message_id, "
      "published, published_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "ON CONFLICT (job_id) DO NOTHING",
      job.job_id, to_string(job.state), to_string(job.priority), job.user_id, job.chat_id, job.message_id,
      job.file_unique_id, job.file_size, job.payload, job.attempt, job.max_retries, to_unix_ms(at),
      to_unix_ms(at), clean_error(job.last_error), job.s3_key, status_chat, status_message, job.published,
      published_at);
  if (!inserted) return std::unexpected(inserted.error());
  if (*inserted == 0)
    return fail(ErrorKind::permanent, "job.exists", "a job " + job.job_id + " already exists");
  if (auto logged =
          insert_event(db_, job.job_id, at, std::nullopt, job.state, job.attempt, std::nullopt, std::nullopt);
      !logged) {
    return std::unexpected(logged.error());
  }
  auto created = get_job_locked(job.job_id);
  if (!created) return std::unexpected(created.error());
  if (auto committed = transaction->commit(); !committed) return std::unexpected(committed.error());
  return created;
}

Result<JobRecord> SqliteStore::get_job(std::string_view job_id) {
  if (auto ok = detail::check_text("job_id", job_id, kMaxJobIdChars); !ok) return std::unexpected(ok.error());
  std::lock_guard lock(mutex_);
  return get_job_locked(job_id);
}

Result<JobRecord> SqliteStore::transition_job(std::string_view job_id,
                                              const std::vector<JobState>& allowed_from, JobState to,
                                              const JobEventDetails& details) {
  if (auto ok = detail::check_text("job_id", job_id, kMaxJobIdChars); !ok) return std::unexpected(ok.error());
  if (details.attempt && *details.attempt < 0) return detail::invalid("attempt is negative");
  if (details.bytes && *details.bytes < 0) return detail::invalid("bytes is negative");

  std::lock_guard lock(mutex_);
  // BEGIN IMMEDIATE: the state read below cannot change before our update (the other
  // process waits), which is what makes check-then-change atomic.
  auto transaction = sqlite::Transaction::begin(db_);
  if (!transaction) return std::unexpected(transaction.error());
  auto current = get_job_locked(job_id);
  if (!current) return std::unexpected(current.error());
  const JobState from = current->state;
  if (std::find(allowed_from.begin(), allowed_from.end(), from) == allowed_from.end()) {
    return fail(ErrorKind::permanent, "job.wrong_state",
                "job " + std::string(job_id) + " is " + std::string(to_string(from)) + ", expected " +
                    join_states(allowed_from) + " to move it to " + std::string(to_string(to)));
  }
  if (!is_allowed_transition(from, to)) {
    return fail(ErrorKind::permanent, "job.illegal_transition",
                "job " + std::string(job_id) + " cannot go from " + std::string(to_string(from)) + " to " +
                    std::string(to_string(to)));
  }
  const int attempt =
      details.attempt.value_or(to == JobState::processing ? current->attempt + 1 : current->attempt);
  const auto error = clean_error(details.error);
  const Timestamp at = now();
  auto updated = execute_bound(db_,
                               "UPDATE jobs SET state = ?, attempt = ?, updated_at = ?, "
                               "last_error = COALESCE(?, last_error), "
                               "published = CASE WHEN ? THEN 0 ELSE published END, "
                               "published_at = CASE WHEN ? THEN NULL ELSE published_at END WHERE job_id = ?",
                               to_string(to), attempt, to_unix_ms(at), error, details.mark_unpublished,
                               details.mark_unpublished, job_id);
  if (!updated) return std::unexpected(updated.error());
  if (auto logged = insert_event(db_, job_id, at, from, to, attempt, details.bytes, error); !logged) {
    return std::unexpected(logged.error());
  }
  auto changed = get_job_locked(job_id);
  if (!changed) return std::unexpected(changed.error());
  if (auto committed = transaction->commit(); !committed) return std::unexpected(committed.error());
  return changed;
}

Result<std::vector<JobRecord>> SqliteStore::query_jobs_locked(std::string_view where,
                                                              const std::vector<std::string>& texts,
                                                              std::size_t limit) {
  auto query = db_.prepare("SELECT " + std::string(kJobColumns) + " FROM jobs " + std::string(where) +
                           " ORDER BY created_at, job_id LIMIT ?");
  if (!query) return std::unexpected(query.error());
  int index = 0;
  for (const std::string& text : texts) {
    if (auto bound = query->bind(++index, text); !bound) return std::unexpected(bound.error());
  }
  if (auto bound = query->bind(++index, sqlite_limit(limit)); !bound) return std::unexpected(bound.error());
  std::vector<JobRecord> jobs;
  for (;;) {
    auto row = query->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    auto job = read_job(*query);
    if (!job) return std::unexpected(job.error());
    jobs.push_back(std::move(*job));
  }
  return jobs;
}

Result<std::vector<JobRecord>> SqliteStore::list_jobs(const JobFilter& filter) {
  std::string where;
  std::vector<std::string> states;
  if (!filter.states.empty()) {
    where = "WHERE state IN (";
    for (const JobState state : filter.states) {
      where += states.empty() ? "?" : ", ?";
      states.emplace_back(to_string(state));
    }
    where += ")";
  }
  std::lock_guard lock(mutex_);
  return query_jobs_locked(where, states, filter.limit);
}

Result<std::vector<JobEvent>> SqliteStore::job_events(std::string_view job_id) {
  if (auto ok = detail::check_text("job_id", job_id, kMaxJobIdChars); !ok) return std::unexpected(ok.error());
  std::lock_guard lock(mutex_);
  auto query =
      prepare_bound(db_,
                    "SELECT id, job_id, at, from_state, to_state, attempt, bytes, error FROM job_events "
                    "WHERE job_id = ? ORDER BY id",
                    job_id);
  if (!query) return std::unexpected(query.error());
  std::vector<JobEvent> events;
  for (;;) {
    auto row = query->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    auto event = read_event(*query);
    if (!event) return std::unexpected(event.error());
    events.push_back(std::move(*event));
  }
  return events;
}

Result<std::map<JobState, std::int64_t>> SqliteStore::count_jobs_by_state() {
  std::lock_guard lock(mutex_);
  auto query = db_.prepare("SELECT state, COUNT(*) FROM jobs GROUP BY state");
  if (!query) return std::unexpected(query.error());
  std::map<JobState, std::int64_t> counts;
  for (const JobState state : kAllJobStates) counts[state] = 0;
  for (;;) {
    auto row = query->step();
    if (!row) return std::unexpected(row.error());
    if (!*row) break;
    const auto state = parse_job_state(query->column_text(0));
    if (!state) return detail::corrupt_row("a job has unknown state " + query->column_text(0));
    counts[*state] = query->column_int64(1);
  }
  return counts;
}

Result<std::optional<double>> SqliteStore::recent_throughput_bytes_per_second(std::chrono::seconds window) {
  if (window.count() <= 0) return detail::invalid("throughput window must be positive");
  std::lock_guard lock(mutex_);
  const auto since = to_unix_ms(now() - std::chrono::duration_cast<std::chrono::milliseconds>(window));
  // Each COMPLETED event is paired with the latest PROCESSING event before it (the
  // attempt that succeeded); bytes are the event's, else the job's file size.
  auto query = prepare_bound(db_,
                             "SELECT COALESCE(SUM(COALESCE(done.bytes, jobs.file_size)), 0), "
                             "       COALESCE(SUM(done.at - started.at), 0), COUNT(*) "
                             "FROM job_events done "
                             "JOIN jobs ON jobs.job_id = done.job_id "
                             "JOIN job_events started ON started.id = ("
                             "  SELECT MAX(id) FROM job_events "
                             "  WHERE job_id = done.job_id AND to_state = 'PROCESSING' AND id < done.id) "
                             "WHERE done.to_state = 'COMPLETED' AND done.at >= ?",
                             since);
  if (!query) return std::unexpected(query.error());
  auto row = query->step();
  if (!row) return std::unexpected(row.error());
  const std::int64_t bytes = query->column_int64(0);
  const std::int64_t milliseconds = query->column_int64(1);
  if (!*row || query->column_int64(2) == 0 || milliseconds <= 0) return std::optional<double>{};
  return std::optional<double>{static_cast<double>(bytes) * 1000.0 / static_cast<double>(milliseconds)};
}

Status SqliteStore::mark_job_published(std::string_view job_id) {
  if (auto ok = detail::check_text("job_id", job_id, kMaxJobIdChars); !ok) return ok;
  std::lock_guard lock(mutex_);
  const auto at = to_unix_ms(now());
  auto changed =
      execute_bound(db_, "UPDATE jobs SET published = 1, published_at = ?, updated_at = ? WHERE job_id = ?",
                    at, at, job_id);
  if (!changed) return std::unexpected(changed.error());
  if (*changed == 0) return job_not_found(job_id);
  return {};
}

Result<std::vector<JobRecord>> SqliteStore::list_unpublished_pending_jobs(std::size_t limit) {
  std::lock_guard lock(mutex_);
  return query_jobs_locked("WHERE published = 0 AND state = ?", {std::string(to_string(JobState::pending))},
                           limit);
}

Status SqliteStore::set_job_status_message(std::string_view job_id, const StatusMessageRef& status_message) {
  if (auto ok = detail::check_text("job_id", job_id, kMaxJobIdChars); !ok) return ok;
  std::lock_guard lock(mutex_);
  auto changed = execute_bound(
      db_, "UPDATE jobs SET status_chat_id = ?, status_message_id = ?, updated_at = ? WHERE job_id = ?",
      status_message.chat_id, status_message.message_id, to_unix_ms(now()), job_id);
  if (!changed) return std::unexpected(changed.error());
  if (*changed == 0) return job_not_found(job_id);
  return {};
}

Status SqliteStore::set_job_priority(std::string_view job_id, JobPriority priority) {
  if (auto ok = detail::check_text("job_id", job_id, kMaxJobIdChars); !ok) return ok;
  std::lock_guard lock(mutex_);
  // A PENDING job already on the queue sits in its old lane: marked unpublished, the
  // bot publishes it again into the lane of its new priority (the stale copy is skipped
  // by the worker once the job has run).
  auto changed = execute_bound(db_,
                               "UPDATE jobs SET priority = ?, updated_at = ?, published = CASE WHEN state = ? "
                               "AND priority <> ? THEN 0 ELSE published END WHERE job_id = ?",
                               to_string(priority), to_unix_ms(now()), to_string(JobState::pending),
                               to_string(priority), job_id);
  if (!changed) return std::unexpected(changed.error());
  if (*changed == 0) return job_not_found(job_id);
  return {};
}

}  // namespace teltubby::store
