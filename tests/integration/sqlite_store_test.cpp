// SqliteStore: dedup index, messages, settings, deferred messages, maintenance.
#include <gtest/gtest.h>

#include "store_fixture.hpp"

namespace teltubby::store {
namespace {

using namespace std::chrono_literals;
using testing::StoreTest;
using testing::unwrap;

FileRecord file(const std::string& sha256, const std::string& key, std::int64_t size = 1234) {
  return FileRecord{sha256, key, size, "image/jpeg", {}};
}

TEST_F(StoreTest, FindsARecordedFileByUniqueIdAndBySha256) {
  auto recorded = store_.record_file(file(sha_of(1), "teltubby/2026/05/a/1/x.jpg"), "AgADuniq1");
  ASSERT_TRUE(recorded.has_value()) << recorded.error().describe();
  EXPECT_EQ(recorded->created_at, now_);

  auto by_unique_id = store_.find_file_by_unique_id("AgADuniq1");
  ASSERT_TRUE(by_unique_id.has_value());
  ASSERT_TRUE(by_unique_id->has_value());
  EXPECT_EQ(**by_unique_id, *recorded);
  auto by_sha = store_.find_file_by_sha256(sha_of(1));
  ASSERT_TRUE(by_sha.has_value());
  EXPECT_EQ(*by_sha, *recorded);
}

TEST_F(StoreTest, UnknownFilesAreEmptyNotErrors) {
  EXPECT_EQ(unwrap(store_.find_file_by_unique_id("AgADnone")), std::optional<FileRecord>{});
  EXPECT_EQ(unwrap(store_.find_file_by_sha256(sha_of(9))), std::optional<FileRecord>{});
}

TEST_F(StoreTest, RecordingTheSameContentAgainKeepsTheFirstKey) {
  ASSERT_TRUE(store_.record_file(file(sha_of(1), "first/key.jpg"), "AgADfirst").has_value());
  advance(5s);
  auto second = store_.record_file(file(sha_of(1), "second/key.jpg"), "AgADsecond");
  ASSERT_TRUE(second.has_value()) << second.error().describe();
  EXPECT_EQ(second->s3_key, "first/key.jpg");
  EXPECT_EQ(second->created_at, now_ - 5s);
  // The second unique id now leads to the first object too.
  auto via_second = store_.find_file_by_unique_id("AgADsecond");
  ASSERT_TRUE(via_second.has_value() && via_second->has_value());
  EXPECT_EQ((*via_second)->s3_key, "first/key.jpg");
}

TEST_F(StoreTest, MappingAnIdToUnrecordedContentFails) {
  auto mapped = store_.map_unique_id("AgADx", sha_of(7));
  ASSERT_FALSE(mapped.has_value());
  EXPECT_EQ(mapped.error().code, "store.unknown_file");
}

TEST_F(StoreTest, MappingIsIdempotentButRefusesToRepointAnId) {
  ASSERT_TRUE(store_.record_file(file(sha_of(1), "a.jpg"), std::nullopt).has_value());
  ASSERT_TRUE(store_.record_file(file(sha_of(2), "b.jpg"), std::nullopt).has_value());
  ASSERT_TRUE(store_.map_unique_id("AgADx", sha_of(1)).has_value());
  EXPECT_TRUE(store_.map_unique_id("AgADx", sha_of(1)).has_value());
  auto repointed = store_.map_unique_id("AgADx", sha_of(2));
  ASSERT_FALSE(repointed.has_value());
  EXPECT_EQ(repointed.error().code, "store.unique_id_conflict");
  EXPECT_EQ((*store_.find_file_by_unique_id("AgADx"))->s3_key, "a.jpg");
}

TEST_F(StoreTest, RejectsMalformedFileInput) {
  auto upper = store_.record_file(file(std::string(64, 'A'), "k"), std::nullopt);
  ASSERT_FALSE(upper.has_value());
  EXPECT_EQ(upper.error().code, "store.invalid");
  EXPECT_EQ(store_.record_file(file(sha_of(1), ""), std::nullopt).error().code, "store.invalid");
  EXPECT_EQ(store_.record_file(file(sha_of(1), "k", -1), std::nullopt).error().code, "store.invalid");
  EXPECT_EQ(store_.find_file_by_sha256("abc").error().code, "store.invalid");
  EXPECT_EQ(store_.find_file_by_unique_id("").error().code, "store.invalid");
  EXPECT_EQ(store_.record_file(file(sha_of(1), std::string("a\0b", 3)), std::nullopt).error().code,
            "store.invalid");
}

TEST_F(StoreTest, RecordsAndUpdatesAMessageKeepingItsCreationTime) {
  MessageRecord message{
      -100123, 42, "album-7", "teltubby/2026/05/chat/42/", "teltubby/2026/05/chat/42/message.json", {}};
  ASSERT_TRUE(store_.record_message(message).has_value());
  advance(1min);
  message.json_key = "teltubby/2026/05/chat/42/message-v2.json";
  ASSERT_TRUE(store_.record_message(message).has_value());

  auto found = store_.find_message(-100123, 42);
  ASSERT_TRUE(found.has_value() && found->has_value());
  EXPECT_EQ((*found)->json_key, "teltubby/2026/05/chat/42/message-v2.json");
  EXPECT_EQ((*found)->media_group_id, "album-7");
  EXPECT_EQ((*found)->created_at, now_ - 1min);
  EXPECT_EQ(unwrap(store_.find_message(-100123, 43)), std::optional<MessageRecord>{});
}

TEST_F(StoreTest, SettingsReadBackTheLastValue) {
  EXPECT_EQ(unwrap(store_.get_value("telegram.offset")), std::optional<std::string>{});
  ASSERT_TRUE(store_.set_value("telegram.offset", "100").has_value());
  ASSERT_TRUE(store_.set_value("telegram.offset", "101").has_value());
  EXPECT_EQ(unwrap(store_.get_value("telegram.offset")), std::optional<std::string>("101"));
  EXPECT_EQ(store_.set_value("", "x").error().code, "store.invalid");
}

TEST_F(StoreTest, DeferredMessagesComeBackWhenDueOldestFirst) {
  DeferredMessage first{0, 1, 10, "quota_exceeded", R"({"update_id":1})", {}, 0, now_};
  DeferredMessage later{0, 1, 11, "quota_exceeded", R"({"update_id":2})", {}, 0, now_ + 10min};
  auto first_id = store_.add_deferred(first);
  auto later_id = store_.add_deferred(later);
  ASSERT_TRUE(first_id.has_value() && later_id.has_value());
  EXPECT_EQ(store_.add_deferred(first), *first_id);  // deferring the same message again
  auto everything = store_.list_deferred(0);  // start-up recovery sees rows not yet due too
  ASSERT_TRUE(everything.has_value());
  ASSERT_EQ(everything->size(), 2u);
  EXPECT_EQ((*everything)[1].id, *later_id);

  auto due = store_.list_due_deferred(0);
  ASSERT_TRUE(due.has_value());
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ(due->front().payload, R"({"update_id":1})");
  EXPECT_EQ(due->front().id, *first_id);

  ASSERT_TRUE(store_.mark_deferred_attempt(*first_id, now_ + 20min).has_value());
  advance(15min);
  due = store_.list_due_deferred(0);
  ASSERT_TRUE(due.has_value());
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ(due->front().id, *later_id);

  advance(10min);
  due = store_.list_due_deferred(0);
  ASSERT_EQ(due->size(), 2u);
  EXPECT_EQ((*due)[0].id, *first_id);
  EXPECT_EQ((*due)[0].attempts, 1);
  EXPECT_EQ(store_.list_due_deferred(1)->size(), 1u);

  ASSERT_TRUE(store_.remove_deferred(*first_id).has_value());
  EXPECT_TRUE(store_.remove_deferred(*first_id).has_value());
  EXPECT_EQ(store_.list_due_deferred(0)->size(), 1u);
  EXPECT_EQ(store_.mark_deferred_attempt(*first_id, now_).error().code, "deferred.not_found");
}

TEST_F(StoreTest, DeferredPayloadMustBeJson) {
  auto added = store_.add_deferred(DeferredMessage{0, 1, 10, "quota_exceeded", "{not json", {}, 0, now_});
  ASSERT_FALSE(added.has_value());
  EXPECT_EQ(added.error().code, "store.invalid");
}

TEST_F(StoreTest, MaintenanceVacuumsAndReportsOk) {
  ASSERT_TRUE(store_.record_file(file(sha_of(1), "a.jpg"), "AgADa").has_value());
  EXPECT_TRUE(store_.vacuum().has_value());
  EXPECT_EQ(store_.integrity_check(), std::string("ok"));
}

}  // namespace
}  // namespace teltubby::store
