#include "support.hpp"

#include <stdexcept>

namespace fake_world::testing {

Reply to_reply(const httplib::Result& result) {
  if (!result) throw std::runtime_error("HTTP request failed: " + httplib::to_string(result.error()));
  Reply r;
  r.status = result->status;
  r.raw = result->body;
  r.headers = result->headers;
  r.body = Json::parse(result->body, nullptr, false);
  return r;
}

WorldFixture::WorldFixture(bool rate_limits) {
  ServerOptions options;
  options.rate_limits = rate_limits;
  server_ = std::make_unique<FakeTelegramServer>(options);
  server_->start();
  client_ = std::make_unique<httplib::Client>(server_->url());
  client_->set_read_timeout(30, 0);
}

WorldFixture::~WorldFixture() {
  client_.reset();
  server_->stop();
}

Reply WorldFixture::control(const std::string& path, const Json& body) {
  return to_reply(client_->Post(path, body.dump(), "application/json"));
}

Reply WorldFixture::control_get(const std::string& path) { return to_reply(client_->Get(path)); }

Reply WorldFixture::bot(const std::string& method, const Json& params) { return bot_as(token, method, params); }

Reply WorldFixture::bot_as(const std::string& bot_token, const std::string& method, const Json& params) {
  return to_reply(client_->Post("/bot" + bot_token + "/" + method, params.dump(), "application/json"));
}

Reply WorldFixture::bot_on_own_connection(const std::string& method, const Json& params) {
  httplib::Client own(server_->url());
  own.set_read_timeout(60, 0);
  return to_reply(own.Post("/bot" + token + "/" + method, params.dump(), "application/json"));
}

void WorldFixture::populate() {
  const Reply bot_reply = control("/control/bots", {{"username", "archive_bot"}, {"first_name", "Archive"}});
  token = bot_reply.body.at("token");
  bot_id = bot_reply.body.at("id");
  curator_id = control("/control/users", {{"first_name", "Cora"}, {"username", "cora"}}).body.at("id");
  worker_id = control("/control/users", {{"first_name", "Worker"}, {"phone", "+15550001"}, {"login_code", "22222"}}).body.at("id");
  // The curator starts the bot, as a person would with /start.
  curator_sends({{"text", "/start"}});
}

std::int64_t WorldFixture::curator_sends(Json body) {
  body["from_user_id"] = curator_id;
  if (!body.contains("chat_id")) body["chat_id"] = bot_id;
  const Reply r = control("/control/send", body);
  if (r.status != 200) throw std::runtime_error("control send failed: " + r.raw);
  return r.body.value("bot_message_id", std::int64_t{0});
}

}  // namespace fake_world::testing
