#include "telegram/tdlib/td_receive_loop.hpp"

#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>
#include <unordered_map>

#include "core/log.hpp"
#include "telegram/tdlib/td_error.hpp"

namespace teltubby::tdlib {

namespace {

// How long one td_receive waits, in seconds: bounds how late the thread notices that
// the last client left.
constexpr double kReceiveTimeoutSeconds = 0.2;

thread_local bool tls_on_receive_thread = false;

}  // namespace

struct TdReceiveLoop::Impl {
  TdReceive receive;
  Logger log{"tdlib"};
  std::mutex lifecycle;  // serialises starting and stopping the thread
  std::mutex mutex;      // guards the fields below
  std::condition_variable delivered;
  std::unordered_map<int, std::shared_ptr<TdAnswerSink>> sinks;
  int delivering_to = 0;  // client id whose sink runs right now; 0 = none
  bool stop = false;
  std::thread thread;

  void run() {
    tls_on_receive_thread = true;
    for (;;) {
      {
        std::lock_guard lock(mutex);
        if (stop) return;
      }
      const char* raw = receive(kReceiveTimeoutSeconds);
      if (raw == nullptr) continue;
      std::string copy(raw);  // TDLib frees `raw` at the next td_receive
      auto answer = nlohmann::json::parse(copy, nullptr, false);
      if (!answer.is_object()) {
        log.warn("TDLib returned something that is not a JSON object", {{"bytes", copy.size()}});
        continue;
      }
      int client_id = 0;
      if (auto it = answer.find("@client_id"); it != answer.end() && it->is_number_integer()) {
        client_id = it->get<int>();
      }
      std::shared_ptr<TdAnswerSink> sink;
      {
        std::lock_guard lock(mutex);
        if (auto it = sinks.find(client_id); it != sinks.end()) {
          sink = it->second;
          delivering_to = client_id;
        }
      }
      if (!sink) {
        log.debug("TDLib answer for a client that is gone", {{"client_id", client_id}, {"type", answer.contains("@type") ? answer["@type"].dump() : ""}});
        continue;
      }
      try {
        sink->deliver(std::move(answer));
      } catch (const std::exception& error) {
        log.error("TDLib answer handler failed", {{"client_id", client_id}, {"error", error.what()}});
      }
      {
        std::lock_guard lock(mutex);
        delivering_to = 0;
      }
      delivered.notify_all();
    }
  }
};

TdReceiveLoop::TdReceiveLoop(TdReceive receive) : impl_(std::make_shared<Impl>()) { impl_->receive = receive; }

TdReceiveLoop::~TdReceiveLoop() {
  std::lock_guard lifecycle(impl_->lifecycle);
  {
    std::lock_guard lock(impl_->mutex);
    impl_->stop = true;
  }
  if (impl_->thread.joinable()) {
    if (impl_->thread.get_id() == std::this_thread::get_id()) {
      impl_->thread.detach();
    } else {
      impl_->thread.join();
    }
  }
}

std::shared_ptr<TdReceiveLoop> TdReceiveLoop::for_function(TdReceive receive) {
  static std::mutex registry_mutex;
  // Weak: a loop lives as long as some client holds it, so no thread outlives main.
  static std::map<TdReceive, std::weak_ptr<TdReceiveLoop>> registry;
  std::lock_guard lock(registry_mutex);
  auto& slot = registry[receive];
  auto loop = slot.lock();
  if (!loop) {
    loop = std::make_shared<TdReceiveLoop>(receive);
    slot = loop;
  }
  return loop;
}

bool TdReceiveLoop::on_receive_thread() { return tls_on_receive_thread; }

void TdReceiveLoop::attach(int client_id, std::shared_ptr<TdAnswerSink> sink) {
  std::lock_guard lifecycle(impl_->lifecycle);
  bool start = false;
  {
    std::lock_guard lock(impl_->mutex);
    impl_->sinks[client_id] = std::move(sink);
    start = !impl_->thread.joinable();
    impl_->stop = false;
  }
  if (start) impl_->thread = std::thread([impl = impl_] { impl->run(); });
}

void TdReceiveLoop::detach(int client_id) {
  std::lock_guard lifecycle(impl_->lifecycle);
  bool last = false;
  {
    std::unique_lock lock(impl_->mutex);
    impl_->sinks.erase(client_id);
    if (!on_receive_thread()) {
      impl_->delivered.wait(lock, [&] { return impl_->delivering_to != client_id; });
    }
    last = impl_->sinks.empty();
    if (last) impl_->stop = true;
  }
  if (last && impl_->thread.joinable()) {
    if (on_receive_thread()) {
      impl_->thread.detach();  // it returns after this delivery: stop is set
    } else {
      impl_->thread.join();
    }
  }
}

}  // namespace teltubby::tdlib
