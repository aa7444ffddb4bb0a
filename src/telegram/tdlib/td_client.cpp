#include "telegram/tdlib/td_client.hpp"

#include <condition_variable>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "telegram/tdlib/td_error.hpp"
#include "telegram/tdlib/td_receive_loop.hpp"

namespace teltubby::tdlib {

namespace {

constexpr std::string_view kClosed = "authorizationStateClosed";

// A string member of `object`, "" when absent or not a string (input from TDLib).
std::string string_field(const nlohmann::json& object, const char* key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

Error closed_error() { return Error{ErrorKind::cancelled, "tdlib.closed", "TDLib client is closed", {}}; }

}  // namespace

struct TdClient::State final : TdAnswerSink {
  Logger log;
  int id = 0;
  TdSend send_fn = nullptr;
  std::shared_ptr<TdReceiveLoop> loop;

  mutable std::mutex mutex;
  mutable std::condition_variable changed;
  std::uint64_t next_extra = 1;
  std::unordered_map<std::uint64_t, Callback> pending;
  std::unordered_map<std::string, std::vector<UpdateHandler>> handlers;
  nlohmann::json auth_state;  // latest authorization_state object
  bool closed = false;
  bool detached = false;

  explicit State(Logger logger) : log(std::move(logger)) {}

  template <class Fn>
  void guarded(std::string_view what, Fn&& fn) {
    try {
      fn();
    } catch (const std::exception& error) {
      log.error("TDLib handler threw", {{"handler", what}, {"error", error.what()}});
    }
  }

  void deliver(nlohmann::json answer) override {
    // Answers to our requests carry the "@extra" we set: a number.
    if (auto extra = answer.find("@extra"); extra != answer.end() && extra->is_number_unsigned()) {
      Callback callback;
      {
        std::lock_guard lock(mutex);
        if (auto it = pending.find(extra->get<std::uint64_t>()); it != pending.end()) {
          callback = std::move(it->second);
          pending.erase(it);
        }
      }
      if (callback) {
        guarded("answer", [&] { callback(answer_to_result(std::move(answer))); });
        return;
      }
    }
    const std::string type = string_field(answer, "@type");
    std::vector<UpdateHandler> to_call;
    {
      std::lock_guard lock(mutex);
      if (auto it = handlers.find(type); it != handlers.end()) to_call = it->second;
    }
    for (auto& handler : to_call) guarded(type, [&] { handler(answer); });
    // The new authorization state becomes visible (and waiters wake) only after the
    // handlers saw the update: whoever waited for a state finds their handlers' effects.
    std::vector<Callback> to_fail;
    // td_api.tl: updateAuthorizationState authorization_state:AuthorizationState = Update;
    if (type == "updateAuthorizationState" && answer.contains("authorization_state")) {
      std::lock_guard lock(mutex);
      auth_state = answer["authorization_state"];
      if (string_field(auth_state, "@type") == kClosed) {
        closed = true;
        for (auto& [extra, callback] : pending) to_fail.push_back(std::move(callback));
        pending.clear();
      }
    }
    changed.notify_all();
    for (auto& callback : to_fail) guarded("closed", [&] { callback(std::unexpected(closed_error())); });
  }
};

TdClient::TdClient(std::shared_ptr<const TdJsonLibrary> library, Logger log)
    : library_(std::move(library)), state_(std::make_shared<State>(std::move(log))) {
  if (!library_) throw FatalError("TdClient needs a loaded TDLib library");
  state_->send_fn = library_->api().send;
  state_->loop = TdReceiveLoop::for_function(library_->api().receive);
  state_->id = library_->api().create_client_id();
  state_->log = state_->log.with({{"tdlib_client", state_->id}});
  state_->loop->attach(state_->id, state_);
}

TdClient::~TdClient() {
  try {
    if (!closed()) {
      if (auto status = close(); !status) {
        state_->log.error("TDLib client did not close; the process may abort at exit",
                          {{"error", status.error().describe()}});
      }
    }
  } catch (...) {
    // A destructor never throws; close() itself only logs.
  }
  try {
    state_->loop->detach(state_->id);
  } catch (...) {
  }
}

int TdClient::id() const { return state_->id; }

void TdClient::on_update(std::string type, UpdateHandler handler) {
  std::lock_guard lock(state_->mutex);
  state_->handlers[std::move(type)].push_back(std::move(handler));
}

void TdClient::send(nlohmann::json request, Callback callback) {
  if (!request.is_object() || !request.contains("@type") || !request["@type"].is_string()) {
    callback(fail(ErrorKind::invalid_input, "tdlib.request", "a TDLib request must be a JSON object with @type"));
    return;
  }
  std::uint64_t extra = 0;
  {
    std::lock_guard lock(state_->mutex);
    if (state_->closed) {
      extra = 0;
    } else {
      extra = state_->next_extra++;
      state_->pending.emplace(extra, std::move(callback));
    }
  }
  if (extra == 0) {
    callback(std::unexpected(closed_error()));
    return;
  }
  request["@extra"] = extra;
  const std::string text = request.dump();
  state_->send_fn(state_->id, text.c_str());
}

std::future<Result<nlohmann::json>> TdClient::send(nlohmann::json request) {
  auto promise = std::make_shared<std::promise<Result<nlohmann::json>>>();
  auto future = promise->get_future();
  send(std::move(request), [promise](Result<nlohmann::json> answer) { promise->set_value(std::move(answer)); });
  return future;
}

Result<nlohmann::json> TdClient::call(nlohmann::json request, std::chrono::milliseconds timeout) {
  if (TdReceiveLoop::on_receive_thread()) {
    return fail(ErrorKind::permanent, "tdlib.reentrant",
                "TdClient::call from a TDLib callback would wait for itself; use send() with a callback");
  }
  const std::string type = string_field(request, "@type");
  auto future = send(std::move(request));
  if (future.wait_for(timeout) != std::future_status::ready) {
    return fail(ErrorKind::retryable, "tdlib.timeout", "no TDLib answer to " + type + " within " +
                                                           std::to_string(timeout.count()) + " ms");
  }
  return future.get();
}

Result<nlohmann::json> TdClient::execute(const nlohmann::json& request) const { return library_->execute(request); }

std::string TdClient::authorization_state() const {
  std::lock_guard lock(state_->mutex);
  return string_field(state_->auth_state, "@type");
}

nlohmann::json TdClient::authorization_state_object() const {
  std::lock_guard lock(state_->mutex);
  return state_->auth_state;
}

bool TdClient::wait_for_authorization_state(std::string_view type, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(state_->mutex);
  return state_->changed.wait_for(lock, timeout, [&] {
    return string_field(state_->auth_state, "@type") == type;
  });
}

bool TdClient::closed() const {
  std::lock_guard lock(state_->mutex);
  return state_->closed;
}

Status TdClient::close(std::chrono::milliseconds timeout) {
  if (closed()) return {};
  if (TdReceiveLoop::on_receive_thread()) {
    return fail(ErrorKind::permanent, "tdlib.reentrant", "TdClient::close from a TDLib callback cannot wait");
  }
  // td_api.tl: close = Ok; "Closes the TDLib instance. All databases will be flushed to
  // disk and properly closed. After the close completes, updateAuthorizationState with
  // authorizationStateClosed will be sent."
  send({{"@type", "close"}}, [](Result<nlohmann::json>) {});
  std::unique_lock lock(state_->mutex);
  if (!state_->changed.wait_for(lock, timeout, [&] { return state_->closed; })) {
    return fail(ErrorKind::retryable, "tdlib.close_timeout",
                "TDLib did not reach authorizationStateClosed within " + std::to_string(timeout.count()) + " ms");
  }
  return {};
}

}  // namespace teltubby::tdlib
