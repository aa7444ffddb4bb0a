#pragma once
// The bot's reader of worker events (teltubby.events -> its durable queue
// teltubby.bot_events, so events wait while the bot is down): job events update the
// job's status message (JobStatusBoard); worker.heartbeat and worker.auth are kept in
// the database for /status, /mtstatus and `teltubby jobs`, and a worker.auth that
// changes something is passed on for the admins (auth_notices.hpp). One thread with its own
// broker session, reconnecting by itself.
#include <chrono>
#include <functional>
#include <thread>

#include "botsvc/job_status_board.hpp"
#include "core/log.hpp"
#include "metrics/catalog.hpp"
#include "queue/settings.hpp"
#include "store/store.hpp"

namespace teltubby::botsvc {

class JobEventsReader {
 public:
  // Every reference must outlive the reader.
  // `on_auth_notice` hears the worker.auth events the admins should be told about
  // (auth_notice_wanted), with when they happened; empty = nobody is told.
  using AuthNoticeSink = std::function<void(const queue::WorkerAuthEvent& event, std::chrono::sys_seconds at)>;
  JobEventsReader(queue::QueueSettings settings, store::Store& store, JobStatusBoard& board,
                  metrics::Catalog& metrics, AuthNoticeSink on_auth_notice = {});
  ~JobEventsReader();  // stop(); never throws
  JobEventsReader(const JobEventsReader&) = delete;
  JobEventsReader& operator=(const JobEventsReader&) = delete;

  void start();
  void stop();  // returns within about a second (the longest wait for an event)

  // One event (public for tests).
  void handle(const queue::EventMessage& message);

 private:
  void run(const std::stop_token& stop);

  queue::QueueSettings settings_;
  store::Store& store_;
  JobStatusBoard& board_;
  metrics::Catalog& metrics_;
  AuthNoticeSink on_auth_notice_;
  Logger log_{"jobs.events"};
  std::jthread thread_;
};

}  // namespace teltubby::botsvc
