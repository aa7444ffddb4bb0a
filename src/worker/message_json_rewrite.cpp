#include "worker/message_json_rewrite.hpp"

#include <chrono>

#include <nlohmann/json.hpp>

namespace teltubby::worker {

std::string message_json_key(store::Store& store, const queue::JobMessage& job) {
  if (auto message = store.find_message(job.chat_id, job.message_id); message && message->has_value()) {
    return (*message)->json_key;
  }
  std::string key = job.archive.base_path;
  if (!key.empty() && key.back() != '/') key += '/';
  return key + "message.json";
}

Result<bool> rewrite_message_json_item(storage::S3Client& s3, store::Store& store, const queue::JobMessage& job,
                                       const archive::ItemUpdate& update) {
  const std::string key = message_json_key(store, job);
  std::string body;
  auto fetched = s3.get_object(key, [&](std::span<const std::byte> bytes) -> Status {
    if (body.size() + bytes.size() > kMaxMessageJsonBytes) {
      return fail(ErrorKind::permanent, "worker.message_json_invalid", key + " is larger than 16 MiB");
    }
    body.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    return {};
  });
  if (!fetched) {
    if (fetched.error().kind == ErrorKind::not_found) return false;
    return std::unexpected(fetched.error());
  }
  const auto document = nlohmann::json::parse(body, nullptr, false);
  if (document.is_discarded()) return fail(ErrorKind::permanent, "worker.message_json_invalid", key + " is not JSON");
  auto updated = archive::update_item(document, job.archive.ordinal, update,
                                      std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
  if (!updated) return std::unexpected(updated.error());
  if (auto put = s3.put_object(key, updated->dump(2), "application/json"); !put) {
    return std::unexpected(put.error());
  }
  return true;
}

}  // namespace teltubby::worker
