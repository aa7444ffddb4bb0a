#include "server.hpp"

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

#include <httplib.h>

#include "api_types.hpp"
#include "bot_api.hpp"
#include "control_api.hpp"
#include "seeded_bytes.hpp"

namespace fake_world {
namespace {

constexpr std::size_t kMaxUploadBytes = 64ULL * 1024 * 1024;  // Bot API uploads: 10 MB photos, 50 MB other files
constexpr std::uint64_t kChunkBytes = 64 * 1024;

ApiRequest to_api_request(const httplib::Request& req) {
  ApiRequest out;
  for (const auto& [key, value] : req.params) out.params[key] = value;
  const std::string type = req.get_header_value("Content-Type");
  if (type.starts_with("application/json") && !req.body.empty()) {
    Json body = Json::parse(req.body, nullptr, false);
    if (body.is_object()) {
      for (auto& [key, value] : body.items()) out.params[key] = value;
    }
  }
  for (const auto& [name, part] : req.files) {
    if (part.filename.empty()) out.params[name] = part.content;
    else out.uploads[name] = Upload{part.filename, part.content_type, part.content};
  }
  out.range = req.get_header_value("Range");
  // We answer Range requests ourselves (status, Content-Range, truncation faults);
  // httplib would otherwise slice the content a second time.
  const_cast<httplib::Request&>(req).ranges.clear();
  return out;
}

}  // namespace

struct FakeTelegramServer::Impl {
  explicit Impl(ServerOptions o) : options(std::move(o)), world(options.seed), bot_api(world), control(world) {
    world.settings.rate_limits = options.rate_limits;
  }

  ServerOptions options;
  World world;
  BotApi bot_api;
  ControlApi control;
  httplib::Server http;
  int bound_port = 0;
  std::thread listener, webhooks, saver;

  void hang(double seconds) {
    std::unique_lock lock(world.mutex);
    world.changed.wait_for(lock, std::chrono::duration<double>(seconds), [&] { return world.stopping; });
  }

  void send(const ApiReply& reply, httplib::Response& res) {
    if (reply.hang_seconds > 0) hang(reply.hang_seconds);
    res.status = reply.status;
    for (const auto& [key, value] : reply.headers) res.set_header(key, value);
    if (!reply.stream) {
      res.set_content(reply.body, reply.content_type);
      return;
    }
    const FileStream stream = *reply.stream;
    const auto started = Clock::now();
    res.set_content_provider(
        static_cast<std::size_t>(stream.length), reply.content_type,
        [this, stream, started](std::size_t offset, std::size_t length, httplib::DataSink& sink) {
          const auto position = static_cast<std::uint64_t>(offset);
          if (position >= stream.truncate_after) return false;  // cut the connection: a truncated download
          std::uint64_t chunk = std::min<std::uint64_t>({static_cast<std::uint64_t>(length), kChunkBytes, stream.truncate_after - position});
          if (stream.bytes_per_second > 0) {
            chunk = std::min<std::uint64_t>(chunk, std::max<std::uint64_t>(1, stream.bytes_per_second / 10));
            // Pace: this chunk may leave only when the elapsed time allows `position` bytes.
            const auto due = started + std::chrono::duration<double>(static_cast<double>(position) / static_cast<double>(stream.bytes_per_second));
            std::unique_lock lock(world.mutex);
            world.changed.wait_until(lock, std::chrono::time_point_cast<Clock::duration>(due), [&] { return world.stopping; });
            if (world.stopping) return false;
          }
          std::string bytes;
          if (stream.data) {
            bytes = stream.data->substr(static_cast<std::size_t>(stream.offset + position), static_cast<std::size_t>(chunk));
          } else {
            fill_seeded_bytes(stream.seed, stream.offset + position, chunk, bytes);
          }
          return sink.write(bytes.data(), bytes.size());
        });
  }

  void routes() {
    auto bot_handler = [this](const httplib::Request& req, httplib::Response& res) {
      send(bot_api.call(req.matches[1].str(), req.matches[2].str(), to_api_request(req)), res);
    };
    http.Get(R"(/bot([^/]+)/([^/]+))", bot_handler);
    http.Post(R"(/bot([^/]+)/([^/]+))", bot_handler);
    http.Get(R"(/file/bot([^/]+)/(.+))", [this](const httplib::Request& req, httplib::Response& res) {
      const ApiRequest request = to_api_request(req);
      send(bot_api.download(req.matches[1].str(), req.matches[2].str(), request.range), res);
    });
    auto control_handler = [this](const httplib::Request& req, httplib::Response& res) {
      send(control.handle(req.method, req.path, to_api_request(req)), res);
    };
    http.Get(R"(/control/.*)", control_handler);
    http.Post(R"(/control/.*)", control_handler);
    http.Delete(R"(/control/.*)", control_handler);
    // Anything else: Telegram's 404 shape.
    auto not_found = [this](const httplib::Request&, httplib::Response& res) { send(bot_error(ApiError{404, "Not Found"}), res); };
    http.Get(R"(.*)", not_found);
    http.Post(R"(.*)", not_found);
  }

  // Webhook delivery (https://core.telegram.org/bots/api#setwebhook): one update per
  // POST with X-Telegram-Bot-Api-Secret-Token; a non-2xx answer is retried later.
  void deliver_webhooks() {
    std::unique_lock lock(world.mutex);
    while (!world.stopping) {
      auto next_wake = Clock::now() + std::chrono::seconds(1);
      std::int64_t due_bot = 0;
      for (const auto& [id, bot] : world.bots) {
        if (bot.webhook_url.empty() || bot.updates.empty()) continue;
        if (bot.webhook_next_attempt <= Clock::now()) {
          due_bot = id;
          break;
        }
        next_wake = std::min(next_wake, bot.webhook_next_attempt);
      }
      if (due_bot == 0) {
        world.changed.wait_until(lock, next_wake);
        continue;
      }
      BotState& bot = world.bots[due_bot];
      const std::string url = bot.webhook_url;
      const std::string secret = bot.webhook_secret;
      const std::int64_t update_id = bot.updates.front().update_id;
      const std::string body = bot.updates.front().update.dump();
      lock.unlock();
      std::string error;
      const auto scheme_end = url.find("://");
      const auto path_start = url.find('/', scheme_end + 3);
      const std::string origin = url.substr(0, path_start);
      const std::string path = path_start == std::string::npos ? "/" : url.substr(path_start);
      {
        httplib::Client client(origin);
        client.set_connection_timeout(2, 0);
        client.set_read_timeout(10, 0);
        httplib::Headers headers;
        if (!secret.empty()) headers.emplace("X-Telegram-Bot-Api-Secret-Token", secret);
        const auto result = client.Post(path, headers, body, "application/json");
        if (!result) error = "Connection refused";
        else if (result->status < 200 || result->status >= 300) error = "Wrong response from the webhook: " + std::to_string(result->status);
      }
      lock.lock();
      BotState& after = world.bots[due_bot];
      if (error.empty()) {
        if (!after.updates.empty() && after.updates.front().update_id == update_id) after.updates.pop_front();
      } else {
        after.webhook_last_error_date = world.now();
        after.webhook_last_error_message = error;
        after.webhook_next_attempt = Clock::now() + std::chrono::milliseconds(world.settings.webhook_retry_ms);
      }
      world.touch();
    }
  }

  // With a state directory, the world's content is written to world.json on change
  // (see docs/fake-world.md for what is kept).
  void save_state() {
    std::unique_lock lock(world.mutex);
    std::uint64_t saved = 0;
    while (true) {
      world.changed.wait_for(lock, std::chrono::milliseconds(500), [&] { return world.stopping || world.version != saved; });
      if (world.version != saved) {
        saved = world.version;
        const std::string text = world.to_json().dump();
        const std::filesystem::path dir(options.state_dir);
        std::ofstream out(dir / "world.json.tmp", std::ios::trunc);
        out << text;
        out.close();
        std::error_code ec;
        std::filesystem::rename(dir / "world.json.tmp", dir / "world.json", ec);
      }
      if (world.stopping) return;
    }
  }
};

FakeTelegramServer::FakeTelegramServer(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

FakeTelegramServer::~FakeTelegramServer() { stop(); }

void FakeTelegramServer::start() {
  Impl& s = *impl_;
  if (!s.options.state_dir.empty()) {
    std::filesystem::create_directories(s.options.state_dir);
    const auto file = std::filesystem::path(s.options.state_dir) / "world.json";
    if (std::filesystem::exists(file)) {
      std::ifstream in(file);
      const Json saved = Json::parse(in, nullptr, false);
      if (saved.is_discarded()) throw std::runtime_error("state file is not JSON: " + file.string());
      std::lock_guard lock(s.world.mutex);
      s.world.load_json(saved);
    }
  }
  s.http.new_task_queue = [] { return new httplib::ThreadPool(64); };  // long polls hold threads
  s.http.set_payload_max_length(kMaxUploadBytes);
  s.http.set_keep_alive_timeout(5);
  s.routes();
  if (s.options.port == 0) {
    s.bound_port = s.http.bind_to_any_port(s.options.host);
  } else {
    s.bound_port = s.http.bind_to_port(s.options.host, s.options.port) ? s.options.port : -1;
  }
  if (s.bound_port <= 0) throw std::runtime_error("cannot bind " + s.options.host + ":" + std::to_string(s.options.port));
  s.listener = std::thread([&s] { s.http.listen_after_bind(); });
  s.webhooks = std::thread([&s] { s.deliver_webhooks(); });
  if (!s.options.state_dir.empty()) s.saver = std::thread([&s] { s.save_state(); });
}

void FakeTelegramServer::stop() {
  if (!impl_) return;
  Impl& s = *impl_;
  {
    std::lock_guard lock(s.world.mutex);
    s.world.stopping = true;
    s.world.changed.notify_all();
  }
  s.http.stop();
  for (std::thread* t : {&s.listener, &s.webhooks, &s.saver}) {
    if (t->joinable()) t->join();
  }
}

int FakeTelegramServer::port() const { return impl_->bound_port; }

std::string FakeTelegramServer::url() const { return "http://" + impl_->options.host + ":" + std::to_string(port()); }

World& FakeTelegramServer::world() { return impl_->world; }

}  // namespace fake_world
