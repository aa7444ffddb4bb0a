// setWebhook / deleteWebhook / getWebhookInfo, https://core.telegram.org/bots/api#setwebhook
#include <condition_variable>
#include <thread>

#include <gtest/gtest.h>

#include "support.hpp"

namespace fake_world::testing {
namespace {

// A webhook receiver: records each POST; answers with `status_to_answer`.
class Receiver {
 public:
  Receiver() {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      bodies_.push_back(Json::parse(req.body));
      secrets_.push_back(req.get_header_value("X-Telegram-Bot-Api-Secret-Token"));
      res.status = failures_left_ > 0 ? 500 : 200;
      if (failures_left_ > 0) --failures_left_;
      changed_.notify_all();
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }
  void fail_next(int n) {
    std::lock_guard lock(mutex_);
    failures_left_ = n;
  }
  // Waits (up to 10 s) until `n` POSTs arrived; returns what arrived.
  std::vector<Json> wait_for(std::size_t n) {
    std::unique_lock lock(mutex_);
    changed_.wait_for(lock, std::chrono::seconds(10), [&] { return bodies_.size() >= n; });
    return bodies_;
  }
  std::vector<std::string> secrets() {
    std::lock_guard lock(mutex_);
    return secrets_;
  }

 private:
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Json> bodies_;
  std::vector<std::string> secrets_;
  int failures_left_ = 0;
};

TEST(FakeWorldWebhook, UpdatesArePostedWithTheSecretAndGetUpdatesConflicts) {
  WorldFixture w;
  w.populate();
  Receiver receiver;
  const Reply set = w.bot("setWebhook", {{"url", receiver.url()}, {"secret_token", "s3cr3t_-"}, {"drop_pending_updates", true}});
  // "#setwebhook": "Returns True on success."
  ASSERT_EQ(set.body["result"], true) << set.raw;
  w.curator_sends({{"text", "via webhook"}});
  const auto bodies = receiver.wait_for(1);
  ASSERT_EQ(bodies.size(), 1U);
  EXPECT_EQ(bodies[0]["message"]["text"], "via webhook");
  // secret_token: "sent in a header X-Telegram-Bot-Api-Secret-Token in every webhook request"
  EXPECT_EQ(receiver.secrets()[0], "s3cr3t_-");
  // "#getupdates": "This method will not work if an outgoing webhook is set up."
  const Reply conflict = w.bot("getUpdates");
  EXPECT_EQ(conflict.status, 409);
  EXPECT_EQ(conflict.body["description"], "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
  // "#getwebhookinfo": WebhookInfo with url and pending_update_count.
  const Reply info = w.bot("getWebhookInfo");
  EXPECT_EQ(info.body["result"]["url"], receiver.url());
  EXPECT_TRUE(info.body["result"]["pending_update_count"].is_number_integer());
  EXPECT_EQ(w.bot("setWebhook", {{"url", receiver.url()}, {"secret_token", "bad secret!"}}).body["description"],
            "Bad Request: secret token contains unallowed characters");
}

TEST(FakeWorldWebhook, FailedDeliveriesAreRetriedAndReported) {
  WorldFixture w;
  w.populate();
  w.control("/control/settings", {{"webhook_retry_ms", 50}});
  Receiver receiver;
  receiver.fail_next(1);
  w.bot("setWebhook", {{"url", receiver.url()}, {"drop_pending_updates", true}});
  w.curator_sends({{"text", "retry me"}});
  const auto bodies = receiver.wait_for(2);
  ASSERT_EQ(bodies.size(), 2U);
  EXPECT_EQ(bodies[0], bodies[1]) << "the same update is sent again";
  // "#webhookinfo": last_error_date and last_error_message describe the most recent error.
  const Reply info = w.bot("getWebhookInfo");
  EXPECT_EQ(info.body["result"]["last_error_message"], "Wrong response from the webhook: 500");
  EXPECT_TRUE(info.body["result"]["last_error_date"].is_number_integer());
}

TEST(FakeWorldWebhook, DeleteWebhookRestoresGetUpdatesAndCanDropPending) {
  WorldFixture w;
  w.populate();
  w.bot("setWebhook", {{"url", "http://127.0.0.1:1/unreachable"}});
  w.curator_sends({{"text", "pending"}});
  // "#deletewebhook": "Returns True on success."; drop_pending_updates "to drop all pending updates".
  const Reply deleted = w.bot("deleteWebhook", {{"drop_pending_updates", true}});
  EXPECT_EQ(deleted.body["result"], true);
  const Reply updates = w.bot("getUpdates");
  EXPECT_EQ(updates.status, 200);
  EXPECT_TRUE(updates.body["result"].empty());
  EXPECT_EQ(w.bot("getWebhookInfo").body["result"]["url"], "");
}

}  // namespace
}  // namespace fake_world::testing
