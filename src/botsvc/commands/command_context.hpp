#pragma once
// What a bot command handler may look at, and the table that maps each command name
// to its handler (one file per command in this directory). Handlers return the reply
// as Telegram HTML; the service sends it through the Outbox. Every handler's text is
// built by a pure render_* function with its own unit test.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "bot/commands.hpp"
#include "core/config.hpp"
#include "jobs/job_views.hpp"
#include "jobs/queue_control.hpp"
#include "observability/health.hpp"
#include "storage/bucket_usage.hpp"
#include "store/store.hpp"

namespace teltubby::botsvc {

struct CommandContext {
  const Config& config;
  store::Store& store;
  storage::BucketUsage& usage;
  const observability::HealthRegistry& health;
  std::chrono::steady_clock::time_point started_at;
  std::size_t messages_waiting = 0;  // inbox rows not yet archived (paused or retrying)
  // The running job machinery; nullptr = large-file jobs are not running in this bot
  // (the job commands say so).
  jobs::QueueControl* queue_control = nullptr;
  // The worker's login input (/mtcode, /mtpass, /mtqr); nullptr with queue_control.
  jobs::WorkerControl* worker_control = nullptr;
  // The command's own message, which /mtcode and /mtpass delete (it holds a secret).
  std::int64_t chat_id = 0;
  std::int64_t message_id = 0;
  // Deletes a message (the Outbox in the bot); empty = this bot cannot delete.
  std::function<Status(std::int64_t chat_id, std::int64_t message_id)> delete_message;
};

using CommandHandler = std::string (*)(CommandContext& context, const bot::ParsedCommand& command);

// The reply to one command: its handler's, or a clear answer for an unknown command.
std::string answer_command(CommandContext& context, const bot::ParsedCommand& command);
// Whether the table has a handler for this command name (every bot::command_table() name does).
bool has_handler(std::string_view name);

// Handlers (commands/<name>.cpp).
std::string handle_start(CommandContext& context, const bot::ParsedCommand& command);
std::string handle_help(CommandContext& context, const bot::ParsedCommand& command);
std::string handle_status(CommandContext& context, const bot::ParsedCommand& command);
std::string handle_quota(CommandContext& context, const bot::ParsedCommand& command);
std::string handle_mode(CommandContext& context, const bot::ParsedCommand& command);
std::string handle_db_maint(CommandContext& context, const bot::ParsedCommand& command);
std::string handle_queue(CommandContext& context, const bot::ParsedCommand& command);
std::string handle_jobs(CommandContext& context, const bot::ParsedCommand& command);
std::string handle_retry(CommandContext& context, const bot::ParsedCommand& command);
std::string handle_cancel(CommandContext& context, const bot::ParsedCommand& command);
std::string handle_priority(CommandContext& context, const bot::ParsedCommand& command);
std::string handle_mtstatus(CommandContext& context, const bot::ParsedCommand& command);
std::string handle_mtcode(CommandContext& context, const bot::ParsedCommand& command);
std::string handle_mtpass(CommandContext& context, const bot::ParsedCommand& command);
std::string handle_mtqr(CommandContext& context, const bot::ParsedCommand& command);

// Pure renderers.
std::string render_start();
std::string render_unknown_command(std::string_view name);

// Worker login replies (/mtcode, /mtpass, /mtqr). None of them can repeat the code or
// password: they never get it. `message_deleted` = the curator's message holding it is
// gone (otherwise the reply asks the curator to delete it).
enum class LoginInput { code, password };
std::string render_login_input_sent(LoginInput input, bool message_deleted);
// The input was malformed (`problem` from parse_login_code, which never quotes the code).
std::string render_login_input_refused(LoginInput input, const Error& problem, bool message_deleted);
// The broker did not take it.
std::string render_login_input_not_delivered(LoginInput input, const Error& error, bool message_deleted);
// Large-file jobs (and so the worker) are not running in this bot.
std::string render_login_not_running(std::string_view command, std::optional<bool> message_deleted);
std::string render_qr_requested();
std::string render_qr_not_requested(const Error& error);
// used/quota in bytes; quota 0 = no quota set.
std::string render_quota(std::uint64_t used_bytes, std::uint64_t quota_bytes);
struct StatusView {
  std::string mode;  // "polling" | "webhook"
  observability::HealthReport health;
  std::uint64_t used_bytes = 0;
  std::uint64_t quota_bytes = 0;
  std::size_t messages_waiting = 0;
  std::chrono::seconds uptime{0};
  // Queue depths, jobs by state and the worker (jobs::render_jobs_status); nullopt
  // when they could not be read at all.
  std::optional<jobs::JobsStatus> job_lines;
  std::chrono::sys_seconds now{};
  std::chrono::seconds worker_stale_after{0};
};
std::string render_status(const StatusView& status);
// NAME=value lines (values already masked), HTML-escaped in a <pre> block.
std::string render_mode(std::string_view mode, const std::vector<std::pair<std::string, std::string>>& settings);
// VACUUM outcome and integrity_check's answer ("ok" or its problems).
std::string render_db_maint(const Status& vacuum, const Result<std::string>& integrity);

}  // namespace teltubby::botsvc
