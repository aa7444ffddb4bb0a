#pragma once
// Where a large file's bytes come from. The worker hands each job to a source that
// streams the file's content to a sink, reporting progress and checking for
// cancellation between pieces. The real source (TDLib, the worker's user account)
// comes with issue 7; FakeWorldFileSource serves tests and the demo.
//
// Errors say what to do next: kind retryable (network, flood wait with retry_after,
// expired file reference, short download) -> the job is retried with backoff;
// permanent / not_found / invalid_input (file not reachable from the account) -> the job
// fails at once; cancelled -> the cancellation check asked to stop.
#include <cstdint>
#include <functional>
#include <span>
#include <string_view>

#include "core/error.hpp"
#include "queue/job_message.hpp"

namespace teltubby::worker {

// The source's account is not logged in (session revoked, not yet logged in): the job
// is not failed and not retried; it goes back to its queue as it was, and the worker
// takes no job until the account is back (DESIGN.md section 5, "authentication lost").
inline constexpr std::string_view kSourceUnauthorized = "source.unauthorized";

// Receives the file's bytes in order; an error stops the download and is returned.
using ChunkSink = std::function<Status(std::span<const std::byte> bytes)>;
// bytes_done so far and bytes_total (0 when the source does not know the size).
using ProgressCallback = std::function<void(std::int64_t bytes_done, std::int64_t bytes_total)>;
// Asked between pieces; true means stop now (the source returns kind cancelled).
using CancelCheck = std::function<bool()>;

class LargeFileSource {
 public:
  virtual ~LargeFileSource() = default;
  LargeFileSource() = default;
  LargeFileSource(const LargeFileSource&) = delete;
  LargeFileSource& operator=(const LargeFileSource&) = delete;

  // Streams the whole file of `job` (found by job.file_info.file_unique_id) to `sink`.
  // Succeeds only when every byte was delivered (a short download is a retryable
  // error). May be called from several threads for different jobs at once.
  virtual Status download(const queue::JobMessage& job, const ChunkSink& sink, const ProgressCallback& progress,
                          const CancelCheck& cancelled) = 0;
};

}  // namespace teltubby::worker
