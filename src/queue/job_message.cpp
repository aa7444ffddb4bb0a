#include "queue/job_message.hpp"

#include <array>
#include <limits>

#include "archive/timestamp.hpp"
#include "queue/json_fields.hpp"
#include "queue/text.hpp"

namespace teltubby::queue {

using nlohmann::json;

namespace {

constexpr std::string_view kCode = "job_message.invalid";
constexpr std::array<std::string_view, 8> kFileTypes = {"document",  "video", "audio",      "photo",
                                                        "animation", "voice", "video_note", "sticker"};

json optional_text(const std::optional<std::string>& text) {
  return text ? json(*text) : json(nullptr);
}

Result<FileInfo> parse_file_info(const json_fields::Reader& r) {
  FileInfo info;
  TT_QUEUE_TRY(file_id, r.non_empty_string("file_id"));
  TT_QUEUE_TRY(file_unique_id, r.non_empty_string("file_unique_id"));
  TT_QUEUE_TRY(file_size, r.integer("file_size", 0));
  TT_QUEUE_TRY(file_type, r.non_empty_string("file_type"));
  bool known = false;
  for (const auto type : kFileTypes) known = known || type == file_type;
  if (!known) return std::unexpected(r.error("file_type", "unknown file type \"" + file_type + "\""));
  TT_QUEUE_TRY(file_name, r.optional_string("file_name"));
  TT_QUEUE_TRY(mime_type, r.optional_string("mime_type"));
  info.file_id = std::move(file_id);
  info.file_unique_id = std::move(file_unique_id);
  info.file_size = file_size;
  info.file_type = std::move(file_type);
  info.file_name = std::move(file_name);
  info.mime_type = std::move(mime_type);
  return info;
}

Result<TelegramContext> parse_context(const json_fields::Reader& r) {
  TelegramContext context;
  TT_QUEUE_TRY(origin, r.any("forward_origin"));
  if (!origin.is_null() && !origin.is_object()) {
    return std::unexpected(r.error("forward_origin", "expected an object or null"));
  }
  TT_QUEUE_TRY(caption, r.optional_string("caption"));
  TT_QUEUE_TRY(entities, r.any("entities"));
  if (entities.is_null()) entities = json::array();
  if (!entities.is_array()) return std::unexpected(r.error("entities", "expected an array or null"));
  for (const auto& entity : entities) {
    if (!entity.is_object()) return std::unexpected(r.error("entities", "every entity must be an object"));
  }
  TT_QUEUE_TRY(media_group_id, r.optional_string("media_group_id"));
  context.forward_origin = std::move(origin);
  context.caption = std::move(caption);
  context.entities = std::move(entities);
  context.media_group_id = std::move(media_group_id);
  return context;
}

Result<JobMetadata> parse_metadata(const json_fields::Reader& r) {
  JobMetadata metadata;
  TT_QUEUE_TRY(created_at, r.string("created_at"));
  const auto time = archive::parse_iso8601_utc(created_at);
  if (!time) return std::unexpected(r.error("created_at", "expected UTC time like 2026-11-28T13:44:00Z"));
  TT_QUEUE_TRY(priority_text, r.string("priority"));
  const auto priority = store::parse_job_priority(priority_text);
  if (!priority) {
    return std::unexpected(
        r.error("priority", "unknown priority \"" + priority_text + "\" (normal, high or urgent)"));
  }
  constexpr std::int64_t kMaxCount = 1000;  // far above any sensible retry setting
  TT_QUEUE_TRY(retry_count, r.integer("retry_count", 0));
  TT_QUEUE_TRY(max_retries, r.integer("max_retries", 0));
  if (retry_count > kMaxCount) return std::unexpected(r.error("retry_count", "larger than 1000"));
  if (max_retries > kMaxCount) return std::unexpected(r.error("max_retries", "larger than 1000"));
  TT_QUEUE_TRY(estimated_duration, r.optional_integer("estimated_duration", 0));
  metadata.created_at = *time;
  metadata.priority = *priority;
  metadata.retry_count = static_cast<int>(retry_count);
  metadata.max_retries = static_cast<int>(max_retries);
  metadata.estimated_duration = estimated_duration;
  return metadata;
}

Result<ArchiveTarget> parse_archive(const json_fields::Reader& r) {
  ArchiveTarget target;
  TT_QUEUE_TRY(base_path, r.non_empty_string("base_path"));
  TT_QUEUE_TRY(s3_key, r.non_empty_string("s3_key"));
  TT_QUEUE_TRY(ordinal, r.integer("ordinal", 1));
  if (ordinal > std::numeric_limits<int>::max()) return std::unexpected(r.error("ordinal", "too large"));
  target.base_path = std::move(base_path);
  target.s3_key = std::move(s3_key);
  target.ordinal = static_cast<int>(ordinal);
  return target;
}

}  // namespace

json to_json(const JobMessage& job) {
  const auto& f = job.file_info;
  const auto& c = job.telegram_context;
  const auto& m = job.job_metadata;
  return json{
      {"job_id", job.job_id},
      {"user_id", std::to_string(job.user_id)},
      {"chat_id", std::to_string(job.chat_id)},
      {"message_id", std::to_string(job.message_id)},
      {"file_info",
       {{"file_id", f.file_id},
        {"file_unique_id", f.file_unique_id},
        {"file_size", f.file_size},
        {"file_type", f.file_type},
        {"file_name", optional_text(f.file_name)},
        {"mime_type", optional_text(f.mime_type)}}},
      {"telegram_context",
       {{"forward_origin", c.forward_origin},
        {"caption", optional_text(c.caption)},
        {"entities", c.entities},
        {"media_group_id", optional_text(c.media_group_id)}}},
      {"job_metadata",
       {{"created_at", archive::format_iso8601_utc(m.created_at)},
        {"priority", std::string(store::to_string(m.priority))},
        {"retry_count", m.retry_count},
        {"max_retries", m.max_retries},
        {"estimated_duration", m.estimated_duration ? json(*m.estimated_duration) : json(nullptr)}}},
      {"archive",
       {{"base_path", job.archive.base_path},
        {"s3_key", job.archive.s3_key},
        {"ordinal", job.archive.ordinal}}},
  };
}

std::string serialize(const JobMessage& job) {
  return to_json(job).dump();
}

Result<JobMessage> parse_job_message(std::string_view body) {
  TT_QUEUE_TRY(document, json_fields::parse_object(body, kMaxJobMessageBytes, kCode));
  const json_fields::Reader top{document, "", std::string(kCode)};
  JobMessage job;
  TT_QUEUE_TRY(job_id, top.string("job_id"));
  if (!is_uuid_v4(job_id)) return std::unexpected(top.error("job_id", "not a uuid v4"));
  TT_QUEUE_TRY(user_id, top.id("user_id"));
  TT_QUEUE_TRY(chat_id, top.id("chat_id"));
  TT_QUEUE_TRY(message_id, top.id("message_id"));
  TT_QUEUE_TRY(file_reader, top.object("file_info"));
  TT_QUEUE_TRY(file_info, parse_file_info(file_reader));
  TT_QUEUE_TRY(context_reader, top.object("telegram_context"));
  TT_QUEUE_TRY(context, parse_context(context_reader));
  TT_QUEUE_TRY(metadata_reader, top.object("job_metadata"));
  TT_QUEUE_TRY(metadata, parse_metadata(metadata_reader));
  TT_QUEUE_TRY(archive_reader, top.object("archive"));
  TT_QUEUE_TRY(target, parse_archive(archive_reader));
  job.job_id = std::move(job_id);
  job.user_id = user_id;
  job.chat_id = chat_id;
  job.message_id = message_id;
  job.file_info = std::move(file_info);
  job.telegram_context = std::move(context);
  job.job_metadata = metadata;
  job.archive = std::move(target);
  return job;
}

store::JobRecord job_record_from(const JobMessage& job) {
  store::JobRecord record;
  record.job_id = job.job_id;
  record.priority = job.job_metadata.priority;
  record.user_id = job.user_id;
  record.chat_id = job.chat_id;
  record.message_id = job.message_id;
  record.file_unique_id = job.file_info.file_unique_id;
  record.file_size = job.file_info.file_size;
  record.payload = serialize(job);
  record.max_retries = job.job_metadata.max_retries;
  record.s3_key = job.archive.s3_key;
  return record;
}

}  // namespace teltubby::queue
