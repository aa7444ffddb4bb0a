#pragma once
// Test helpers: an in-process fake world with rate limits off, and small HTTP
// wrappers that return parsed JSON so assertions read like the documentation.
#include <memory>
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "server.hpp"

namespace fake_world::testing {

using Json = nlohmann::json;

struct Reply {
  int status = 0;
  Json body;
  std::string raw;
  httplib::Headers headers;
};

class WorldFixture {
 public:
  explicit WorldFixture(bool rate_limits = false);
  ~WorldFixture();

  FakeTelegramServer& server() { return *server_; }
  httplib::Client& client() { return *client_; }

  // POST JSON to a control path (/control/...), GET with a query.
  Reply control(const std::string& path, const Json& body = Json::object());
  Reply control_get(const std::string& path);
  // A Bot API call: JSON body by default.
  Reply bot(const std::string& method, const Json& params = Json::object());
  Reply bot_as(const std::string& token, const std::string& method, const Json& params = Json::object());
  // The same on a connection of its own: httplib::Client runs one request at a time,
  // so a call that long-polls in another thread needs its own client.
  Reply bot_on_own_connection(const std::string& method, const Json& params = Json::object());

  // A ready world: a bot, a curator who started it, the worker account.
  void populate();
  std::string token;
  std::int64_t bot_id = 0, curator_id = 0, worker_id = 0;
  // The curator sends `body` (merged into {from_user_id: curator, chat_id: bot}); returns the bot's message id.
  std::int64_t curator_sends(Json body);

 private:
  std::unique_ptr<FakeTelegramServer> server_;
  std::unique_ptr<httplib::Client> client_;
};

Reply to_reply(const httplib::Result& result);

}  // namespace fake_world::testing
