#include "e2e/bot_fixture.hpp"

#include <algorithm>
#include <array>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>

#include "storage/crypto.hpp"
#include "store/sqlite/database.hpp"

namespace teltubby::e2e {
namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The last `lines` lines of `text`, for failure reports.
std::string tail(const std::string& text, std::size_t lines) {
  std::size_t position = text.size();
  for (std::size_t seen = 0; position > 0 && seen <= lines; --position) {
    if (text[position - 1] == '\n') ++seen;
  }
  return text.substr(position);
}

std::string seconds_text(double seconds) {
  std::ostringstream text;
  text << seconds;
  return text.str();
}

}  // namespace

std::string unique_bucket() {
  static std::mt19937_64 random{std::random_device{}()};
  std::array<unsigned char, 6> bytes{};
  for (auto& byte : bytes) byte = static_cast<unsigned char>(random());
  return "tt-e2e-" + storage::to_hex(bytes);
}

std::string folder(const std::string& chat_slug, std::int64_t message_id) {
  return "teltubby/2026/11/" + chat_slug + "/" + std::to_string(message_id) + "/";
}

void BotFixture::SetUp() {
  dir_ = std::make_unique<test::TempDir>("teltubby-e2e");
  run_dir_ = dir_->path();
  for (const char* sub : {"world", "data", "work", "logs"})
    std::filesystem::create_directories(run_dir_ / sub);
  world_ = std::make_unique<FakeTelegram>(run_dir_ / "world", settings_.rate_limits);
  bot_id_ = world_->create_bot("teltubby_test_bot", std::string(kBotToken));
  curator_id_ = world_->create_user("Alice", "Curator", curator_username_);
  stranger_id_ = world_->create_user("Mallory", "Stranger", "mallory_stranger");
  // A bot cannot write first: the curator starts the chat (answered once the bot runs).
  send_as_curator(Json{{"kind", "text"}, {"text", "/start"}});
  bucket_ = unique_bucket();
  health_port_ = free_loopback_port();
}

void BotFixture::TearDown() {
  if (bot_ && bot_->running()) {
    const auto exit_code = stop_bot();
    EXPECT_EQ(exit_code, std::optional<int>{0}) << "teltubby bot did not stop cleanly on SIGTERM";
  }
  // No log line, error text or captured output may carry the bot token (DESIGN.md 8).
  const std::string token(kBotToken);
  const std::string token_secret = token.substr(token.find(':') + 1);
  for (const auto& file : written_files()) {
    const std::string text = read_file(file);
    EXPECT_EQ(text.find(token_secret), std::string::npos) << "the bot token appears in " << file;
  }
  if (HasFailure()) {
    // The log file and stdout carry the same lines; show stdout only without a log file.
    const bool have_log_file = std::filesystem::exists(run_dir_ / "logs" / "bot.log");
    for (const auto& file : written_files()) {
      if (have_log_file && file.filename().string().starts_with("stdout-")) continue;
      const std::string text = read_file(file);
      if (!text.empty())
        std::cerr << "==== " << file.filename() << " (tail) ====\n" << tail(text, 60) << "\n";
    }
  }
  store_.reset();
  s3_.reset();
  bot_.reset();
  world_.reset();
  dir_.reset();
}

Json BotFixture::send_as(std::int64_t user, Json body) {
  body["from_user_id"] = user;
  if (!body.contains("chat_id")) body["chat_id"] = bot_id_;
  return world_->send(body);
}

Environment BotFixture::bot_environment() {
  const test::S3Account account = s3_account_ ? *s3_account_ : test::shared_s3();
  Environment env{
      {"TELEGRAM_BOT_TOKEN", std::string(kBotToken)},
      {"TELEGRAM_WHITELIST_IDS", std::to_string(curator_id_)},
      {"TELEGRAM_API_BASE_URL", world_->url()},
      {"TELEGRAM_MODE", mode_},
      {"S3_ENDPOINT", account.endpoint},
      {"S3_ACCESS_KEY_ID", account.access_key},
      {"S3_SECRET_ACCESS_KEY", account.secret_key},
      {"S3_BUCKET", bucket_},
      {"S3_FORCE_PATH_STYLE", "true"},
      {"S3_BUCKET_QUOTA_BYTES", std::to_string(settings_.quota_bytes)},
      {"SQLITE_PATH", (run_dir_ / "data" / "teltubby.db").string()},
      {"TELTUBBY_DATA_DIR", (run_dir_ / "data").string()},
      {"TELTUBBY_WORK_DIR", (run_dir_ / "work").string()},
      {"LOG_FILE", (run_dir_ / "logs" / "bot.log").string()},
      // Debug: the token check then covers the chattiest output too.
      {"LOG_LEVEL", "debug"},
      {"HEALTH_PORT", std::to_string(health_port_)},
      {"ALBUM_AGGREGATION_WINDOW_SECONDS", seconds_text(settings_.album_window_seconds)},
      {"IO_TIMEOUT_SECONDS", "10"},
      // No broker unless a test brings one (JobsFixture): nothing listens on port 1, so
      // the bot's job threads never meet a broker that another run left on 5672.
      {"RABBITMQ_HOST", "127.0.0.1"},
      {"RABBITMQ_PORT", "1"},
      {"HOME", run_dir_.string()},
      {"TMPDIR", (run_dir_ / "work").string()},
  };
  for (const auto& [name, value] : settings_.extra) env[name] = value;
  return env;
}

void BotFixture::start_bot() {
  if (bot_ && bot_->running()) throw std::runtime_error("start_bot: the bot is already running");
  bot_ = std::make_unique<BotProcess>(run_dir_ / "logs", bot_environment());
  if (!bot_->wait_healthy(health_port_, 60s)) {
    throw std::runtime_error(bot_->running() ? "teltubby bot did not answer /healthz 200 within 60 s"
                                             : "teltubby bot exited during start-up (see its stderr below)");
  }
  if (starts_++ == 0) {
    const BotReply greeting = next_reply();
    if (greeting.text.empty()) throw std::runtime_error("the answer to /start is empty");
  }
}

std::optional<int> BotFixture::stop_bot() {
  if (!bot_) return std::nullopt;
  return bot_->terminate(30s);
}

void BotFixture::kill_bot() {
  if (bot_) bot_->kill();
}

std::vector<Json> BotFixture::outbox_now(std::int64_t chat_id) {
  return world_->outbox(chat_id, 0, 0ms).events;
}

BotReply BotFixture::next_reply(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::size_t known = 0;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    const OutboxRead read = world_->outbox(curator_id_, known + 1, std::max(left, 0ms));
    std::vector<const Json*> sent;
    for (const auto& event : read.events) {
      if (event.value("type", "") == "sent") sent.push_back(&event);
    }
    while (sent.size() > replies_seen_) {
      const Json& chosen = *sent[replies_seen_];
      ++replies_seen_;
      BotReply reply;
      reply.message_id = chosen.value("message_id", std::int64_t{0});
      Json message = chosen.at("message");
      for (const auto& event : read.events) {
        if (event.value("type", "") == "edited" &&
            event.value("message_id", std::int64_t{0}) == reply.message_id) {
          message = event.at("message");
        }
      }
      reply.text = message.value("text", "");
      reply.entities = message.value("entities", Json::array());
      const bool skipped = std::ranges::any_of(
          skipped_reply_prefixes_, [&](const std::string& prefix) { return reply.text.starts_with(prefix); });
      if (!skipped) return reply;
      skipped_replies_.push_back(std::move(reply));
    }
    if (read.timed_out || left <= 0ms) {
      throw std::runtime_error("no reply from the bot within " + std::to_string(timeout.count()) +
                               " ms (reply #" + std::to_string(replies_seen_ + 1) + " expected)");
    }
    known = read.events.size();
  }
}

BotReply BotFixture::send_and_reply(Json body, std::chrono::milliseconds timeout) {
  send_as_curator(std::move(body));
  return next_reply(timeout);
}

storage::S3Client& BotFixture::s3() {
  if (!s3_) {
    const test::S3Account account = s3_account_ ? *s3_account_ : test::shared_s3();
    storage::S3Settings settings;
    settings.endpoint = account.endpoint;
    settings.access_key = account.access_key;
    settings.secret_key = account.secret_key;
    settings.bucket = bucket_;
    settings.io_timeout = 20s;
    settings.max_attempts = 3;
    settings.retry_base_delay = 20ms;
    settings.retry_max_delay = 200ms;
    s3_ = std::make_unique<storage::S3Client>(settings);
  }
  return *s3_;
}

std::vector<storage::ObjectInfo> BotFixture::objects(const std::string& prefix) {
  std::vector<storage::ObjectInfo> found;
  const auto listed = s3().list_objects(prefix, [&](const storage::ObjectInfo& object) -> Status {
    found.push_back(object);
    return {};
  });
  // A bucket the bot never created has no objects.
  if (!listed && listed.error().code != "s3.NoSuchBucket") {
    throw std::runtime_error("listing the bucket failed: " + listed.error().describe());
  }
  return found;
}

std::vector<std::string> BotFixture::object_keys(const std::string& prefix) {
  std::vector<std::string> keys;
  for (const auto& object : objects(prefix)) keys.push_back(object.key);
  std::ranges::sort(keys);
  return keys;
}

std::string BotFixture::object_bytes(const std::string& key) {
  std::string bytes;
  const auto head = s3().get_object(key, [&](std::span<const std::byte> chunk) -> Status {
    bytes.append(reinterpret_cast<const char*>(chunk.data()), chunk.size());
    return {};
  });
  if (!head) throw std::runtime_error("GET " + key + ": " + head.error().describe());
  return bytes;
}

Json BotFixture::message_json(const std::string& base_path) {
  const std::string text = object_bytes(base_path + "message.json");
  try {
    return Json::parse(text);
  } catch (const Json::exception&) {
    throw std::runtime_error(base_path + "message.json is not JSON: " + text);
  }
}

store::SqliteStore& BotFixture::store() {
  if (!store_)
    store_ = store::SqliteStore::open(
        {.path = run_dir_ / "data" / "teltubby.db", .busy_timeout = 10s, .clock = {}});
  return *store_;
}

std::int64_t BotFixture::count_rows(const std::string& table) {
  auto database =
      store::sqlite::Database::open({.path = run_dir_ / "data" / "teltubby.db", .busy_timeout = 10s});
  if (!database) throw std::runtime_error("cannot open the bot's database: " + database.error().describe());
  auto statement = database->prepare("SELECT COUNT(*) FROM " + table);
  if (!statement) throw std::runtime_error("count " + table + ": " + statement.error().describe());
  auto row = statement->step();
  if (!row || !*row) throw std::runtime_error("count " + table + ": no row");
  return statement->column_int64(0);
}

std::vector<std::filesystem::path> BotFixture::written_files() {
  std::vector<std::filesystem::path> files;
  if (run_dir_.empty() || !std::filesystem::exists(run_dir_ / "logs")) return files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(run_dir_ / "logs")) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::ranges::sort(files);
  return files;
}

std::string BotFixture::bot_log_text() {
  std::string text;
  for (const auto& file : written_files()) text += read_file(file);
  return text;
}

}  // namespace teltubby::e2e
