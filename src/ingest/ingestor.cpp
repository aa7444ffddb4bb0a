#include "ingest/ingestor.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <utility>

#include "archive/message_json.hpp"
#include "archive/naming.hpp"
#include "core/log.hpp"
#include "ingest/mapping.hpp"
#include "ingest/parallel.hpp"
#include "ingest/retry.hpp"
#include "telegram/botapi/parse.hpp"

namespace teltubby::ingest {

struct Ingestor::Slots : ingest::Slots {
  using ingest::Slots::Slots;
};

namespace {

constexpr std::string_view kMessageJsonName = "message.json";
// Reasons given to the items of a unit that was not stored (see ingestor.hpp).
constexpr std::string_view kReasonQuotaPaused = "quota_paused";
constexpr std::string_view kReasonDeferred = "deferred";
constexpr std::string_view kReasonNotStored = "not_stored";

// What the curator reads: which dependency failed and its error code; the full text
// (with URLs and server messages) goes to the log only.
std::string deferral_text(std::string_view dependency, const Error& error) {
  return redact(std::string(dependency) + " unavailable (" + error.code + ")");
}

bool is_file_too_big(const Error& error) {
  return error.code == "telegram.file_too_big" || botapi::is_file_too_big(error);
}

// Where an item stands while its unit is processed.
struct Work {
  std::size_t message_index = 0;  // into the unit's ordered messages
  int ordinal = 1;
  bot::MediaItem media;
  bot::Route route = bot::Route::bot_api;
  std::optional<archive::ArchiveName> name;  // empty when naming failed (then `failed`)

  bot::ItemStatus status = bot::ItemStatus::stored;  // tentative until the end
  bool resolved = false;  // status is final (skipped, duplicate, stored, queued, failed)
  bool deferral_cause = false;  // a retryable failure that outlived its attempts
  std::string skipped_reason;
  std::string job_id;
  std::optional<std::chrono::seconds> eta;
  std::string error;  // redacted
  std::string deferral_reason;  // short, for the curator: "storage unavailable (http.connect)"

  std::optional<SpoolFile> spool;
  std::string sha256;
  std::optional<std::int64_t> actual_bytes;  // from the download or the store's record
  std::string key;                           // stored: own key; duplicate: the existing one
  std::optional<archive::DedupReason> dedup_reason;
  std::optional<std::size_t> same_as;  // duplicate of an earlier item of this unit
  bool uploaded_now = false;           // bytes went to storage in this attempt

  void resolve(bot::ItemStatus final_status) {
    status = final_status;
    resolved = true;
  }
  void skip(std::string_view reason) {
    skipped_reason = std::string(reason);
    resolve(bot::ItemStatus::skipped);
  }
  // The item itself cannot be archived (wrong file id, a name that cannot be built).
  void fail_with(const Error& failure) {
    error = redact(failure.describe());
    resolve(bot::ItemStatus::failed);
  }
  // Something the item depends on is down: the whole unit is retried later.
  void defer_with(const Error& failure, std::string_view dependency) {
    fail_with(failure);
    deferral_cause = true;
    deferral_reason = deferral_text(dependency, failure);
  }
  [[nodiscard]] std::int64_t known_bytes() const { return actual_bytes.value_or(media.size_bytes.value_or(0)); }
};

}  // namespace

class Ingestor::Run {
 public:
  Run(Ingestor& owner, std::vector<botapi::Message> messages, bool is_album)
      : owner_(owner),
        policy_{owner.settings_.max_attempts, owner.settings_.first_backoff, owner.settings_.max_inline_wait} {
    std::stable_sort(messages.begin(), messages.end(), [](const botapi::Message& a, const botapi::Message& b) {
      return a.message_id != b.message_id ? a.message_id < b.message_id : a.date < b.date;
    });
    unit_.messages = std::move(messages);
    unit_.is_album = is_album;
    const auto& first = unit_.messages.front();
    nlohmann::json context = {{"chat_id", std::to_string(first.chat.id)},
                              {"message_id", std::to_string(first.message_id)}};
    if (first.media_group_id) context["media_group_id"] = *first.media_group_id;
    log_ = Logger{"ingest", context};
  }

  bot::IngestOutcome execute() {
    plan();
    if (unit_.work.empty()) return finish_outcome();  // nothing to archive, nothing written
    if (auto early = stop_if_unfinished(); early) return *early;  // an item cannot even be named
    if (quota_exhausted()) return paused_outcome();
    if (owner_.settings_.dedup_enable) dedup_by_unique_id();
    if (auto early = stop_if_unfinished(); early) return *early;
    fetch_all();
    if (auto early = stop_if_unfinished(); early) return *early;
    if (owner_.settings_.dedup_enable) dedup_by_content();
    if (auto early = stop_if_unfinished(); early) return *early;
    upload_all();
    if (auto early = stop_if_unfinished(); early) return *early;
    enqueue_large_items();
    if (auto early = stop_if_unfinished(); early) return *early;
    resolve_same_unit_duplicates();
    if (auto written = write_message_json(); !written) return deferred_outcome("storage", written.error());
    if (auto recorded = record_messages(); !recorded) return deferred_outcome("database", recorded.error());
    count_success_metrics();
    return finish_outcome();
  }

 private:
  // --- planning --------------------------------------------------------------------

  void plan() {
    const auto& first = unit_.messages.front();
    const archive::Provenance provenance = provenance_of(first);
    int ordinal = 0;
    for (std::size_t index = 0; index < unit_.messages.size(); ++index) {
      const auto& message = unit_.messages[index];
      for (auto& media : bot::select_media(message)) {
        Work work;
        work.message_index = index;
        work.ordinal = ++ordinal;
        work.route = bot::route_item(media, owner_.settings_.limits);
        archive::ItemNaming naming;
        // One provenance for the whole unit (the first message's): every item of an
        // album lands in one folder and carries the same chat part in its name.
        naming.provenance = provenance;
        naming.folder_time = message_time(first);
        naming.folder_message_id = first.message_id;
        naming.message_time = message_time(message);
        naming.message_id = message.message_id;
        naming.media_group_id = message.media_group_id;
        naming.ordinal = work.ordinal;
        naming.caption = message.caption.value_or("");
        naming.original_filename = media.original_filename.value_or("");
        naming.mime_type = media.mime_type.value_or("");
        naming.media_type = archive_media_type(media);
        work.media = std::move(media);
        if (auto name = archive::name_item(naming); name) {
          if (unit_.base_path.empty()) unit_.base_path = name->base_path;
          work.name = std::move(*name);
        } else {
          work.fail_with(name.error());
        }
        if (!work.resolved && work.route == bot::Route::exceeds_max_file_gb) work.skip("exceeds_max_file_gb");
        unit_.work.push_back(std::move(work));
      }
    }
  }

  bool quota_exhausted() {
    storage::BucketUsage& usage = owner_.usage_;
    if (usage.quota_bytes() == 0) return false;
    if (auto refreshed = usage.refresh_if_due(); !refreshed) {
      // Decide on the running total; the uploads will tell whether storage works.
      log_.warn("bucket usage not refreshed", {{"error", redact(refreshed.error().describe())}});
    }
    return usage.exhausted();
  }

  // --- dedup -----------------------------------------------------------------------

  [[nodiscard]] bool wants_content(const Work& work) const {
    return !work.resolved && work.route != bot::Route::exceeds_max_file_gb;
  }

  // A known file: at this item's own key it is this item archived before (a re-ingest
  // after a deferral or a crash): stored, nothing to upload. Elsewhere: a duplicate.
  static void adopt_existing(Work& work, const store::FileRecord& record, archive::DedupReason reason) {
    work.sha256 = record.sha256;
    work.actual_bytes = record.size_bytes;
    work.key = record.s3_key;
    work.spool.reset();
    if (work.name && record.s3_key == work.name->key) {
      work.resolve(bot::ItemStatus::stored);
    } else {
      work.dedup_reason = reason;
      work.resolve(bot::ItemStatus::duplicate);
    }
  }

  void dedup_by_unique_id() {
    std::map<std::string, std::size_t> first_with_id;
    for (std::size_t i = 0; i < unit_.work.size(); ++i) {
      Work& work = unit_.work[i];
      if (!wants_content(work) || work.media.file_unique_id.empty()) continue;
      if (auto [it, inserted] = first_with_id.try_emplace(work.media.file_unique_id, i); !inserted) {
        work.same_as = it->second;
        work.dedup_reason = archive::DedupReason::file_unique_id;
        continue;
      }
      auto found = with_retry<std::optional<store::FileRecord>>(
          policy_, [&] { return owner_.store_.find_file_by_unique_id(work.media.file_unique_id); });
      if (!found) {
        work.defer_with(found.error(), "database");  // the database, not the item: try again later
        continue;
      }
      if (*found) adopt_existing(work, **found, archive::DedupReason::file_unique_id);
    }
  }

  void dedup_by_content() {
    std::map<std::string, std::size_t> first_with_sha;
    for (std::size_t i = 0; i < unit_.work.size(); ++i) {
      Work& work = unit_.work[i];
      if (!work.spool || work.resolved || work.same_as) continue;
      if (auto [it, inserted] = first_with_sha.try_emplace(work.sha256, i); !inserted) {
        work.same_as = it->second;
        work.dedup_reason = archive::DedupReason::sha256;
        work.spool.reset();
        continue;
      }
      auto found = with_retry<std::optional<store::FileRecord>>(
          policy_, [&] { return owner_.store_.find_file_by_sha256(work.sha256); });
      if (!found) {
        work.defer_with(found.error(), "database");
        continue;
      }
      if (!*found) continue;
      adopt_existing(work, **found, archive::DedupReason::sha256);
      // Teach the fast path this unique id; losing this only costs a download next time.
      if (auto mapped = owner_.store_.map_unique_id(work.media.file_unique_id, work.sha256); !mapped) {
        log_.warn("file_unique_id not mapped", {{"ordinal", work.ordinal}, {"error", mapped.error().describe()}});
      }
    }
  }

  // --- fetching --------------------------------------------------------------------

  void fetch_all() {
    std::vector<std::size_t> to_fetch;
    for (std::size_t i = 0; i < unit_.work.size(); ++i) {
      const Work& work = unit_.work[i];
      if (wants_content(work) && !work.same_as && work.route == bot::Route::bot_api) to_fetch.push_back(i);
    }
    run_parallel(to_fetch.size(), owner_.settings_.concurrency, *owner_.slots_,
                 [&](std::size_t n) { fetch_one(unit_.work[to_fetch[n]]); });
  }

  void fetch_one(Work& work) {
    auto spool = with_retry<SpoolFile>(
        policy_, [&] { return owner_.fetcher_.fetch(work.media, owner_.settings_.spool_dir); });
    if (!spool) {
      if (is_file_too_big(spool.error())) {
        work.route = bot::Route::queued_large_file;  // handed to the worker like any large item
        return;
      }
      log_.warn("item download failed", {{"ordinal", work.ordinal}, {"error", redact(spool.error().describe())}});
      if (!spool.error().retryable()) {
        work.fail_with(spool.error());
      } else if (spool.error().code.starts_with("ingest.spool")) {
        work.defer_with(spool.error(), "spool disk");
      } else {
        work.defer_with(spool.error(), "Telegram");
      }
      return;
    }
    // An item of unknown size is checked now that its size is known.
    if (static_cast<std::uint64_t>(owner_.settings_.limits.max_file_bytes) < spool->size()) {
      work.actual_bytes = static_cast<std::int64_t>(spool->size());
      work.skip("exceeds_max_file_gb");
      return;
    }
    work.sha256 = spool->sha256_hex();
    work.actual_bytes = static_cast<std::int64_t>(spool->size());
    work.spool = std::move(*spool);
  }

  // --- uploading -------------------------------------------------------------------

  void upload_all() {
    std::vector<std::size_t> to_upload;
    for (std::size_t i = 0; i < unit_.work.size(); ++i) {
      const Work& work = unit_.work[i];
      if (work.spool && !work.resolved && !work.same_as) to_upload.push_back(i);
    }
    run_parallel(to_upload.size(), owner_.settings_.concurrency, *owner_.slots_,
                 [&](std::size_t n) { upload_one(unit_.work[to_upload[n]]); });
  }

  void upload_one(Work& work) {
    const std::string& key = work.name->key;
    const SpoolFile& spool = *work.spool;
    auto uploaded = with_retry<storage::UploadResult>(policy_, [&]() -> Result<storage::UploadResult> {
      auto source = storage::FdByteSource::open(spool.path());
      if (!source) return std::unexpected(source.error());
      auto result = owner_.s3_.upload_stream(key, *source, work.media.content_type(), spool.size());
      if (result && result->sha256_hex != spool.sha256_hex()) {
        return fail(ErrorKind::retryable, "ingest.content_changed", "uploaded content differs from the download");
      }
      return result;
    });
    if (!uploaded) {
      log_.warn("item upload failed", {{"ordinal", work.ordinal}, {"error", redact(uploaded.error().describe())}});
      work.defer_with(uploaded.error(), "storage");  // not the item's fault: try the message again later
      return;
    }
    work.uploaded_now = true;
    owner_.usage_.record_upload(spool.size());
    owner_.catalog_.ingested_bytes_total.inc(spool.size());

    store::FileRecord file;
    file.sha256 = work.sha256;
    file.s3_key = key;
    file.size_bytes = static_cast<std::int64_t>(spool.size());
    file.mime = work.media.content_type();
    const std::optional<std::string_view> unique_id =
        work.media.file_unique_id.empty() ? std::nullopt : std::optional<std::string_view>(work.media.file_unique_id);
    auto recorded = with_retry<store::FileRecord>(policy_, [&] { return owner_.store_.record_file(file, unique_id); });
    if (!recorded && recorded.error().code == "store.unique_id_conflict") {
      // Telegram served other bytes under a known unique id: keep the first mapping (it
      // still points at real content) and record this content on its own.
      log_.warn("file_unique_id already maps to other content", {{"ordinal", work.ordinal}});
      recorded = with_retry<store::FileRecord>(policy_, [&] { return owner_.store_.record_file(file, std::nullopt); });
    }
    if (!recorded) {
      work.defer_with(recorded.error(), "database");
      return;
    }
    work.spool.reset();
    if (recorded->s3_key != key && owner_.settings_.dedup_enable) {
      // Another unit stored the same content first: point at its copy, drop ours.
      adopt_existing(work, *recorded, archive::DedupReason::sha256);
      if (auto removed = owner_.s3_.delete_object(key); removed) {
        owner_.usage_.record_delete(static_cast<std::uint64_t>(file.size_bytes));
      } else {
        log_.warn("redundant copy not deleted", {{"key", key}, {"error", redact(removed.error().describe())}});
      }
      return;
    }
    work.key = key;
    work.resolve(bot::ItemStatus::stored);
  }

  // A later item of this unit with the same content as an earlier one points at the
  // earlier one's key (a queued original: where its job will store it).
  void resolve_same_unit_duplicates() {
    for (Work& work : unit_.work) {
      if (!work.same_as || work.resolved) continue;
      const Work& original = unit_.work[*work.same_as];
      if (original.status == bot::ItemStatus::skipped) {
        work.same_as.reset();
        work.dedup_reason.reset();
        work.skip(original.skipped_reason);
        continue;
      }
      work.key = original.status == bot::ItemStatus::queued ? original.name->key : original.key;
      work.sha256 = original.sha256;
      work.actual_bytes = original.actual_bytes;
      if (original.status == bot::ItemStatus::duplicate) work.dedup_reason = original.dedup_reason;
      work.resolve(bot::ItemStatus::duplicate);
    }
  }

  // --- large files -----------------------------------------------------------------

  void enqueue_large_items() {
    for (Work& work : unit_.work) {
      if (work.resolved || work.route != bot::Route::queued_large_file) continue;
      LargeItemRequest request;
      request.messages = unit_.messages;
      request.message = unit_.messages[work.message_index];
      request.item = work.media;
      request.ordinal = work.ordinal;
      request.base_path = unit_.base_path;
      request.key = work.name->key;
      request.json_key = json_key();
      request.curator_id = request.message.from ? request.message.from->id : request.message.chat.id;
      auto queued = with_retry<QueuedJob>(policy_, [&] { return owner_.large_files_.enqueue(request); });
      if (queued) {
        work.job_id = queued->job_id;
        work.eta = queued->eta;
        work.resolve(bot::ItemStatus::queued);
      } else if (queued.error().code == kLargeFilesUnsupported) {
        work.skip("queued_large_file");
      } else {
        log_.warn("large item not queued", {{"ordinal", work.ordinal}, {"error", redact(queued.error().describe())}});
        if (queued.error().retryable()) {
          work.defer_with(queued.error(), "large-file queue");
        } else {
          work.fail_with(queued.error());
        }
      }
    }
  }

  // --- message.json and records ----------------------------------------------------

  [[nodiscard]] std::string json_key() const { return unit_.base_path + std::string(kMessageJsonName); }

  Status write_message_json() {
    archive::MessageRecord record;
    record.archive_time = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    record.message_time = message_time(unit_.messages.front());
    record.bucket = owner_.settings_.bucket;
    record.base_path = unit_.base_path;
    record.telegram = telegram_record(unit_.messages);
    for (const Work& work : unit_.work) {
      if (work.status == bot::ItemStatus::duplicate && !record.duplicate_of) {
        record.duplicate_of = work.key;
        record.dedup_reason = work.dedup_reason;
      }
      record.telegram.items.push_back(item_record(work));
    }
    record.notes = notes();
    auto document = archive::build_message_json(record);
    if (!document) return std::unexpected(document.error());
    const std::string body = document->dump(2) + "\n";
    const std::string key = json_key();
    auto put = with_retry<std::string>(policy_, [&] { return owner_.s3_.put_object(key, body, "application/json"); });
    if (!put) return std::unexpected(put.error());
    return {};
  }

  [[nodiscard]] static archive::ItemRecord item_record(const Work& work) {
    archive::ItemRecord item;
    item.ordinal = work.ordinal;
    item.type = archive_media_type(work.media);
    item.mime_type = work.media.mime_type;
    item.size_bytes = work.actual_bytes ? work.actual_bytes : work.media.size_bytes;
    item.width = work.media.width;
    item.height = work.media.height;
    item.duration = work.media.duration;
    item.file_id = work.media.file_id;
    item.file_unique_id = work.media.file_unique_id;
    item.original_filename = work.media.original_filename;
    if (!work.sha256.empty()) item.sha256 = work.sha256;
    item.status = archive_status(work.status);
    if (work.status == bot::ItemStatus::stored || work.status == bot::ItemStatus::duplicate) item.s3_key = work.key;
    if (work.status == bot::ItemStatus::skipped) item.skipped_reason = work.skipped_reason;
    if (work.status == bot::ItemStatus::queued) item.job_id = work.job_id;
    return item;
  }

  // An album message that carried no file of ours is named, so the document says why
  // it has no item.
  [[nodiscard]] std::optional<std::string> notes() const {
    std::string text;
    for (std::size_t index = 0; index < unit_.messages.size(); ++index) {
      const bool has_item = std::any_of(unit_.work.begin(), unit_.work.end(),
                                        [&](const Work& work) { return work.message_index == index; });
      if (has_item) continue;
      text += (text.empty() ? "" : "; ") + std::string("message ") +
              std::to_string(unit_.messages[index].message_id) + " has no archivable file";
    }
    if (text.empty()) return std::nullopt;
    return text;
  }

  Status record_messages() {
    for (const auto& message : unit_.messages) {
      store::MessageRecord row;
      row.chat_id = message.chat.id;
      row.message_id = message.message_id;
      row.media_group_id = message.media_group_id;
      row.base_path = unit_.base_path;
      row.json_key = json_key();
      auto recorded = with_retry<void>(policy_, [&] { return owner_.store_.record_message(row); });
      if (!recorded) return recorded;
    }
    return {};
  }

  // --- outcomes --------------------------------------------------------------------

  // After a step: a permanent failure ends the unit (nothing more stored), else a
  // deferral cause ends it as deferred. nullopt: carry on.
  std::optional<bot::IngestOutcome> stop_if_unfinished() {
    const Work* failed = nullptr;
    const Work* deferred = nullptr;
    for (const Work& work : unit_.work) {
      if (work.status != bot::ItemStatus::failed) continue;
      if (work.deferral_cause) {
        if (!deferred) deferred = &work;
      } else if (!failed) {
        failed = &work;
      }
    }
    if (failed) return failed_outcome();
    if (deferred) return deferred_outcome_from_items(deferred->deferral_reason);
    return std::nullopt;
  }

  bot::IngestOutcome failed_outcome() {
    log_.warn("unit not archived: an item failed");
    for (Work& work : unit_.work) {
      if (!work.job_id.empty()) owner_.large_files_.abandon(work.job_id, "another item of its message could not be archived");
      if (work.status != bot::ItemStatus::failed || work.deferral_cause) work.skip(kReasonNotStored);
    }
    unit_.base_path.clear();  // nothing is stored there
    return finish_outcome();
  }

  bot::IngestOutcome deferred_outcome_from_items(const std::string& reason) {
    log_.warn("unit deferred", {{"reason", reason}});
    for (Work& work : unit_.work) {
      if (!(work.status == bot::ItemStatus::failed && work.deferral_cause)) work.skip(kReasonDeferred);
    }
    bot::IngestOutcome outcome = finish_outcome();
    outcome.deferred = true;
    outcome.deferred_reason = reason;
    return outcome;
  }

  bot::IngestOutcome deferred_outcome(std::string_view dependency, const Error& error) {
    log_.warn("unit step failed", {{"error", redact(error.describe())}});
    return deferred_outcome_from_items(deferral_text(dependency, error));
  }

  bot::IngestOutcome paused_outcome() {
    log_.info("unit paused: storage quota reached");
    for (Work& work : unit_.work) work.skip(kReasonQuotaPaused);
    bot::IngestOutcome outcome = finish_outcome();
    outcome.quota_paused = true;
    return outcome;
  }

  void count_success_metrics() {
    metrics::Catalog& catalog = owner_.catalog_;
    bool any_stored = false;
    for (const Work& work : unit_.work) {
      if (work.status == bot::ItemStatus::stored) any_stored = true;
      if (work.status == bot::ItemStatus::duplicate) catalog.dedup_hits_total.inc();
      if (work.status == bot::ItemStatus::skipped) catalog.skipped_items_total.labels(work.skipped_reason).inc();
    }
    if (any_stored) catalog.ingested_messages_total.inc();
    log_.info("unit archived", {{"base_path", unit_.base_path}, {"items", unit_.work.size()}});
  }

  bot::IngestOutcome finish_outcome() {
    bot::IngestOutcome outcome;
    outcome.is_album = unit_.is_album;
    outcome.base_path = unit_.base_path;
    for (const Work& work : unit_.work) {
      bot::ItemOutcome item;
      item.ordinal = work.ordinal;
      item.type = work.media.type;
      item.status = work.status;
      item.bytes = work.known_bytes();
      if (work.status == bot::ItemStatus::stored || work.status == bot::ItemStatus::duplicate) item.key = work.key;
      item.skipped_reason = work.skipped_reason;
      item.job_id = work.job_id;
      item.eta = work.eta;
      item.error = work.error;
      outcome.items.push_back(std::move(item));
    }
    outcome.processing_time =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started_);
    if (!outcome.items.empty()) {
      owner_.catalog_.processing_seconds.observe(std::chrono::duration<double>(outcome.processing_time).count());
    }
    return outcome;
  }

  struct Unit {
    std::vector<botapi::Message> messages;  // ordered by message_id, then date
    bool is_album = false;
    std::vector<Work> work;  // in ordinal order
    std::string base_path;   // the folder; empty when nothing is stored
  };

  Ingestor& owner_;
  RetryPolicy policy_;
  Unit unit_;
  Logger log_{"ingest"};
  std::chrono::steady_clock::time_point started_ = std::chrono::steady_clock::now();
};

Ingestor::Ingestor(IngestSettings settings, FileFetcher& fetcher, storage::S3Client& s3, store::Store& store,
                   storage::BucketUsage& usage, LargeFileQueue& large_files, metrics::Catalog& catalog)
    : settings_(std::move(settings)),
      fetcher_(fetcher),
      s3_(s3),
      store_(store),
      usage_(usage),
      large_files_(large_files),
      catalog_(catalog),
      slots_(std::make_unique<Slots>(settings_.concurrency)) {}

Ingestor::~Ingestor() = default;

bot::IngestOutcome Ingestor::ingest(const std::vector<botapi::Message>& messages, bool is_album) {
  if (messages.empty()) {
    bot::IngestOutcome outcome;
    outcome.is_album = is_album;
    return outcome;
  }
  return Run(*this, messages, is_album).execute();
}

}  // namespace teltubby::ingest
