// Acceptance, issue 5: the storage quota. At 100% nothing is uploaded, the curator is
// told why and what to do, and the message is remembered (deferred_messages). Once
// there is room again — space freed in the bucket, or a bigger quota after a restart —
// the remembered message is archived without the curator doing anything, and the
// curator gets its receipt.
#include <gtest/gtest.h>

#include "e2e/archive_checks.hpp"
#include "e2e/bot_fixture.hpp"

namespace teltubby::e2e {
namespace {

const std::string kCurator = "alice-curator";
const std::string kFillerKey = "filler/occupied.bin";
constexpr std::uint64_t kQuota = 64 * 1024;

class BotQuota : public BotFixture {
 protected:
  // A bucket already full: one object of exactly the quota's size.
  void fill_bucket() {
    // The admins' quota warnings (80%, 95%) come in between the curator's replies.
    skipped_reply_prefixes_.push_back("⚠️ Storage is above");
    auto ensured = s3().ensure_bucket();
    ASSERT_TRUE(ensured) << ensured.error().describe();
    auto put = s3().put_object(kFillerKey, std::string(kQuota, 'x'), "application/octet-stream");
    ASSERT_TRUE(put) << put.error().describe();
  }

  // Sends a document while the quota is full; checks the pause and returns its sent message.
  Json send_while_full() {
    const Json sent =
        send_as_curator(Json{{"kind", "document"},
                             {"date", kMessageDate},
                             {"file", {{"size", 30000}, {"seed", 81}, {"file_name", "later.pdf"}}}});
    EXPECT_TRUE(reply_is(next_reply(), bot::render_quota_paused()));
    EXPECT_EQ(object_keys(), std::vector<std::string>{kFillerKey}) << "nothing may be uploaded at 100%";
    EXPECT_EQ(count_rows("messages"), 0);
    EXPECT_EQ(count_rows("files"), 0);
    EXPECT_EQ(count_rows("deferred_messages"), 1);
    return sent;
  }

  // The remembered message arrives in the archive; the curator's receipt says it was waiting.
  void expect_archived_after_waiting(const Json& sent) {
    const BotReply reply = next_reply(90s);
    const std::int64_t id = bot_message_id(sent);
    const std::string base = folder(kCurator, id);
    const std::string key = base + file_name(kCurator, kCurator, id, 1, "pdf");
    const auto keys = object_keys(base);
    EXPECT_EQ(keys, (std::vector<std::string>{key, base + "message.json"}));
    const Json json = message_json(base);
    ASSERT_EQ(json["telegram"].value("items", Json::array()).size(), 1u);
    expect_item(
        *this, json["telegram"]["items"][0],
        ExpectedItem{1, "document", "application/pdf", 30000, "later.pdf", sent_file_unique_id(sent), key});
    EXPECT_EQ(count_rows("deferred_messages"), 0) << "an archived message is no longer deferred";
    EXPECT_EQ(count_rows("messages"), 1);
    bot::IngestOutcome outcome;
    outcome.base_path = base;
    outcome.archived_after_deferral = true;
    outcome.items = {item_outcome(1, bot::MediaType::document, bot::ItemStatus::stored, 30000, key)};
    EXPECT_TRUE(reply_is(reply, expected_receipt(outcome)));
  }
};

TEST_F(BotQuota, FullBucketPausesAndFreedSpaceArchivesTheDeferredMessage) {
  fill_bucket();
  settings_.quota_bytes = kQuota;
  // Re-list the bucket every second so freed space is noticed quickly.
  settings_.extra["S3_QUOTA_RELIST_SECONDS"] = "1";
  start_bot();
  const Json sent = send_while_full();
  // Space frees up outside teltubby (an operator deletes something).
  auto deleted = s3().delete_object(kFillerKey);
  ASSERT_TRUE(deleted) << deleted.error().describe();
  expect_archived_after_waiting(sent);
}

TEST_F(BotQuota, RaisedQuotaAfterRestartArchivesTheDeferredMessage) {
  fill_bucket();
  settings_.quota_bytes = kQuota;
  start_bot();
  const Json sent = send_while_full();
  ASSERT_EQ(stop_bot(), std::optional<int>{0});
  // The operator raises the quota; the deferred message is in the database.
  settings_.quota_bytes = 10 * kQuota;
  start_bot();
  expect_archived_after_waiting(sent);
  const auto keys = object_keys();
  EXPECT_TRUE(std::ranges::find(keys, kFillerKey) != keys.end()) << "the bot deletes nothing";
}

}  // namespace
}  // namespace teltubby::e2e
