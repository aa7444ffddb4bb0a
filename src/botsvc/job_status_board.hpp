#pragma once
// One status message per large-file job, sent to the curator's chat and edited in
// place as the worker reports (DESIGN.md section 5, "User updates"): queued ->
// processing started -> downloading NN% -> uploading NN% -> archived | failed |
// cancelled. Edits go through the EditCoalescer (at most one per job every
// min_interval, final states always delivered) and the Outbox's one rate governor
// (progress edits only with spare capacity; finals in the foreground).
//
// The message is created by whichever comes first: announce() after the receipt, or
// the first event about the job (the worker may be faster than the receipt, or the bot
// restarted). Its id is kept in the job row, so edits continue after a restart.
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "bot/edit_coalescer.hpp"
#include "bot/job_status.hpp"
#include "bot/outbox.hpp"
#include "core/log.hpp"
#include "queue/events.hpp"
#include "store/store.hpp"

namespace teltubby::botsvc {

// The status message's view of a job before any event: queued, with the type, ordinal
// and size from its record (payload).
bot::JobStatusView initial_view(const store::JobRecord& job, std::optional<std::chrono::seconds> eta);

// Pure: the view after `event`, or nullopt when the event does not change what the
// curator sees (job.failed that will be retried: job.retrying follows; heartbeats).
// Progress percentages are quantized to 5 % steps.
std::optional<bot::JobStatusView> view_after(bot::JobStatusView view, const queue::Event& event, int max_retries);

// The job id an event is about; nullopt for worker events.
std::optional<std::string> job_id_of(const queue::Event& event);

class JobStatusBoard {
 public:
  // `outbox` and `store` must outlive the board.
  JobStatusBoard(bot::Outbox& outbox, store::Store& store,
                 std::chrono::milliseconds min_interval = std::chrono::seconds{3});
  ~JobStatusBoard();  // stop(); never throws
  JobStatusBoard(const JobStatusBoard&) = delete;
  JobStatusBoard& operator=(const JobStatusBoard&) = delete;

  void start();  // the thread that sends due edits
  void stop();

  // After the receipt of a message with a queued item: the job's status message, unless
  // it has one already.
  void announce(const std::string& job_id, std::optional<std::chrono::seconds> eta);
  // A job event from the worker (any thread).
  void on_event(const queue::Event& event);
  // A curator cancelled or retried the job: show its state from the database
  // (cancelled, or queued again).
  void refresh(const std::string& job_id);

 private:
  // Sends the status message with `text` when the job has none. True when this call
  // sent it; false when it existed already (or could not be sent: logged).
  bool create_message(const store::JobRecord& job, const std::string& text);
  // Sends (no status message yet) or queues an edit with the view's text; `reopen`
  // lets a message whose final text is out change again.
  void show(const store::JobRecord& job, const bot::JobStatusView& view, bool reopen);
  void flush_loop(const std::stop_token& stop);

  bot::Outbox& outbox_;
  store::Store& store_;
  Logger log_{"jobs.status"};

  std::mutex create_mutex_;  // one status message per job even when announce and an event race
  std::mutex mutex_;         // guards coalescer_ and views_
  std::condition_variable_any wake_;
  bot::EditCoalescer coalescer_;
  std::map<std::string, bot::JobStatusView> views_;  // last view per job seen by this process
  bool edits_submitted_ = false;                      // wakes the flusher
  std::jthread flusher_;
};

}  // namespace teltubby::botsvc
