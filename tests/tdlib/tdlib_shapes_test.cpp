// The same request sequence replayed against the real TDLib and the stand-in gives the
// same shapes: the order of @types and the keys of every object (values aside).
// Plain build (the real library needs RTLD_DEEPBIND); never sends setTdlibParameters.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>
#include <vector>

#include "telegram/tdlib/td_json_library.hpp"

namespace teltubby::tdlib {
namespace {

// "@type{key:shape,...}" for objects (sorted keys, @client_id/@extra left out: they are
// ours), "[...]" for arrays, a kind name for scalars.
std::string shape(const nlohmann::json& value) {
  if (value.is_object()) {
    std::string out = value.value("@type", "") + "{";
    std::set<std::string> keys;
    for (auto it = value.begin(); it != value.end(); ++it) keys.insert(it.key());
    for (const auto& key : keys) {
      if (key == "@client_id" || key == "@extra" || key == "@type") continue;
      out += key + ":" + shape(value[key]) + ",";
    }
    return out + "}";
  }
  if (value.is_array()) return value.empty() ? "[]" : "[" + shape(value[0]) + "]";
  if (value.is_string()) return "string";
  if (value.is_boolean()) return "bool";
  if (value.is_number()) return "number";
  return "null";
}

std::vector<std::string> replay(const std::string& path) {
  TdJsonLibrary library(path);
  const auto& api = library.api();
  std::vector<std::string> shapes;
  auto execute = [&](const nlohmann::json& request) {
    shapes.push_back("execute:" + shape(nlohmann::json::parse(api.execute(request.dump().c_str()))));
  };
  execute({{"@type", "setLogVerbosityLevel"}, {"new_verbosity_level", 0}});
  execute({{"@type", "getOption"}, {"name", "version"}});
  execute({{"@type", "getMe"}});
  const int client = api.create_client_id();
  auto send = [&](nlohmann::json request, int extra) {
    request["@extra"] = extra;
    api.send(client, request.dump().c_str());
  };
  // Receive until `done` says so; each answer copied before the next td_receive.
  auto receive_until = [&](auto&& done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (std::chrono::steady_clock::now() < deadline) {
      const char* raw = api.receive(1.0);
      if (raw == nullptr) continue;
      auto object = nlohmann::json::parse(std::string(raw));
      shapes.push_back(shape(object));
      if (done(object)) return true;
    }
    return false;
  };
  send({{"@type", "getOption"}, {"name", "version"}}, 1);
  EXPECT_TRUE(receive_until([](const nlohmann::json& o) { return o.value("@extra", 0) == 1; })) << path;
  send({{"@type", "getMe"}}, 2);
  EXPECT_TRUE(receive_until([](const nlohmann::json& o) { return o.value("@extra", 0) == 2; })) << path;
  send({{"@type", "close"}}, 3);
  EXPECT_TRUE(receive_until([](const nlohmann::json& o) {
    return o.value("@type", "") == "updateAuthorizationState" &&
           o["authorization_state"].value("@type", "") == "authorizationStateClosed";
  })) << path;
  return shapes;
}

TEST(RealAndStandIn, TheSameSequenceGivesTheSameShapes) {
  const auto real = replay(TELTUBBY_REAL_TDJSON_PATH);
  const auto fake = replay(TELTUBBY_FAKE_TDJSON_PATH);
  ASSERT_GE(real.size(), 10u);
  EXPECT_EQ(real, fake);
}

}  // namespace
}  // namespace teltubby::tdlib
