#pragma once
// Webhook mode (TELEGRAM_MODE=webhook): Telegram POSTs each update to WEBHOOK_URL,
// which a reverse proxy forwards to WEBHOOK_LISTEN. Only requests carrying the
// configured X-Telegram-Bot-Api-Secret-Token are accepted (DESIGN.md section 8). The
// answer is sent as soon as the update is durable in the inbox, well within
// Telegram's timeout; archiving happens afterwards.
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "botsvc/bot_service.hpp"
#include "core/config.hpp"
#include "httpserver/server.hpp"
#include "telegram/botapi/client.hpp"

namespace teltubby::botsvc {

// The path of WEBHOOK_URL ("https://bot.example/tg/hook?x" -> "/tg/hook"; "/" when none).
std::string webhook_path(std::string_view url);

// Constant-time comparison: how long it takes does not tell how much of a guess matched.
bool secret_matches(std::string_view given, std::string_view expected);

// The whole request handling, without a socket: 401 when the secret header is missing
// or wrong (nothing else is looked at), 400 when the body is not an update, 503 when
// `accept` could not make it durable (Telegram then delivers it again), else 200.
httpserver::Response handle_webhook(const httpserver::Request& request, std::string_view secret,
                                    const std::function<Status(const botapi::Update&)>& accept);

class WebhookSource {
 public:
  WebhookSource(const Config& config, botapi::BotApiClient& client, BotService& service);
  // Listens on WEBHOOK_LISTEN, then registers the webhook with Telegram (setWebhook with
  // the secret and allowed_updates). Throws FatalError when the address cannot be bound
  // or Telegram keeps refusing the webhook.
  void start();
  void stop() noexcept;
  [[nodiscard]] std::uint16_t port() const noexcept;

 private:
  const Config& config_;
  botapi::BotApiClient& client_;
  BotService& service_;
  std::unique_ptr<httpserver::Server> server_;
};

}  // namespace teltubby::botsvc
