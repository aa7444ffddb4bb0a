#pragma once
// What the bot's job commands need from the running job machinery, behind small
// interfaces: the bot implements them over its broker sessions (BotJobQueue), unit
// tests with fakes.
#include <string>

#include "core/error.hpp"
#include "queue/events.hpp"
#include "queue/job_publisher.hpp"

namespace teltubby::jobs {

class QueueControl {
 public:
  virtual ~QueueControl() = default;
  // Ready messages per queue (unacked ones are not counted); an error when the broker
  // cannot be asked right now.
  virtual Result<queue::QueueDepths> depths() = 0;
  // A job was made PENDING and unpublished (retry, new priority): publish it now
  // instead of at the next sweep (every 2 s). Never blocks on the broker.
  virtual void publish_soon() = 0;
  // A curator changed the job's state (cancel, retry): its status message should say
  // so. Never blocks on Telegram.
  virtual void job_changed(const std::string& job_id) = 0;
};

// The worker's login input from the admins' /mtcode, /mtpass and /mtqr (DESIGN.md
// section 5): control messages on teltubby.worker_control.
class WorkerControl {
 public:
  virtual ~WorkerControl() = default;
  // Publishes one control message, transient: the queue's TTL (120 s,
  // QueueSettings::control_message_ttl) drops it when no worker reads it in time, so a stale code never
  // arrives late. Returns once the broker confirmed it (bounded by the queue's RPC
  // timeout). Implementations never log the message's body: it holds a code or password.
  virtual Status send_to_worker(const queue::ControlMessage& message) = 0;
};

}  // namespace teltubby::jobs
