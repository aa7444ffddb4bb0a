#include "botsvc/webhook.hpp"

#include <thread>

#include "core/log.hpp"
#include "telegram/botapi/parse.hpp"

namespace teltubby::botsvc {
namespace {

const Logger& log() {
  static const Logger logger{"webhook"};
  return logger;
}

constexpr int kSetWebhookAttempts = 5;

}  // namespace

std::string webhook_path(std::string_view url) {
  const auto scheme_end = url.find("://");
  const auto host_start = scheme_end == std::string_view::npos ? 0 : scheme_end + 3;
  const auto path_start = url.find('/', host_start);
  if (path_start == std::string_view::npos) return "/";
  auto path = url.substr(path_start);
  path = path.substr(0, path.find_first_of("?#"));
  return path.empty() ? "/" : std::string(path);
}

bool secret_matches(std::string_view given, std::string_view expected) {
  unsigned char difference = given.size() == expected.size() ? 0 : 1;
  for (std::size_t i = 0; i < given.size(); ++i) {
    const char other = i < expected.size() ? expected[i] : '\0';
    difference = static_cast<unsigned char>(difference | static_cast<unsigned char>(given[i] ^ other));
  }
  return difference == 0 && !expected.empty();
}

httpserver::Response handle_webhook(const httpserver::Request& request, std::string_view secret,
                                    const std::function<Status(const botapi::Update&)>& accept) {
  const auto header = request.header("X-Telegram-Bot-Api-Secret-Token");
  if (!header || !secret_matches(*header, secret)) {
    log().warn("webhook request without the right secret refused", {{"remote_address", request.remote_address}});
    return httpserver::Response::text(401, "unauthorized\n");
  }
  auto json = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded()) return httpserver::Response::text(400, "body is not JSON\n");
  auto update = botapi::parse_update(json);
  if (!update) {
    log().warn("malformed webhook update", {{"error", update.error().message}});
    // 200: Telegram would only send the same unreadable update again.
    return httpserver::Response::text(200, "");
  }
  if (auto accepted = accept(*update); !accepted) {
    log().warn("webhook update not accepted", {{"update_id", update->update_id}, {"error", accepted.error().message}});
    return httpserver::Response::text(503, "try again later\n");
  }
  return httpserver::Response::text(200, "");
}

WebhookSource::WebhookSource(const Config& config, botapi::BotApiClient& client, BotService& service)
    : config_(config), client_(client), service_(service) {}

void WebhookSource::start() {
  httpserver::ServerSettings settings;
  settings.name = "webhook";
  settings.bind_address = config_.webhook_listen.host;
  settings.port = config_.webhook_listen.port;
  settings.threads = 4;
  settings.max_body_bytes = 1024 * 1024;  // one update; Telegram's are a few KiB
  server_ = std::make_unique<httpserver::Server>(settings);
  server_->post(webhook_path(config_.webhook_url), [this](const httpserver::Request& request) {
    return handle_webhook(request, config_.webhook_secret,
                          [this](const botapi::Update& update) { return service_.accept(update); });
  });
  const auto port = server_->start();
  log().info("webhook listening", {{"address", config_.webhook_listen.host}, {"port", port},
                                   {"path", webhook_path(config_.webhook_url)}});

  Status registered;
  std::chrono::milliseconds backoff{500};
  for (int attempt = 1; attempt <= kSetWebhookAttempts; ++attempt) {
    registered = client_.set_webhook(config_.webhook_url, config_.webhook_secret, {"message"});
    if (registered || registered.error().kind != ErrorKind::retryable) break;
    log().warn("setWebhook failed, retrying", {{"error", registered.error().message}, {"attempt", attempt}});
    std::this_thread::sleep_for(backoff);  // start-up only, before any update is taken
    backoff *= 2;
  }
  if (!registered) throw FatalError("Telegram refused the webhook: " + redact(registered.error().message));
  log().info("webhook registered", {{"url", redact(config_.webhook_url)}});
}

void WebhookSource::stop() noexcept {
  if (server_) server_->stop();
}

std::uint16_t WebhookSource::port() const noexcept { return server_ ? server_->port() : 0; }

}  // namespace teltubby::botsvc
