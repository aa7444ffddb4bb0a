#pragma once
// The metrics teltubby exposes (DESIGN.md section 8), defined in one place so the bot
// and the worker agree on names, help texts, labels and buckets.
//
//   metrics::Catalog& m = metrics::process_catalog();
//   m.ingested_messages_total.inc();
//   m.skipped_items_total.labels("exceeds_max_file_gb").inc();
//   m.telegram_requests_total.labels("sendMessage", metrics::outcome_of(result)).inc();
//   metrics::ScopedTimer timer{m.processing_seconds};
//
// Prefer passing a `Catalog&` to components (tests give them a Catalog over their own
// Registry); process_catalog() is the one the binaries expose on /metrics.
#include <array>
#include <mutex>
#include <string_view>

#include "core/error.hpp"
#include "metrics/registry.hpp"

namespace teltubby::metrics {

// Fixed label values. Anything else given to these labels is counted as "other".
inline constexpr std::array<std::string_view, 2> ignored_update_reasons{"not_whitelisted", "not_private"};
// Logical queue roles, not the configured queue names.
inline constexpr std::array<std::string_view, 4> job_queues{"normal", "priority", "retry", "dead_letter"};
// The worker account's authorization state as the worker reports it (worker.auth events).
inline constexpr std::array<std::string_view, 8> worker_auth_states{
    "starting", "wait_code", "wait_password", "wait_qr", "ready", "failed", "suspended", "logged_out"};
// Request outcomes: "ok" or the ErrorKind of the failure (see outcome_of).
inline constexpr std::array<std::string_view, 6> request_outcomes{"ok",        "retryable",     "permanent",
                                                                  "not_found", "invalid_input", "cancelled"};

std::string_view outcome_of(ErrorKind kind);
std::string_view outcome_of(const Error& error);
template <class T>
std::string_view outcome_of(const Result<T>& result) {
  return result ? std::string_view("ok") : outcome_of(result.error());
}

class Catalog {
 public:
  explicit Catalog(Registry& registry);
  Catalog(const Catalog&) = delete;
  Catalog& operator=(const Catalog&) = delete;

  [[nodiscard]] Registry& registry() const noexcept { return registry_; }

  // Sets worker_auth_state to 1 for `state` and 0 for every other state (a state
  // outside worker_auth_states sets "other").
  void set_worker_auth_state(std::string_view state);

 private:
  Registry& registry_;

 public:
  // Bot ingestion.
  Counter& ingested_messages_total;         // messages (an album counts once) with >= 1 item stored
  Counter& ingested_bytes_total;            // bytes uploaded to storage by the bot
  Counter& dedup_hits_total;                // items not stored because an identical object exists
  CounterFamily<1>& skipped_items_total;    // {reason}: skip reason code, e.g. exceeds_max_file_gb
  Gauge& minio_bucket_used_ratio;           // used / quota, 0..1+; install a function at start-up
  Histogram& processing_seconds;            // receive -> receipt, per message or album
  CounterFamily<1>& ignored_updates_total;  // {reason}: ignored_update_reasons

  // Jobs (bot and worker).
  Counter& jobs_created_total;
  Counter& jobs_completed_total;
  Counter& jobs_failed_total;
  Counter& jobs_retried_total;
  GaugeFamily<1>& job_queue_depth;  // {queue}: job_queues
  Histogram& job_duration_seconds;  // PROCESSING -> final state, per attempt
  Counter& job_download_bytes_total;
  Counter& job_upload_bytes_total;
  GaugeFamily<1>& worker_auth_state;  // {state}: 1 for the current state, 0 for the others

  // Outgoing requests.
  CounterFamily<2>& telegram_requests_total;  // {method, outcome}: Bot API or TDLib method name
  CounterFamily<2>& s3_requests_total;        // {op, outcome}: e.g. PutObject, ListObjectsV2

 private:
  std::mutex auth_state_mutex_;  // so concurrent set_worker_auth_state() calls leave one state at 1
};

// The process-wide registry and catalog that `teltubby bot` / `worker` serve.
Registry& process_registry();
Catalog& process_catalog();

}  // namespace teltubby::metrics
