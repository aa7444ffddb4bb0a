#pragma once
// The LargeFileSource on TDLib: the worker's user account finds the curator's file and
// downloads it (DESIGN.md section 5, docs/mtproto.md).
//
// Finding it: the bot copies the curator's message into its private chat with the
// worker account (or the curator *is* that account), so the account scans that chat,
// newest first and bounded, for a file whose remote.unique_id is the job's
// file_unique_id; the copy may arrive a little after the job, so the scan is retried
// for a while. Failing that, a message forwarded from a public channel is opened in
// the channel itself. Message ids differ per account: only the unique id is matched.
//
// Downloading: downloadFile (synchronous, so a failure comes back with TDLib's reason)
// while updateFile reports progress; cancellation is checked every wait_step; the size
// on disk must equal the file's size; the bytes are streamed to the sink and the file
// is deleted from TDLib's cache (deleteFile) so disk use stays bounded. A cancelled
// download keeps its partial file so that a restarted worker continues where it was.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include <nlohmann/json.hpp>

#include "core/log.hpp"
#include "mtproto/td_account.hpp"
#include "worker/large_file_source.hpp"

namespace teltubby::mtproto {

struct TdlibSourceSettings {
  std::chrono::milliseconds locate_patience{20'000};  // keep looking for a relayed copy this long
  std::chrono::milliseconds locate_interval{1'000};   // between looks
  int max_scanned_messages = 500;                     // of the bot chat, newest first, per look
  std::chrono::milliseconds stall_timeout{300'000};   // no new byte for this long -> retry the job later
  std::chrono::milliseconds wait_step{200};           // cancellation checkpoint while downloading
  std::size_t read_chunk_bytes = 1U << 20;            // sink pieces
  int download_priority = 16;                         // TDLib's 1..32
};

// What the source needs from the login side (WorkerLogin): the account when logged in,
// and its private chat with the bot (the bot's user id; 0 = not known yet).
struct AccountContext {
  std::function<std::optional<AccountInfo>()> account;
  std::function<std::int64_t()> bot_chat_id;
};

class TdlibFileSource final : public worker::LargeFileSource {
 public:
  // `account` must outlive the source; registers its updateFile handler (before start()).
  TdlibFileSource(TdAccount& account, AccountContext context, TdlibSourceSettings settings = {});

  Status download(const queue::JobMessage& job, const worker::ChunkSink& sink,
                  const worker::ProgressCallback& progress, const worker::CancelCheck& cancelled) override;

 private:
  Result<nlohmann::json> locate(const queue::JobMessage& job, const worker::CancelCheck& cancelled);
  Result<std::optional<nlohmann::json>> scan_bot_chat(std::int64_t chat_id, const std::string& unique_id);
  Result<std::optional<nlohmann::json>> open_in_channel(const queue::JobMessage& job);
  Result<FileView> fetch(std::int32_t file_id, std::int64_t total, const worker::ProgressCallback& progress,
                         const worker::CancelCheck& cancelled);
  Status deliver(const FileView& file, std::int64_t expected, const worker::ChunkSink& sink,
                 const worker::CancelCheck& cancelled);
  // File id -> latest updateFile, while a download runs. Shared with the account's
  // handler, which may still run (TDLib's thread) after this source is gone.
  struct Watches {
    std::mutex mutex;
    std::condition_variable changed;
    std::map<std::int32_t, FileView> files;
    void on_file(const nlohmann::json& file);
  };

  TdAccount& account_;
  AccountContext context_;
  TdlibSourceSettings settings_;
  Logger log_{"mtproto.source"};
  std::shared_ptr<Watches> watches_ = std::make_shared<Watches>();
};

// The one place that turns a TDLib answer during a download into what the job does
// next: 401 -> "source.unauthorized" (the job waits for a new login), 429/FLOOD_WAIT ->
// retryable with retry_after, an expired file reference or a download that stopped ->
// retryable, a file Telegram does not know -> not_found. Pure.
Error download_error(const Error& tdlib_error);

}  // namespace teltubby::mtproto
