#pragma once
// What the bot's job commands need from the running job machinery, behind a small
// interface: the bot implements it over its broker session (BotJobQueue), unit tests
// with a fake.
#include <string>

#include "core/error.hpp"
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

}  // namespace teltubby::jobs
