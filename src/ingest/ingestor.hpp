#pragma once
// Archiving one unit (a single message or a whole album) through the Bot API path
// (DESIGN.md sections 3 and 4; issue 5 item 4).
//
// Order: select media, name and route every item; quota check; dedup fast path by
// file_unique_id; fetch every bot_api item (in parallel, at most `concurrency` across
// all units) into spool files, hashing; if any item failed -> nothing uploaded, the
// outcome lists each failed item and why; else dedup by SHA-256, upload new content,
// record files, hand large items to the large-file queue, write message.json LAST (one
// per folder), record every message of the unit.
//
// Outcomes:
// - no media at all: no items, nothing written (the service answers "nothing to archive");
// - quota exhausted before the start: quota_paused, nothing uploaded, every item
//   `skipped` with reason "quota_paused";
// - retryable failures (S3 down, Telegram 5xx/429, a busy database) still failing after
//   max_attempts: deferred, no message.json; deferred_reason is short, for the curator
//   ("storage unavailable (http.connect)"; the full error is logged). The item(s) that
//   failed are `failed` with the redacted error, the others `skipped` with reason
//   "deferred". Objects uploaded in this attempt may stay: re-ingesting finds them by
//   file_unique_id at their own key and counts them as stored, not as duplicates;
// - a permanent failure of any item: nothing of the unit is stored (no message.json,
//   base_path empty); failed items carry the redacted error, the others are `skipped`
//   with reason "not_stored".
// Never throws for routine failures. Thread-safe: several units may run at once.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "bot/media.hpp"
#include "bot/receipt.hpp"
#include "ingest/file_fetcher.hpp"
#include "ingest/large_files.hpp"
#include "metrics/catalog.hpp"
#include "storage/bucket_usage.hpp"
#include "storage/s3_client.hpp"
#include "store/store.hpp"
#include "telegram/botapi/types.hpp"

namespace teltubby::ingest {

struct IngestSettings {
  std::string bucket;  // S3_BUCKET: message.json's `bucket`
  bool dedup_enable = true;  // DEDUP_ENABLE
  bot::RoutingLimits limits;
  std::filesystem::path spool_dir;               // WORK_DIR/spool
  unsigned concurrency = 4;                      // CONCURRENCY: items downloading/uploading at once (0 acts as 1)
  int max_attempts = 3;                          // per step (download, upload, ...) for retryable errors, first try included
  std::chrono::milliseconds first_backoff{500};  // doubled per attempt, jittered ±25 %
  // A server asking to wait longer than this (429 retry_after) is not waited for
  // inline: the unit is deferred instead, so one slow answer cannot hold a slot.
  std::chrono::seconds max_inline_wait{30};
};

class Ingestor {
 public:
  // `catalog`: where the ingestion metrics go (tests pass their own).
  Ingestor(IngestSettings settings, FileFetcher& fetcher, storage::S3Client& s3, store::Store& store,
           storage::BucketUsage& usage, LargeFileQueue& large_files,
           metrics::Catalog& catalog = metrics::process_catalog());
  ~Ingestor();
  Ingestor(const Ingestor&) = delete;
  Ingestor& operator=(const Ingestor&) = delete;

  // `messages`: one message, or an album's messages (any order; sorted by message_id,
  // then date, here). `is_album` is carried into the outcome (the receipt's album
  // wording); all-or-nothing applies to every unit.
  bot::IngestOutcome ingest(const std::vector<botapi::Message>& messages, bool is_album);

 private:
  struct Slots;
  class Run;

  IngestSettings settings_;
  FileFetcher& fetcher_;
  storage::S3Client& s3_;
  store::Store& store_;
  storage::BucketUsage& usage_;
  LargeFileQueue& large_files_;
  metrics::Catalog& catalog_;
  std::unique_ptr<Slots> slots_;
};

}  // namespace teltubby::ingest
