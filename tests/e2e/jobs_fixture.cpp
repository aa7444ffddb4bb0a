#include "e2e/jobs_fixture.hpp"

#include <array>
#include <random>
#include <stdexcept>

#include "storage/crypto.hpp"
#include "support/rabbitmq_broker.hpp"
#include "support/wait.hpp"

namespace teltubby::e2e {
namespace {

std::string unique_prefix() {
  static std::mt19937_64 random{std::random_device{}()};
  std::array<unsigned char, 5> bytes{};
  for (auto& byte : bytes) byte = static_cast<unsigned char>(random());
  return "e2e." + storage::to_hex(bytes) + ".";
}

}  // namespace

void JobsFixture::SetUp() {
  BotFixture::SetUp();
  const std::string prefix = unique_prefix();
  settings_.extra = {
      {"RABBITMQ_HOST", "127.0.0.1"},
      {"RABBITMQ_PORT", std::to_string(test::shared_rabbit_port())},
      {"JOB_QUEUE_NAME", prefix + "large_files"},
      {"JOB_PRIORITY_QUEUE", prefix + "priority_jobs"},
      {"JOB_RETRY_QUEUE", prefix + "retry_jobs"},
      {"JOB_EXCHANGE", prefix + "jobs"},
      {"JOB_DLX_EXCHANGE", prefix + "dlx"},
      {"JOB_DEAD_LETTER_QUEUE", prefix + "failed_jobs"},
      {"JOB_EVENTS_EXCHANGE", prefix + "events"},
      {"JOB_BOT_EVENTS_QUEUE", prefix + "bot_events"},
      {"JOB_WORKER_CONTROL_QUEUE", prefix + "worker_control"},
      {"WORKER_MAX_RETRIES", "2"},
      {"WORKER_RETRY_DELAY_SECONDS", "1"},
      {"WORKER_HEALTH_CHECK_INTERVAL", "1"},
      {"MTPROTO_API_ID", "12345"},
      {"MTPROTO_API_HASH", "0123456789abcdef0123456789abcdef"},
  };
  // The worker account: logged in here (the worker gets the session), and it has
  // started the bot, as the real worker does after its login, so that the bot may
  // copy messages into their chat.
  Json user = Json::object();
  user["first_name"] = "Worker";
  user["phone"] = worker_phone_;
  if (!worker_password_.empty()) {
    user["password"] = worker_password_;
    user["password_hint"] = "the usual";
  }
  const Json account = world().control().post("/control/users", user);
  worker_account_id_ = account.at("id").get<std::int64_t>();
  worker_login_code_ = account.at("login_code").get<std::string>();
  worker_health_port_ = free_loopback_port();
  // The curator is the only admin, so the worker's login notice (worker.auth ready)
  // comes to the same chat as the replies these tests read; bot_login_test checks it.
  skipped_reply_prefixes_.push_back("✅ The worker is logged in");
  if (tdlib_worker_) return;  // the worker logs in and starts the bot by itself
  const Json login = world().control().post("/control/account/login/phone", Json{{"phone", "+15550007777"}});
  const Json session = world().control().post(
      "/control/account/login/code", Json{{"login_id", login.at("login_id")}, {"code", account.at("login_code")}});
  worker_session_ = session.at("session").get<std::string>();
  world().control().post("/control/account/" + worker_session_ + "/send", Json{{"chat_id", bot_id_}, {"text", "/start"}});
}

void JobsFixture::TearDown() {
  if (worker_ && worker_->running()) {
    EXPECT_EQ(stop_worker(), std::optional<int>{0}) << "teltubby worker did not stop cleanly on SIGTERM";
  }
  BotFixture::TearDown();
}

void JobsFixture::start_worker() {
  if (worker_ && worker_->running()) throw std::runtime_error("start_worker: the worker is already running");
  Environment env = bot_environment();
  env.erase("TELEGRAM_BOT_TOKEN");
  env.erase("TELEGRAM_WHITELIST_IDS");
  env["HEALTH_PORT"] = std::to_string(worker_health_port_);
  env["LOG_FILE"] = (run_dir_ / "logs" / "worker.log").string();
  env["TELTUBBY_WORK_DIR"] = (run_dir_ / "worker-work").string();
  env["TMPDIR"] = (run_dir_ / "worker-work").string();
  // Read by the fake-world source, or by the stand-in libtdjson (never by production code).
  env["TELTUBBY_FAKE_TELEGRAM_URL"] = world().url();
  if (tdlib_worker_) {
    env["TDJSON_PATH"] = TELTUBBY_FAKE_TDJSON_PATH;
    env["MTPROTO_PHONE_NUMBER"] = worker_phone_;
    env["MTPROTO_SESSION_PATH"] = worker_session_dir().string();
  } else {
    env["TELTUBBY_FAKE_TELEGRAM_SESSION"] = worker_session_;
  }
  for (const auto& [name, value] : worker_extra_) env[name] = value;
  std::filesystem::create_directories(run_dir_ / "worker-work");
  std::filesystem::create_directories(run_dir_ / "logs" / "worker");
  worker_ = std::make_unique<BotProcess>(run_dir_ / "logs" / "worker", env, "worker");
  if (!worker_->wait_healthy(worker_health_port_, 60s)) {
    throw std::runtime_error("teltubby worker did not answer /healthz 200 within 60 s");
  }
}

std::optional<int> JobsFixture::stop_worker() {
  if (!worker_) return std::nullopt;
  return worker_->terminate(30s);
}

void JobsFixture::kill_worker() {
  if (worker_) worker_->kill();
}

void JobsFixture::wait_worker_known(std::chrono::milliseconds timeout) {
  const bool known = test::wait_until(
      [&] {
        auto value = store().get_value("worker.user_id");
        return value && value->has_value() && **value == std::to_string(worker_account_id_);
      },
      timeout, 100ms);
  if (!known) throw std::runtime_error("the bot never learnt the worker account from its events");
}

Json JobsFixture::send_document(std::int64_t size, std::uint64_t seed, const std::string& file_name) {
  return send_as_curator(Json{{"kind", "document"},
                              {"date", kMessageDate},
                              {"file", {{"size", size}, {"seed", seed}, {"file_name", file_name}}}});
}

store::JobRecord JobsFixture::job_for(std::int64_t bot_message_id, std::chrono::milliseconds timeout) {
  std::optional<store::JobRecord> found;
  test::wait_until(
      [&] {
        auto jobs = store().list_jobs({});
        if (!jobs) return false;
        for (const auto& job : *jobs) {
          if (job.message_id == bot_message_id) found = job;
        }
        return found.has_value();
      },
      timeout, 100ms);
  if (!found) throw std::runtime_error("no job for message " + std::to_string(bot_message_id));
  return *found;
}

store::JobRecord JobsFixture::wait_job_state(const std::string& job_id, store::JobState state,
                                             std::chrono::milliseconds timeout) {
  std::optional<store::JobRecord> last;
  test::wait_until(
      [&] {
        auto job = store().get_job(job_id);
        if (job) last = *job;
        return job && job->state == state;
      },
      timeout, 100ms);
  if (!last || last->state != state) {
    throw std::runtime_error("job " + job_id + " did not become " + std::string(store::to_string(state)) +
                             " (it is " + (last ? std::string(store::to_string(last->state)) : "missing") + ")");
  }
  return *last;
}

JobsFixture::QueuedReplies JobsFixture::receipt_and_status() {
  BotReply first = next_reply();
  BotReply second = next_reply();
  if (first.text.starts_with("📦")) std::swap(first, second);
  EXPECT_TRUE(second.text.starts_with("📦")) << "not a job status message: " << second.text;
  return {std::move(first), std::move(second)};
}

void JobsFixture::wait_published(const std::string& job_id, std::chrono::milliseconds timeout) {
  const bool published = test::wait_until(
      [&] {
        auto job = store().get_job(job_id);
        return job && job->published;
      },
      timeout, 100ms);
  if (!published) throw std::runtime_error("job " + job_id + " was not published");
}

std::vector<std::string> JobsFixture::status_texts_until(std::int64_t message_id, const std::string& final_marker,
                                                         std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::size_t known = 0;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    const OutboxRead read = world().outbox(curator_id_, known + 1, std::max(left, 0ms));
    std::vector<std::string> texts;
    for (const auto& event : read.events) {
      const auto type = event.value("type", "");
      if ((type == "sent" || type == "edited") && event.value("message_id", std::int64_t{0}) == message_id) {
        texts.push_back(event.at("message").value("text", ""));
      }
    }
    if (!texts.empty() && texts.back().find(final_marker) != std::string::npos) return texts;
    if (read.timed_out || left <= 0ms) {
      std::string seen;
      for (const auto& text : texts) seen += "\n  " + text;
      throw std::runtime_error("status message " + std::to_string(message_id) + " never showed \"" + final_marker +
                               "\"; its texts:" + seen);
    }
    known = read.events.size();
  }
}

}  // namespace teltubby::e2e
