#pragma once
// The worker's change to a message's message.json (DESIGN.md section 4): read the
// document the bot wrote, update the job's item (archive::update_item), PUT it back.
// Idempotent: rewriting with the same update gives the same items.
#include <string>
#include <string_view>

#include "archive/message_json.hpp"
#include "core/error.hpp"
#include "queue/job_message.hpp"
#include "storage/s3_client.hpp"
#include "store/store.hpp"

namespace teltubby::worker {

// A message.json larger than this is refused (a message has at most 10 items; this is
// a guard against reading something that is not ours).
inline constexpr std::size_t kMaxMessageJsonBytes = 16 * 1024 * 1024;

// Where the job's message.json is: the store's record of the message when it has one,
// else "<archive.base_path>/message.json".
std::string message_json_key(store::Store& store, const queue::JobMessage& job);

// Updates item `job.archive.ordinal`. A missing message.json is not an error (the
// object itself is archived and recorded; returns false); true when rewritten.
// Errors: S3's, the document's parse errors, "worker.message_json_invalid".
Result<bool> rewrite_message_json_item(storage::S3Client& s3, store::Store& store, const queue::JobMessage& job,
                                       const archive::ItemUpdate& update);

}  // namespace teltubby::worker
