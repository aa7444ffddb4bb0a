#pragma once
// The one thread that calls td_receive for a loaded library.
//
// td_json_client.h: td_receive "must not be called simultaneously from two different
// threads", and it returns answers and updates of every client of the process, each
// tagged with "@client_id". So there is one loop per td_receive function (per loaded
// library), shared by all clients. The thread runs while at least one client is attached.
// Each result is copied before the next call: TDLib frees it then.
#include <memory>

#include <nlohmann/json.hpp>

#include "telegram/tdlib/td_json_library.hpp"

namespace teltubby::tdlib {

class TdAnswerSink {
 public:
  virtual ~TdAnswerSink() = default;
  virtual void deliver(nlohmann::json answer) = 0;
};

class TdReceiveLoop {
 public:
  // The loop for `receive`, created on first use.
  static std::shared_ptr<TdReceiveLoop> for_function(TdReceive receive);

  // Answers tagged with `client_id` go to `sink` from now on.
  void attach(int client_id, std::shared_ptr<TdAnswerSink> sink);
  // After this returns, `client_id`'s sink is not running and will not run again
  // (unless called from the receive thread itself, where waiting would deadlock).
  // The last detach stops the thread.
  void detach(int client_id);

  // True on the receive thread (callbacks and update handlers run there).
  [[nodiscard]] static bool on_receive_thread();

  explicit TdReceiveLoop(TdReceive receive);
  ~TdReceiveLoop();
  TdReceiveLoop(const TdReceiveLoop&) = delete;
  TdReceiveLoop& operator=(const TdReceiveLoop&) = delete;

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;  // shared with the thread, which may outlive a detach
};

}  // namespace teltubby::tdlib
