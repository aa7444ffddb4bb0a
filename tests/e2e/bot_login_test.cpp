// Issue 7, the bot's side of the worker's Telegram login, end to end: the real
// `teltubby bot` against the fake world and the shared RabbitMQ. The test stands in
// for the worker: it reads the control queue and publishes worker.auth events.
#include <gtest/gtest.h>

#include <string>

#include "botsvc/auth_notices.hpp"
#include "e2e/jobs_fixture.hpp"
#include "qr/qr.hpp"
#include "queue/event_channel.hpp"
#include "queue/session.hpp"
#include "support/rabbitmq_broker.hpp"
#include "telegram/botapi/client.hpp"

namespace teltubby::e2e {
namespace {

const std::string kLoginLink = "tg://login?token=AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA";

class BotLogin : public JobsFixture {
 protected:
  // The bot's queue names (JobsFixture made them unique to this test).
  queue::QueueSettings queue_settings() {
    const auto& env = settings_.extra;
    queue::QueueSettings s;
    s.port = test::shared_rabbit_port();
    s.job_exchange = queue::ExchangeName{env.at("JOB_EXCHANGE")};
    s.job_queue = queue::QueueName{env.at("JOB_QUEUE_NAME")};
    s.priority_queue = queue::QueueName{env.at("JOB_PRIORITY_QUEUE")};
    s.retry_queue_prefix = env.at("JOB_RETRY_QUEUE");
    s.dlx_exchange = queue::ExchangeName{env.at("JOB_DLX_EXCHANGE")};
    s.dead_letter_queue = queue::QueueName{env.at("JOB_DEAD_LETTER_QUEUE")};
    s.events_exchange = queue::ExchangeName{env.at("JOB_EVENTS_EXCHANGE")};
    s.bot_events_queue = queue::QueueName{env.at("JOB_BOT_EVENTS_QUEUE")};
    s.worker_control_queue = queue::QueueName{env.at("JOB_WORKER_CONTROL_QUEUE")};
    return s;
  }

  // The next control message the worker would read (fails the test after 30 s).
  queue::ControlMessage next_control(queue::Session& session) {
    queue::EventConsumer consumer(session);
    auto next = consumer.next_control(std::chrono::seconds{30});
    if (!next) throw std::runtime_error("control queue unreadable: " + next.error().describe());
    if (!*next) throw std::runtime_error("no control message within 30 s");
    return **next;
  }

  void publish(queue::Session& session, const queue::WorkerAuthEvent& event) {
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    auto published = queue::EventPublisher(session).publish({event, now});
    ASSERT_TRUE(published.has_value()) << published.error().describe();
  }

  // Sends `command` as the curator; returns its reply and whether the bot deleted the
  // command's message (the reply comes after the deletion).
  std::pair<BotReply, bool> command(const std::string& text) {
    const std::int64_t id = bot_message_id(send_as_curator(Json{{"kind", "text"}, {"text", text}}));
    BotReply reply = next_reply();
    bool deleted = false;
    for (const auto& event : outbox_now(curator_id_)) {
      if (event.value("type", "") == "deleted" && event.value("message_id", std::int64_t{0}) == id) deleted = true;
    }
    return {std::move(reply), deleted};
  }

  // The next event of the curator's outbox after the first `seen` that satisfies `match`.
  Json next_outbox_event(std::size_t& seen, const std::function<bool(const Json&)>& match) {
    const auto deadline = std::chrono::steady_clock::now() + 60s;
    for (;;) {
      const auto left =
          std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      const OutboxRead read = world().outbox(curator_id_, seen + 1, std::max(left, 0ms));
      while (seen < read.events.size()) {
        const Json& event = read.events[seen++];
        if (match(event)) return event;
      }
      if (read.timed_out || left <= 0ms) throw std::runtime_error("the expected outbox event never came");
    }
  }

  std::string photo_bytes(const std::string& file_id) {
    botapi::BotApiClient client({.api_base_url = world().url(), .token = std::string(kBotToken)});
    auto file = client.get_file(file_id);
    if (!file || !file->file_path) throw std::runtime_error("getFile failed for the photo");
    std::string bytes;
    auto downloaded = client.download_file(*file->file_path, [&](std::span<const std::byte> chunk) -> Status {
      bytes.append(reinterpret_cast<const char*>(chunk.data()), chunk.size());
      return {};
    });
    if (!downloaded) throw std::runtime_error("photo download failed: " + downloaded.error().describe());
    return bytes;
  }
};

TEST_F(BotLogin, CodeAndPasswordReachTheWorkerQueueTheirMessagesAreDeletedAndNeverRepeated) {
  start_bot();
  queue::Session worker_side(queue_settings());

  const auto [code_reply, code_deleted] = command("/mtcode 1-2-3-4-5");
  EXPECT_EQ(next_control(worker_side), queue::ControlMessage{queue::AuthCodeControl{"12345"}});
  EXPECT_TRUE(code_deleted) << "the message with the code is still in the chat";
  EXPECT_NE(code_reply.text.find("Login code passed to the worker"), std::string::npos) << code_reply.text;
  EXPECT_EQ(code_reply.text.find("12345"), std::string::npos) << code_reply.text;
  EXPECT_EQ(code_reply.text.find("1-2-3-4-5"), std::string::npos) << code_reply.text;

  const std::string password = "s3cret-Horse-Staple";
  const auto [pass_reply, pass_deleted] = command("/mtpass " + password);
  EXPECT_EQ(next_control(worker_side), queue::ControlMessage{queue::AuthPasswordControl{password}});
  EXPECT_TRUE(pass_deleted) << "the message with the password is still in the chat";
  EXPECT_NE(pass_reply.text.find("Password passed to the worker"), std::string::npos) << pass_reply.text;
  EXPECT_EQ(pass_reply.text.find(password), std::string::npos) << pass_reply.text;
  EXPECT_EQ(bot_log_text().find(password), std::string::npos) << "the password is in the bot's log";
}

TEST_F(BotLogin, AQrEventReachesTheAdminAsAPhotoThatARepeatedReadyDoesNotFollow) {
  start_bot();
  queue::Session worker_side(queue_settings());
  std::size_t seen = outbox_now(curator_id_).size();

  queue::WorkerAuthEvent qr;
  qr.worker_id = "e2e-worker";
  qr.state = queue::AuthState::needs_qr;
  qr.qr_link = kLoginLink;
  publish(worker_side, qr);
  const Json photo_event = next_outbox_event(seen, [](const Json& e) {
    return e.value("type", "") == "sent" && e.at("message").contains("photo");
  });
  const Json& message = photo_event.at("message");
  EXPECT_NE(message.value("caption", "").find("Link Desktop Device"), std::string::npos) << message.dump();
  const auto expected = qr::render_qr_png(kLoginLink, botsvc::kQrPixelsPerModule);
  ASSERT_TRUE(expected.has_value());
  EXPECT_EQ(photo_bytes(message.at("photo").back().at("file_id").get<std::string>()),
            std::string(reinterpret_cast<const char*>(expected->data()), expected->size()))
      << "the photo is not the PNG of the login link";

  // Logged in: the admin is told, the QR (void now) leaves the chat; a repeated ready
  // (a worker restart) is not announced, so the next notice is the logout.
  queue::WorkerAuthEvent ready;
  ready.worker_id = "e2e-worker";
  ready.state = queue::AuthState::ready;
  ready.user_id = worker_account_id_;
  publish(worker_side, ready);
  publish(worker_side, ready);
  queue::WorkerAuthEvent out;
  out.worker_id = "e2e-worker";
  out.state = queue::AuthState::logged_out;
  publish(worker_side, out);

  const std::int64_t photo_id = photo_event.value("message_id", std::int64_t{0});
  bool photo_deleted = false;
  const Json ready_notice = next_outbox_event(seen, [&](const Json& e) {
    if (e.value("type", "") == "deleted" && e.value("message_id", std::int64_t{0}) == photo_id) photo_deleted = true;
    return e.value("type", "") == "sent";
  });
  EXPECT_TRUE(photo_deleted) << "the old QR code is still in the chat";
  EXPECT_NE(ready_notice.at("message").value("text", "").find(std::to_string(worker_account_id_)), std::string::npos)
      << ready_notice.dump();
  const Json next_notice = next_outbox_event(seen, [](const Json& e) { return e.value("type", "") == "sent"; });
  EXPECT_NE(next_notice.at("message").value("text", "").find("logged out"), std::string::npos)
      << "expected the logout notice next, got: " << next_notice.dump();
}

}  // namespace
}  // namespace teltubby::e2e
