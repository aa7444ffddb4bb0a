#include "metrics/catalog.hpp"

#include <string>
#include <vector>

namespace teltubby::metrics {

namespace {

template <std::size_t N>
std::vector<std::string> values_of(const std::array<std::string_view, N>& values) {
  return {values.begin(), values.end()};
}

// Seconds. Bot processing is download + upload of files up to 20 MB (local mode:
// 2000 MB); jobs move files of up to 2-4 GB through a user account.
const std::vector<double> processing_buckets{0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300};
const std::vector<double> job_duration_buckets{1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600, 7200};

}  // namespace

std::string_view outcome_of(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::retryable:
      return "retryable";
    case ErrorKind::permanent:
      return "permanent";
    case ErrorKind::not_found:
      return "not_found";
    case ErrorKind::invalid_input:
      return "invalid_input";
    case ErrorKind::cancelled:
      return "cancelled";
  }
  return overflow_label_value;
}

std::string_view outcome_of(const Error& error) {
  return outcome_of(error.kind);
}

Catalog::Catalog(Registry& registry)
    : registry_(registry),
      ingested_messages_total(
          registry.counter("teltubby_ingested_messages_total",
                           "Messages (an album counts once) archived with at least one item stored.")),
      ingested_bytes_total(registry.counter("teltubby_ingested_bytes_total",
                                            "Bytes of media uploaded to storage by the bot.")),
      dedup_hits_total(registry.counter(
          "teltubby_dedup_hits_total", "Items not stored again because an identical object already exists.")),
      skipped_items_total(registry.counter_family(
          "teltubby_skipped_items_total", "Items not archived, by reason code.", {LabelSpec{"reason", {}}})),
      minio_bucket_used_ratio(registry.gauge("teltubby_minio_bucket_used_ratio",
                                             "Bucket bytes used divided by S3_BUCKET_QUOTA_BYTES.")),
      processing_seconds(registry.histogram("teltubby_processing_seconds",
                                            "Seconds from receiving a message or album to its receipt.",
                                            processing_buckets)),
      ignored_updates_total(registry.counter_family(
          "teltubby_ignored_updates_total", "Updates ignored without a reply, by reason.",
          {LabelSpec{"reason", values_of(ignored_update_reasons)}})),
      jobs_created_total(registry.counter("teltubby_jobs_created_total", "Large-file jobs created.")),
      jobs_completed_total(registry.counter("teltubby_jobs_completed_total", "Large-file jobs completed.")),
      jobs_failed_total(
          registry.counter("teltubby_jobs_failed_total", "Large-file job attempts that failed.")),
      jobs_retried_total(
          registry.counter("teltubby_jobs_retried_total", "Large-file jobs sent to the retry queue.")),
      job_queue_depth(registry.gauge_family("teltubby_job_queue_depth", "Jobs waiting in each queue.",
                                            {LabelSpec{"queue", values_of(job_queues)}})),
      job_duration_seconds(registry.histogram(
          "teltubby_job_duration_seconds", "Seconds a job attempt spent processing.", job_duration_buckets)),
      job_download_bytes_total(registry.counter("teltubby_job_download_bytes_total",
                                                "Bytes downloaded from Telegram by the worker.")),
      job_upload_bytes_total(
          registry.counter("teltubby_job_upload_bytes_total", "Bytes uploaded to storage by the worker.")),
      worker_auth_state(registry.gauge_family("teltubby_worker_auth_state",
                                              "1 for the worker account's current authorization state.",
                                              {LabelSpec{"state", values_of(worker_auth_states)}})),
      telegram_requests_total(registry.counter_family(
          "teltubby_telegram_requests_total", "Requests to Telegram, by method and outcome.",
          {LabelSpec{"method", {}}, LabelSpec{"outcome", values_of(request_outcomes)}})),
      s3_requests_total(registry.counter_family(
          "teltubby_s3_requests_total", "Requests to S3 storage, by operation and outcome.",
          {LabelSpec{"op", {}}, LabelSpec{"outcome", values_of(request_outcomes)}})) {}

void Catalog::set_worker_auth_state(std::string_view state) {
  std::lock_guard lock(auth_state_mutex_);
  auto& current = worker_auth_state.labels(state);
  for (const auto known : worker_auth_states) {
    auto& gauge = worker_auth_state.labels(known);
    if (&gauge != &current) gauge.set(0);
  }
  auto& other = worker_auth_state.labels(overflow_label_value);
  if (&other != &current) other.set(0);
  current.set(1);
}

Registry& process_registry() {
  static Registry registry;
  return registry;
}

Catalog& process_catalog() {
  static Catalog catalog(process_registry());
  return catalog;
}

}  // namespace teltubby::metrics
