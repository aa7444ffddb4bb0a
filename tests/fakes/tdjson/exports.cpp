// The five C functions of TDLib's JSON interface, with the signatures of
// td/telegram/td_json_client.h (tdlib/td). These are the only exported symbols: the
// library is built with -fvisibility=hidden and only these carry default visibility.
#include <thread>

#include "fakes/tdjson/runtime.hpp"

#define TDJSON_FAKE_EXPORT extern "C" __attribute__((visibility("default")))

namespace {
// "The returned pointer can be used until the next call to td_receive or td_execute"
// (td_json_client.h): one buffer per thread, like TDLib.
thread_local std::string tls_result;
}  // namespace

TDJSON_FAKE_EXPORT int td_create_client_id() { return teltubby::fake_tdjson::create_client(); }

TDJSON_FAKE_EXPORT void td_send(int client_id, const char* request) {
  teltubby::fake_tdjson::send_to_client(client_id, request);
}

TDJSON_FAKE_EXPORT const char* td_receive(double timeout) {
  if (!(timeout >= 0.0)) timeout = 0.0;  // also rejects NaN
  auto next = teltubby::fake_tdjson::next_output(std::chrono::duration<double>(timeout));
  if (!next) return nullptr;
  tls_result = std::move(*next);
  return tls_result.c_str();
}

TDJSON_FAKE_EXPORT const char* td_execute(const char* request) {
  tls_result = teltubby::fake_tdjson::execute(request);
  return tls_result.c_str();
}

TDJSON_FAKE_EXPORT void td_set_log_message_callback(int max_verbosity_level,
                                                     void (*callback)(int verbosity_level, const char* message)) {
  teltubby::fake_tdjson::set_log_callback(max_verbosity_level, callback);
}
