#pragma once
// Process-wide state of the stand-in libtdjson: the clients by id, and the single
// output queue that td_receive drains (TDLib's td_receive also serves all clients).
#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace teltubby::fake_tdjson {

class FakeClient;

// The version the stand-in reports: the pinned real TDLib's, so shapes compare 1:1.
inline constexpr const char* kFakeTdlibVersion = "1.8.67";

// Queues one object for td_receive, tagged with "@client_id" as TDLib does.
void emit(int client_id, nlohmann::json object);
// Next queued object, waiting up to `timeout`.
std::optional<std::string> next_output(std::chrono::duration<double> timeout);

int create_client();
void send_to_client(int client_id, const char* request);
// Drops a client after it reached authorizationStateClosed.
void forget_client(int client_id);

// Synchronous requests (td_execute).
std::string execute(const char* request);

// TDLib's log callback, when set.
using LogCallback = void (*)(int, const char*);
void set_log_callback(int max_verbosity, LogCallback callback);
void log_message(int verbosity, const std::string& message);

}  // namespace teltubby::fake_tdjson
