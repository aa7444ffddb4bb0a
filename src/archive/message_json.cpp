#include "archive/message_json.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <set>
#include <utility>

#include "archive/timestamp.hpp"

namespace teltubby::archive {
namespace {

using nlohmann::json;

constexpr std::array<std::pair<ItemStatus, std::string_view>, 5> kStatusNames{{
    {ItemStatus::stored, "stored"},
    {ItemStatus::duplicate, "duplicate"},
    {ItemStatus::skipped, "skipped"},
    {ItemStatus::queued, "queued"},
    {ItemStatus::failed, "failed"},
}};

std::unexpected<Error> invalid(std::string_view field, std::string_view problem) {
  return fail(ErrorKind::invalid_input, "message_json.invalid",
              std::string(field) + ": " + std::string(problem));
}

bool in_archive(ItemStatus status) {
  return status == ItemStatus::stored || status == ItemStatus::duplicate;
}

bool is_sha256_hex(std::string_view text) {
  return text.size() == 64 && std::all_of(text.begin(), text.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

template <class T>
json nullable(const std::optional<T>& value) {
  return value ? json(*value) : json(nullptr);
}

json nullable_id(const std::optional<std::int64_t>& id) {
  return id ? json(std::to_string(*id)) : json(nullptr);
}

struct Derived {
  json keys = json::array();
  std::int64_t total_bytes_uploaded = 0;
};

// Items must already be in ordinal order.
Derived derive(const std::vector<ItemRecord>& items) {
  Derived derived;
  for (const auto& item : items) {
    if (in_archive(item.status) && item.s3_key) derived.keys.push_back(*item.s3_key);
    if (item.status == ItemStatus::stored) derived.total_bytes_uploaded += item.size_bytes.value_or(0);
  }
  return derived;
}

Status validate_item(const ItemRecord& item, const std::string& where) {
  if (item.ordinal < 1) return invalid(where + ".ordinal", "must be 1 or more");
  if (item.file_unique_id.empty()) return invalid(where + ".file_unique_id", "must not be empty");
  if (item.size_bytes && *item.size_bytes < 0) return invalid(where + ".size_bytes", "must not be negative");
  for (const auto& [name, value] :
       {std::pair{"width", item.width}, {"height", item.height}, {"duration", item.duration}}) {
    if (value && *value < 0) return invalid(where + '.' + name, "must not be negative");
  }
  if (item.sha256 && !is_sha256_hex(*item.sha256))
    return invalid(where + ".sha256", "must be 64 lower-case hex digits");
  if (in_archive(item.status) && (!item.s3_key || item.s3_key->empty())) {
    return invalid(where + ".s3_key", "required when status is stored or duplicate");
  }
  if (item.status == ItemStatus::skipped && (!item.skipped_reason || item.skipped_reason->empty())) {
    return invalid(where + ".skipped_reason", "required when status is skipped");
  }
  if (item.status == ItemStatus::queued && (!item.job_id || item.job_id->empty())) {
    return invalid(where + ".job_id", "required when status is queued");
  }
  return {};
}

Status validate(const MessageRecord& record) {
  if (!in_archive_range(record.archive_time)) return invalid("archive_timestamp_utc", "outside 1970..9999");
  if (!in_archive_range(record.message_time)) return invalid("message_timestamp_utc", "outside 1970..9999");
  if (record.bucket.empty()) return invalid("bucket", "must not be empty");
  if (record.base_path.empty() || record.base_path.back() != '/')
    return invalid("base_path", "must end with '/'");
  if (record.duplicate_of.has_value() != record.dedup_reason.has_value()) {
    return invalid("dedup_reason", "duplicate_of and dedup_reason are set together or not at all");
  }
  const auto& telegram = record.telegram;
  if (telegram.message_id <= 0) return invalid("telegram.message_id", "must be a positive id");
  if (!telegram.forward_origin.is_null() && !telegram.forward_origin.is_object()) {
    return invalid("telegram.forward_origin", "must be an object or null");
  }
  if (!telegram.caption_entities.is_array()) return invalid("telegram.caption_entities", "must be an array");
  if (!telegram.entities.is_array()) return invalid("telegram.entities", "must be an array");
  if (!telegram.extras.is_object()) return invalid("telegram.extras", "must be an object");
  std::set<int> ordinals;
  for (std::size_t i = 0; i < telegram.items.size(); ++i) {
    const std::string where = "telegram.items[" + std::to_string(i) + "]";
    if (auto ok = validate_item(telegram.items[i], where); !ok) return ok;
    if (!ordinals.insert(telegram.items[i].ordinal).second)
      return invalid(where + ".ordinal", "is used twice");
  }
  return {};
}

json item_json(const ItemRecord& item) {
  return json{
      {"ordinal", item.ordinal},
      {"type", media_type_name(item.type)},
      {"mime_type", nullable(item.mime_type)},
      {"size_bytes", nullable(item.size_bytes)},
      {"width", nullable(item.width)},
      {"height", nullable(item.height)},
      {"duration", nullable(item.duration)},
      {"file_id", item.file_id},
      {"file_unique_id", item.file_unique_id},
      {"original_filename", nullable(item.original_filename)},
      {"sha256", nullable(item.sha256)},
      {"s3_key", nullable(item.s3_key)},
      {"status", item_status_name(item.status)},
      {"skipped_reason", nullable(item.skipped_reason)},
      {"job_id", nullable(item.job_id)},
  };
}

// ---- parsing: each reader names the field it rejects ----

Result<const json*> member(const json& object, std::string_view path, const char* key) {
  const auto found = object.find(key);
  if (found == object.end()) return invalid(std::string(path) + key, "missing");
  return &*found;
}

Result<std::string> read_string(const json& object, std::string_view path, const char* key) {
  auto value = member(object, path, key);
  if (!value) return std::unexpected(value.error());
  if (!(*value)->is_string()) return invalid(std::string(path) + key, "must be a string");
  return (*value)->get<std::string>();
}

Result<std::optional<std::string>> read_optional_string(const json& object, std::string_view path,
                                                        const char* key) {
  auto value = member(object, path, key);
  if (!value) return std::unexpected(value.error());
  if ((*value)->is_null()) return std::optional<std::string>{};
  if (!(*value)->is_string()) return invalid(std::string(path) + key, "must be a string or null");
  return std::optional<std::string>((*value)->get<std::string>());
}

Result<std::optional<std::int64_t>> read_optional_integer(const json& object, std::string_view path,
                                                          const char* key) {
  auto value = member(object, path, key);
  if (!value) return std::unexpected(value.error());
  const json& number = **value;
  if (number.is_null()) return std::optional<std::int64_t>{};
  if (number.is_number_unsigned()) {
    if (number.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return invalid(std::string(path) + key, "is out of range");
    }
    return std::optional<std::int64_t>(static_cast<std::int64_t>(number.get<std::uint64_t>()));
  }
  if (!number.is_number_integer()) return invalid(std::string(path) + key, "must be an integer or null");
  return std::optional<std::int64_t>(number.get<std::int64_t>());
}

std::optional<std::int64_t> parse_id(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc{} || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

Result<std::optional<std::int64_t>> read_optional_id(const json& object, std::string_view path,
                                                     const char* key) {
  auto text = read_optional_string(object, path, key);
  if (!text) return std::unexpected(text.error());
  if (!*text) return std::optional<std::int64_t>{};
  auto id = parse_id(**text);
  if (!id) return invalid(std::string(path) + key, "must be a decimal id in a string");
  return std::optional<std::int64_t>(*id);
}

Result<std::int64_t> read_id(const json& object, std::string_view path, const char* key) {
  auto id = read_optional_id(object, path, key);
  if (!id) return std::unexpected(id.error());
  if (!*id) return invalid(std::string(path) + key, "must not be null");
  return **id;
}

Result<std::chrono::sys_seconds> read_time(const json& object, const char* key) {
  auto text = read_string(object, "", key);
  if (!text) return std::unexpected(text.error());
  auto time = parse_iso8601_utc(*text);
  if (!time) return invalid(key, "must be an ISO-8601 UTC time like 2026-11-28T13:44:00Z");
  return *time;
}

Result<json> read_json(const json& object, std::string_view path, const char* key) {
  auto value = member(object, path, key);
  if (!value) return std::unexpected(value.error());
  return **value;
}

// Unwraps a Result into `target` or returns its error from the enclosing function.
#define TELTUBBY_READ(target, expression)                          \
  do {                                                             \
    auto read_result = (expression);                               \
    if (!read_result) return std::unexpected(read_result.error()); \
    (target) = std::move(*read_result);                            \
  } while (false)

Result<ItemRecord> parse_item(const json& value, const std::string& path) {
  if (!value.is_object()) return invalid(path, "must be an object");
  const std::string prefix = path + '.';
  ItemRecord item;
  std::optional<std::int64_t> ordinal;
  TELTUBBY_READ(ordinal, read_optional_integer(value, prefix, "ordinal"));
  if (!ordinal || *ordinal < 1 || *ordinal > std::numeric_limits<int>::max()) {
    return invalid(prefix + "ordinal", "must be an integer of 1 or more");
  }
  item.ordinal = static_cast<int>(*ordinal);
  std::string type;
  TELTUBBY_READ(type, read_string(value, prefix, "type"));
  const auto media_type = media_type_from_name(type);
  if (!media_type) return invalid(prefix + "type", "unknown media type '" + type + "'");
  item.type = *media_type;
  TELTUBBY_READ(item.mime_type, read_optional_string(value, prefix, "mime_type"));
  TELTUBBY_READ(item.size_bytes, read_optional_integer(value, prefix, "size_bytes"));
  TELTUBBY_READ(item.width, read_optional_integer(value, prefix, "width"));
  TELTUBBY_READ(item.height, read_optional_integer(value, prefix, "height"));
  TELTUBBY_READ(item.duration, read_optional_integer(value, prefix, "duration"));
  TELTUBBY_READ(item.file_id, read_string(value, prefix, "file_id"));
  TELTUBBY_READ(item.file_unique_id, read_string(value, prefix, "file_unique_id"));
  TELTUBBY_READ(item.original_filename, read_optional_string(value, prefix, "original_filename"));
  TELTUBBY_READ(item.sha256, read_optional_string(value, prefix, "sha256"));
  TELTUBBY_READ(item.s3_key, read_optional_string(value, prefix, "s3_key"));
  std::string status;
  TELTUBBY_READ(status, read_string(value, prefix, "status"));
  const auto parsed_status = item_status_from_name(status);
  if (!parsed_status)
    return invalid(prefix + "status", "must be one of stored|duplicate|skipped|queued|failed");
  item.status = *parsed_status;
  TELTUBBY_READ(item.skipped_reason, read_optional_string(value, prefix, "skipped_reason"));
  TELTUBBY_READ(item.job_id, read_optional_string(value, prefix, "job_id"));
  return item;
}

Result<TelegramRecord> parse_telegram(const json& value) {
  if (!value.is_object()) return invalid("telegram", "must be an object");
  constexpr std::string_view p = "telegram.";
  TelegramRecord telegram;
  TELTUBBY_READ(telegram.message_id, read_id(value, p, "message_id"));
  TELTUBBY_READ(telegram.media_group_id, read_optional_string(value, p, "media_group_id"));
  TELTUBBY_READ(telegram.chat_id, read_id(value, p, "chat_id"));
  TELTUBBY_READ(telegram.chat_title, read_optional_string(value, p, "chat_title"));
  TELTUBBY_READ(telegram.chat_username, read_optional_string(value, p, "chat_username"));
  TELTUBBY_READ(telegram.sender_id, read_optional_id(value, p, "sender_id"));
  TELTUBBY_READ(telegram.sender_username, read_optional_string(value, p, "sender_username"));
  TELTUBBY_READ(telegram.forward_origin, read_json(value, p, "forward_origin"));
  TELTUBBY_READ(telegram.caption_plain, read_optional_string(value, p, "caption_plain"));
  TELTUBBY_READ(telegram.caption_entities, read_json(value, p, "caption_entities"));
  TELTUBBY_READ(telegram.entities, read_json(value, p, "entities"));
  TELTUBBY_READ(telegram.extras, read_json(value, p, "extras"));
  json items;
  TELTUBBY_READ(items, read_json(value, p, "items"));
  if (!items.is_array()) return invalid("telegram.items", "must be an array");
  for (std::size_t i = 0; i < items.size(); ++i) {
    ItemRecord item;
    TELTUBBY_READ(item, parse_item(items[i], "telegram.items[" + std::to_string(i) + "]"));
    telegram.items.push_back(std::move(item));
  }
  return telegram;
}

}  // namespace

std::string_view item_status_name(ItemStatus status) {
  for (const auto& [value, name] : kStatusNames) {
    if (value == status) return name;
  }
  return "failed";
}

std::optional<ItemStatus> item_status_from_name(std::string_view name) {
  for (const auto& [value, known] : kStatusNames) {
    if (known == name) return value;
  }
  return std::nullopt;
}

std::string_view dedup_reason_name(DedupReason reason) {
  return reason == DedupReason::sha256 ? "sha256" : "file_unique_id";
}

std::optional<DedupReason> dedup_reason_from_name(std::string_view name) {
  if (name == "file_unique_id") return DedupReason::file_unique_id;
  if (name == "sha256") return DedupReason::sha256;
  return std::nullopt;
}

Result<json> build_message_json(const MessageRecord& record) {
  if (auto ok = validate(record); !ok) return std::unexpected(ok.error());
  std::vector<ItemRecord> items = record.telegram.items;
  std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.ordinal < b.ordinal; });
  const Derived derived = derive(items);
  json item_array = json::array();
  for (const auto& item : items) item_array.push_back(item_json(item));

  const auto& telegram = record.telegram;
  return json{
      {"schema_version", kSchemaVersion},
      {"archive_timestamp_utc", format_iso8601_utc(record.archive_time)},
      {"message_timestamp_utc", format_iso8601_utc(record.message_time)},
      {"bucket", record.bucket},
      {"base_path", record.base_path},
      {"files_count", derived.keys.size()},
      {"total_bytes_uploaded", derived.total_bytes_uploaded},
      {"keys", derived.keys},
      {"duplicate_of", nullable(record.duplicate_of)},
      {"dedup_reason", record.dedup_reason ? json(dedup_reason_name(*record.dedup_reason)) : json(nullptr)},
      {"notes", nullable(record.notes)},
      {"telegram",
       {
           {"message_id", std::to_string(telegram.message_id)},
           {"media_group_id", nullable(telegram.media_group_id)},
           {"chat_id", std::to_string(telegram.chat_id)},
           {"chat_title", nullable(telegram.chat_title)},
           {"chat_username", nullable(telegram.chat_username)},
           {"sender_id", nullable_id(telegram.sender_id)},
           {"sender_username", nullable(telegram.sender_username)},
           {"forward_origin", telegram.forward_origin},
           {"caption_plain", nullable(telegram.caption_plain)},
           {"caption_entities", telegram.caption_entities},
           {"entities", telegram.entities},
           {"extras", telegram.extras},
           {"items", std::move(item_array)},
       }},
  };
}

Result<MessageRecord> parse_message_json(const json& document) {
  if (!document.is_object()) return invalid("(document)", "must be a JSON object");
  std::string version;
  TELTUBBY_READ(version, read_string(document, "", "schema_version"));
  if (version != kSchemaVersion) return invalid("schema_version", "must be \"1.1\", got \"" + version + "\"");
  MessageRecord record;
  TELTUBBY_READ(record.archive_time, read_time(document, "archive_timestamp_utc"));
  TELTUBBY_READ(record.message_time, read_time(document, "message_timestamp_utc"));
  TELTUBBY_READ(record.bucket, read_string(document, "", "bucket"));
  TELTUBBY_READ(record.base_path, read_string(document, "", "base_path"));
  TELTUBBY_READ(record.duplicate_of, read_optional_string(document, "", "duplicate_of"));
  std::optional<std::string> reason;
  TELTUBBY_READ(reason, read_optional_string(document, "", "dedup_reason"));
  if (reason) {
    record.dedup_reason = dedup_reason_from_name(*reason);
    if (!record.dedup_reason) return invalid("dedup_reason", "must be file_unique_id, sha256 or null");
  }
  TELTUBBY_READ(record.notes, read_optional_string(document, "", "notes"));
  json telegram;
  TELTUBBY_READ(telegram, read_json(document, "", "telegram"));
  TELTUBBY_READ(record.telegram, parse_telegram(telegram));
  if (auto ok = validate(record); !ok) return std::unexpected(ok.error());

  // The derived fields must agree with the items: a mismatch means a hand-edited or
  // corrupted document, which the worker must not silently "fix".
  auto items = record.telegram.items;
  std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.ordinal < b.ordinal; });
  const Derived derived = derive(items);
  json keys, files_count, total_bytes;
  TELTUBBY_READ(keys, read_json(document, "", "keys"));
  TELTUBBY_READ(files_count, read_json(document, "", "files_count"));
  TELTUBBY_READ(total_bytes, read_json(document, "", "total_bytes_uploaded"));
  if (keys != derived.keys) return invalid("keys", "does not match the items' keys in ordinal order");
  if (!files_count.is_number_integer() || files_count != json(derived.keys.size())) {
    return invalid("files_count", "does not match the number of archived items");
  }
  if (!total_bytes.is_number_integer() || total_bytes != json(derived.total_bytes_uploaded)) {
    return invalid("total_bytes_uploaded", "does not match the sum of stored items' sizes");
  }
  return record;
}

Result<json> update_item(const json& document, int ordinal, const ItemUpdate& update,
                         std::chrono::sys_seconds now) {
  auto record = parse_message_json(document);
  if (!record) return std::unexpected(record.error());
  auto& items = record->telegram.items;
  const auto found =
      std::find_if(items.begin(), items.end(), [&](const auto& item) { return item.ordinal == ordinal; });
  if (found == items.end()) {
    return fail(ErrorKind::not_found, "message_json.no_item",
                "no item with ordinal " + std::to_string(ordinal));
  }
  ItemRecord& item = *found;
  item.status = update.status;
  if (in_archive(update.status)) item.skipped_reason.reset();
  if (update.size_bytes) item.size_bytes = update.size_bytes;
  if (update.sha256) item.sha256 = update.sha256;
  if (update.s3_key) item.s3_key = update.s3_key;
  if (update.skipped_reason) item.skipped_reason = update.skipped_reason;
  if (update.job_id) item.job_id = update.job_id;
  if (update.duplicate_of) record->duplicate_of = update.duplicate_of;
  if (update.dedup_reason) record->dedup_reason = update.dedup_reason;
  record->archive_time = now;
  return build_message_json(*record);
}

}  // namespace teltubby::archive

#undef TELTUBBY_READ
