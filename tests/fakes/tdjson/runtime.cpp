#include "fakes/tdjson/runtime.hpp"

#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <map>
#include <mutex>

#include "fakes/tdjson/fake_client.hpp"
#include "fakes/tdjson/td_shapes.hpp"

namespace teltubby::fake_tdjson {

using nlohmann::json;

namespace {

struct Runtime {
  // Declared before `clients`: clients emit while they shut down.
  std::mutex output_mutex;
  std::condition_variable output_ready;
  std::deque<std::string> output;

  std::mutex log_mutex;
  int log_max_verbosity = 0;
  LogCallback log_callback = nullptr;
  int verbosity = 1;  // setLogVerbosityLevel

  std::mutex clients_mutex;
  int next_client_id = 1;
  // Clients stay until the library is unloaded (process exit): their ids are never
  // reused, like TDLib's, and a closed client answers 500.
  std::map<int, std::shared_ptr<FakeClient>> clients;
};

Runtime& runtime() {
  static Runtime instance;
  return instance;
}

}  // namespace

void emit(int client_id, json object) {
  object["@client_id"] = client_id;
  auto& rt = runtime();
  {
    std::lock_guard lock(rt.output_mutex);
    rt.output.push_back(object.dump());
  }
  rt.output_ready.notify_one();
}

std::optional<std::string> next_output(std::chrono::duration<double> timeout) {
  auto& rt = runtime();
  std::unique_lock lock(rt.output_mutex);
  if (!rt.output_ready.wait_for(lock, timeout, [&] { return !rt.output.empty(); })) return std::nullopt;
  std::string next = std::move(rt.output.front());
  rt.output.pop_front();
  return next;
}

int create_client() {
  // docs/fake-world-protocol.md: the server's address is read when a client is created.
  const char* url = std::getenv("TELTUBBY_FAKE_TELEGRAM_URL");
  auto& rt = runtime();
  std::lock_guard lock(rt.clients_mutex);
  const int id = rt.next_client_id++;
  rt.clients.emplace(id, std::make_shared<FakeClient>(id, url != nullptr ? url : ""));
  log_message(3, "Created managed client " + std::to_string(id));
  return id;
}

void send_to_client(int client_id, const char* request) {
  json parsed = request != nullptr ? json::parse(request, nullptr, false) : json();
  std::shared_ptr<FakeClient> client;
  {
    auto& rt = runtime();
    std::lock_guard lock(rt.clients_mutex);
    if (auto it = rt.clients.find(client_id); it != rt.clients.end()) client = it->second;
  }
  if (!parsed.is_object()) {
    emit(client_id, td_error(400, "Failed to parse request as JSON object"));
    return;
  }
  if (!client) {
    json answer = td_error(400, "Invalid TDLib instance specified");
    if (parsed.contains("@extra")) answer["@extra"] = parsed["@extra"];
    emit(client_id, std::move(answer));
    return;
  }
  client->submit(std::move(parsed));
}

void forget_client(int /*client_id*/) {}

std::string execute(const char* request) {
  json parsed = request != nullptr ? json::parse(request, nullptr, false) : json();
  json answer;
  if (!parsed.is_object()) {
    answer = td_error(400, "Failed to parse request as JSON object");
  } else {
    const std::string type = parsed.value("@type", json("")).is_string() ? parsed.value("@type", "") : "";
    if (type == "getOption" && parsed.value("name", json("")) == "version") {
      answer = {{"@type", "optionValueString"}, {"value", kFakeTdlibVersion}};
    } else if (type == "setLogVerbosityLevel") {
      auto& rt = runtime();
      std::lock_guard lock(rt.log_mutex);
      rt.verbosity = parsed.value("new_verbosity_level", json(1)).is_number_integer()
                         ? parsed["new_verbosity_level"].get<int>()
                         : 1;
      answer = td_ok();
    } else if (type == "getLogVerbosityLevel") {
      auto& rt = runtime();
      std::lock_guard lock(rt.log_mutex);
      // logVerbosityLevel verbosity_level:int32 = LogVerbosityLevel;
      answer = {{"@type", "logVerbosityLevel"}, {"verbosity_level", rt.verbosity}};
    } else if (type == "setLogStream") {
      answer = td_ok();
    } else {
      // The text the real library answers for a request it cannot execute synchronously.
      answer = td_error(400, "The method can't be executed synchronously");
    }
    if (parsed.contains("@extra")) answer["@extra"] = parsed["@extra"];
  }
  return answer.dump();
}

void set_log_callback(int max_verbosity, LogCallback callback) {
  auto& rt = runtime();
  std::lock_guard lock(rt.log_mutex);
  rt.log_max_verbosity = max_verbosity;
  rt.log_callback = callback;
}

void log_message(int verbosity, const std::string& message) {
  auto& rt = runtime();
  LogCallback callback = nullptr;
  {
    std::lock_guard lock(rt.log_mutex);
    if (verbosity > rt.log_max_verbosity || verbosity > rt.verbosity) return;
    callback = rt.log_callback;
  }
  if (callback != nullptr) callback(verbosity, (message + "\n").c_str());
}

}  // namespace teltubby::fake_tdjson
