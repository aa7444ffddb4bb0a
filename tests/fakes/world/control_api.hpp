#pragma once
// The control API (tests and the demo drive the world) and the account API (the
// stand-in libtdjson sees the world as a user account), both under /control/.
// Contract: docs/fake-world-protocol.md; full list: docs/fake-world.md.
#include <string>

#include "api_types.hpp"
#include "world.hpp"

namespace fake_world {

class ControlApi {
 public:
  explicit ControlApi(World& world) : world_(world) {}
  // `path` starts with /control/; http_method is GET, POST or DELETE.
  ApiReply handle(const std::string& http_method, const std::string& path, const ApiRequest& request);

 private:
  World& world_;
};

// Account API calls (docs/fake-world-protocol.md, "Account API"); called by ControlApi
// with the world lock held.
ApiReply handle_account(World& world, std::unique_lock<std::mutex>& lock, const std::string& http_method,
                        const std::vector<std::string>& segments, const ApiRequest& request);
std::string create_session(World& world, std::int64_t user_id);

}  // namespace fake_world
