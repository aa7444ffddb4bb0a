#pragma once
// Shared set-up for the Bot API client and Outbox tests: the fake Telegram world
// in-process (tests/fakes/world, docs/fake-world.md) with a bot and a curator who has
// started it, plus small helpers over its control API (send as a user, inject faults,
// read the bot's outbox). Helpers wait for events with deadlines; nothing sleeps.
#include <gtest/gtest.h>
#include <httplib.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "server.hpp"
#include "telegram/botapi/client.hpp"

namespace teltubby::testing {

using Json = nlohmann::json;

struct WorldReply {
  int status = 0;
  Json body;
  std::string raw;
};

class BotWorld {
 public:
  explicit BotWorld(bool rate_limits) {
    fake_world::ServerOptions options;
    options.rate_limits = rate_limits;
    server_ = std::make_unique<fake_world::FakeTelegramServer>(options);
    server_->start();
    http_ = std::make_unique<httplib::Client>(server_->url());
    http_->set_read_timeout(30, 0);
    const WorldReply bot = control("/control/bots", {{"username", "archive_bot"}, {"first_name", "Archive"}});
    token = bot.body.at("token");
    bot_id = bot.body.at("id");
    curator_id = control("/control/users", {{"first_name", "Cora"}, {"username", "cora"}}).body.at("id");
    // The curator starts the bot, as a person would: only then may the bot write to her.
    curator_sends({{"text", "/start"}});
  }
  ~BotWorld() {
    http_.reset();
    server_->stop();
  }
  BotWorld(const BotWorld&) = delete;
  BotWorld& operator=(const BotWorld&) = delete;

  [[nodiscard]] std::string url() const { return server_->url(); }
  [[nodiscard]] int port() const { return server_->port(); }

  // Settings for a client of this world's bot; short I/O timeout so faults resolve fast.
  [[nodiscard]] botapi::ClientSettings client_settings(std::chrono::seconds io_timeout = std::chrono::seconds{
                                                           5}) const {
    botapi::ClientSettings settings;
    settings.api_base_url = server_->url();
    settings.token = token;
    settings.io_timeout = io_timeout;
    return settings;
  }

  WorldReply control(const std::string& path, const Json& body = Json::object()) {
    return to_reply(http_->Post(path, body.dump(), "application/json"));
  }
  WorldReply control_get(const std::string& path) { return to_reply(http_->Get(path)); }

  // The curator sends `body` (merged into {from_user_id: curator, chat_id: bot}).
  std::int64_t curator_sends(Json body) {
    body["from_user_id"] = curator_id;
    if (!body.contains("chat_id")) body["chat_id"] = bot_id;
    const WorldReply reply = control("/control/send", body);
    if (reply.status != 200) throw std::runtime_error("control send failed: " + reply.raw);
    return reply.body.value("bot_message_id", std::int64_t{0});
  }

  // POST /control/faults: {method ("sendMessage", "file" for downloads), kind, count, ...}.
  void inject_fault(const std::string& method, const std::string& kind, Json extra = Json::object()) {
    extra["method"] = method;
    extra["kind"] = kind;
    if (!extra.contains("count")) extra["count"] = 1;
    const WorldReply reply = control("/control/faults", extra);
    if (reply.status != 200) throw std::runtime_error("fault injection failed: " + reply.raw);
  }

  // What the bot sent to the curator's chat, waiting (up to `timeout`) until there are
  // at least `count` events; returns whatever is there at the deadline.
  std::vector<Json> curator_outbox(std::size_t count,
                                   std::chrono::milliseconds timeout = std::chrono::seconds{10}) {
    const WorldReply reply =
        control_get("/control/chat/" + std::to_string(curator_id) + "/outbox?count=" + std::to_string(count) +
                    "&timeout_ms=" + std::to_string(timeout.count()));
    if (reply.status != 200) throw std::runtime_error("outbox read failed: " + reply.raw);
    return reply.body.at("events").get<std::vector<Json>>();
  }

  // Waits (up to `timeout`) until `n` getUpdates requests are long-polling.
  bool wait_for_long_polls(int n, std::chrono::milliseconds timeout = std::chrono::seconds{10}) {
    const WorldReply reply =
        control_get("/control/bots/" + std::to_string(bot_id) + "?wait_long_polls=" + std::to_string(n) +
                    "&timeout_ms=" + std::to_string(timeout.count()));
    return reply.status == 200 && reply.body.value("waiting_get_updates", 0) >= n;
  }

  std::string token;
  std::int64_t bot_id = 0;
  std::int64_t curator_id = 0;

 private:
  static WorldReply to_reply(const httplib::Result& result) {
    if (!result) throw std::runtime_error("HTTP request failed: " + httplib::to_string(result.error()));
    WorldReply reply;
    reply.status = result->status;
    reply.raw = result->body;
    reply.body = Json::parse(result->body, nullptr, false);
    return reply;
  }

  std::unique_ptr<fake_world::FakeTelegramServer> server_;
  std::unique_ptr<httplib::Client> http_;
};

}  // namespace teltubby::testing
