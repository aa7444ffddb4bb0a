#pragma once
// TdClient: one TDLib client instance (td_create_client_id) driven through JSON.
//
//   auto library = std::make_shared<TdJsonLibrary>(path);
//   TdClient client{library};
//   client.on_update("updateFile", [](const nlohmann::json& update) { ... });
//   auto me = client.call({{"@type", "getMe"}}, 10s);   // Result<json>
//   client.close();                                      // before exit, always
//
// Threads: td_receive is process-wide (it returns answers and updates of every client
// and must not run on two threads at once), so ONE receive thread per loaded library
// serves all TdClients and routes by "@client_id"; it runs while any client is open.
// td_send is called from any thread. Answers are matched to requests through "@extra"
// (the client sets it; a caller's own "@extra" is replaced). Callbacks and update
// handlers run on the receive thread: keep them short, and never block in them on
// another answer (call() from the receive thread returns an error instead of hanging).
//
// Closing: TDLib aborts at process exit when a client is still open (its threads run
// on while OpenSSL is torn down: "crypto.cpp ... evp_cipher == nullptr", ~Scheduler
// checks). close() sends {"@type":"close"} and waits for authorizationStateClosed;
// the destructor does the same if nobody did. Every exit path of a program that
// holds a TdClient must let it close first (docs/tdlib.md).
#include <chrono>
#include <functional>
#include <future>
#include <memory>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/log.hpp"
#include "telegram/tdlib/td_json_library.hpp"

namespace teltubby::tdlib {

inline constexpr std::chrono::seconds kTdCloseTimeout{30};

class TdClient {
 public:
  using Callback = std::function<void(Result<nlohmann::json>)>;
  using UpdateHandler = std::function<void(const nlohmann::json&)>;

  explicit TdClient(std::shared_ptr<const TdJsonLibrary> library, Logger log = Logger{"tdlib"});
  ~TdClient();  // closes (bounded by kTdCloseTimeout) when not closed yet; never throws
  TdClient(const TdClient&) = delete;
  TdClient& operator=(const TdClient&) = delete;

  [[nodiscard]] int id() const;

  // Handlers for updates by "@type" ("updateFile", "updateAuthorizationState", ...).
  // Register them before the first request: TDLib starts sending updates then.
  void on_update(std::string type, UpdateHandler handler);

  // Sends `request`; `callback` gets the answer (or the TDLib error as Error, or
  // "tdlib.closed" when the client closes first). Never blocks.
  void send(nlohmann::json request, Callback callback);
  [[nodiscard]] std::future<Result<nlohmann::json>> send(nlohmann::json request);

  // send() and wait up to `timeout` ("tdlib.timeout", retryable, when it passes).
  [[nodiscard]] Result<nlohmann::json> call(nlohmann::json request, std::chrono::milliseconds timeout);

  // td_execute (synchronous requests only; not tied to this client).
  [[nodiscard]] Result<nlohmann::json> execute(const nlohmann::json& request) const;

  // "@type" of the latest authorization state seen ("" before the first one).
  [[nodiscard]] std::string authorization_state() const;
  // The latest updateAuthorizationState.authorization_state object (null before one).
  [[nodiscard]] nlohmann::json authorization_state_object() const;
  // Waits until the latest authorization state has type `type`; false on timeout. The
  // update handlers registered for that updateAuthorizationState have run by then.
  [[nodiscard]] bool wait_for_authorization_state(std::string_view type, std::chrono::milliseconds timeout) const;

  // Sends close and waits for authorizationStateClosed. Idempotent.
  Status close(std::chrono::milliseconds timeout = kTdCloseTimeout);
  [[nodiscard]] bool closed() const;

  struct State;  // shared with the receive thread (td_client.cpp)

 private:
  std::shared_ptr<const TdJsonLibrary> library_;
  std::shared_ptr<State> state_;
};

}  // namespace teltubby::tdlib
