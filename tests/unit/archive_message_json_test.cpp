// message.json schema 1.1 (DESIGN.md section 4): build, parse, round trip, update_item.
#include <gtest/gtest.h>

#include <string>

#include "archive/message_json.hpp"

namespace teltubby::archive {
namespace {

using nlohmann::json;
using std::chrono::sys_seconds;

constexpr sys_seconds kMessageTime{std::chrono::seconds{1795873445}};  // 2026-11-28T13:44:05Z
constexpr sys_seconds kArchiveTime{std::chrono::seconds{1795873447}};  // 2026-11-28T13:44:07Z
const std::string kSha(64, 'a');

ItemRecord stored_item(int ordinal) {
  ItemRecord item;
  item.ordinal = ordinal;
  item.type = MediaType::photo;
  item.mime_type = "image/jpeg";
  item.size_bytes = 1000 * ordinal;
  item.width = 1280;
  item.height = 720;
  item.file_id = "AgACAgIAAxkBAAI" + std::to_string(ordinal);
  item.file_unique_id = "AQADunique" + std::to_string(ordinal);
  item.sha256 = kSha;
  item.s3_key = "teltubby/2026/11/news/1000/item" + std::to_string(ordinal) + ".jpg";
  item.status = ItemStatus::stored;
  return item;
}

// An album of four: stored, duplicate (of an earlier object), queued, skipped; given
// out of ordinal order on purpose.
MessageRecord album() {
  MessageRecord record;
  record.archive_time = kArchiveTime;
  record.message_time = kMessageTime;
  record.bucket = "archive";
  record.base_path = "teltubby/2026/11/news/1000/";
  record.notes = "album of 4";
  record.duplicate_of = "teltubby/2026/10/other/7/old.jpg";
  record.dedup_reason = DedupReason::sha256;
  auto& telegram = record.telegram;
  telegram.message_id = 1000;
  telegram.media_group_id = "13579246801357924";
  telegram.chat_id = 111;
  telegram.chat_title = std::nullopt;
  telegram.chat_username = "curator_one";
  telegram.sender_id = 111;
  telegram.sender_username = "curator_one";
  telegram.forward_origin = json{{"type", "channel"},
                                 {"chat", {{"id", -1001006503122}, {"title", "Новости"}}},
                                 {"message_id", 77},
                                 {"date", 1795870000}};
  telegram.caption_plain = "Привет, мир!";
  telegram.caption_entities = json::array({{{"type", "bold"}, {"offset", 0}, {"length", 6}}});
  telegram.extras = json{{"link_preview_options", {{"is_disabled", true}}}};

  auto skipped = stored_item(4);
  skipped.status = ItemStatus::skipped;
  skipped.s3_key.reset();
  skipped.sha256.reset();
  skipped.skipped_reason = "exceeds_max_file_gb";
  auto queued = stored_item(3);
  queued.type = MediaType::video;
  queued.mime_type = "video/mp4";
  queued.size_bytes = 3'000'000'000;
  queued.status = ItemStatus::queued;
  queued.s3_key.reset();
  queued.sha256.reset();
  queued.skipped_reason = "queued_large_file";
  queued.job_id = "5d0f6a8e-2c1b-4b7e-9a53-0f3b1c2d4e5f";
  auto duplicate = stored_item(2);
  duplicate.status = ItemStatus::duplicate;
  duplicate.s3_key = "teltubby/2026/10/other/7/old.jpg";
  telegram.items = {skipped, stored_item(1), queued, duplicate};
  return record;
}

json built(const MessageRecord& record) {
  auto document = build_message_json(record);
  EXPECT_TRUE(document.has_value()) << (document ? "" : document.error().describe());
  return document.value_or(json());
}

TEST(MessageJson, HasEveryFieldWithTheRightType) {
  const json doc = built(album());
  EXPECT_EQ(doc.at("schema_version"), "1.1");
  EXPECT_EQ(doc.at("archive_timestamp_utc"), "2026-11-28T13:44:07Z");
  EXPECT_EQ(doc.at("message_timestamp_utc"), "2026-11-28T13:44:05Z");
  EXPECT_EQ(doc.at("bucket"), "archive");
  EXPECT_EQ(doc.at("base_path"), "teltubby/2026/11/news/1000/");
  EXPECT_TRUE(doc.at("files_count").is_number_integer());
  EXPECT_TRUE(doc.at("total_bytes_uploaded").is_number_integer());
  EXPECT_TRUE(doc.at("keys").is_array());
  EXPECT_EQ(doc.at("duplicate_of"), "teltubby/2026/10/other/7/old.jpg");
  EXPECT_EQ(doc.at("dedup_reason"), "sha256");
  EXPECT_EQ(doc.at("notes"), "album of 4");
  EXPECT_EQ(doc.size(), 12u) << doc.dump(2);

  const json& telegram = doc.at("telegram");
  EXPECT_EQ(telegram.at("message_id"), "1000");
  EXPECT_EQ(telegram.at("media_group_id"), "13579246801357924");
  EXPECT_EQ(telegram.at("chat_id"), "111");
  EXPECT_TRUE(telegram.at("chat_title").is_null());
  EXPECT_EQ(telegram.at("chat_username"), "curator_one");
  EXPECT_EQ(telegram.at("sender_id"), "111");
  EXPECT_EQ(telegram.at("sender_username"), "curator_one");
  EXPECT_EQ(telegram.at("forward_origin").at("chat").at("title"), "Новости");
  EXPECT_EQ(telegram.at("caption_plain"), "Привет, мир!");
  EXPECT_EQ(telegram.at("caption_entities").size(), 1u);
  EXPECT_TRUE(telegram.at("entities").is_array());
  EXPECT_EQ(telegram.at("extras").at("link_preview_options").at("is_disabled"), true);
  EXPECT_EQ(telegram.size(), 13u) << telegram.dump(2);

  const json& item = telegram.at("items").at(0);
  EXPECT_EQ(item.at("ordinal"), 1);
  EXPECT_EQ(item.at("type"), "photo");
  EXPECT_EQ(item.at("mime_type"), "image/jpeg");
  EXPECT_EQ(item.at("size_bytes"), 1000);
  EXPECT_EQ(item.at("width"), 1280);
  EXPECT_EQ(item.at("height"), 720);
  EXPECT_TRUE(item.at("duration").is_null());
  EXPECT_EQ(item.at("file_id"), "AgACAgIAAxkBAAI1");
  EXPECT_EQ(item.at("file_unique_id"), "AQADunique1");
  EXPECT_TRUE(item.at("original_filename").is_null());
  EXPECT_EQ(item.at("sha256"), kSha);
  EXPECT_EQ(item.at("s3_key"), "teltubby/2026/11/news/1000/item1.jpg");
  EXPECT_EQ(item.at("status"), "stored");
  EXPECT_TRUE(item.at("skipped_reason").is_null());
  EXPECT_TRUE(item.at("job_id").is_null());
  EXPECT_EQ(item.size(), 15u) << item.dump(2);
}

TEST(MessageJson, OrdersItemsAndKeysByOrdinal) {
  const json doc = built(album());
  const json& items = doc.at("telegram").at("items");
  ASSERT_EQ(items.size(), 4u);
  for (int i = 0; i < 4; ++i) EXPECT_EQ(items.at(static_cast<std::size_t>(i)).at("ordinal"), i + 1);
  EXPECT_EQ(items.at(2).at("status"), "queued");
  EXPECT_EQ(items.at(2).at("job_id"), "5d0f6a8e-2c1b-4b7e-9a53-0f3b1c2d4e5f");
  EXPECT_EQ(items.at(3).at("status"), "skipped");
  EXPECT_EQ(items.at(3).at("skipped_reason"), "exceeds_max_file_gb");
  EXPECT_EQ(doc.at("keys"),
            json::array({"teltubby/2026/11/news/1000/item1.jpg", "teltubby/2026/10/other/7/old.jpg"}));
}

TEST(MessageJson, ComputesCountsFromTheItems) {
  const json doc = built(album());
  EXPECT_EQ(doc.at("files_count"), 2);              // stored + duplicate
  EXPECT_EQ(doc.at("total_bytes_uploaded"), 1000);  // only the stored one uploaded bytes
}

TEST(MessageJson, WritesNullsForAPlainCopyWithoutDedup) {
  auto record = album();
  record.duplicate_of.reset();
  record.dedup_reason.reset();
  record.notes.reset();
  record.telegram.forward_origin = nullptr;
  record.telegram.media_group_id.reset();
  record.telegram.sender_id.reset();
  record.telegram.caption_plain.reset();
  const json doc = built(record);
  EXPECT_TRUE(doc.at("duplicate_of").is_null());
  EXPECT_TRUE(doc.at("dedup_reason").is_null());
  EXPECT_TRUE(doc.at("notes").is_null());
  EXPECT_TRUE(doc.at("telegram").at("forward_origin").is_null());
  EXPECT_TRUE(doc.at("telegram").at("media_group_id").is_null());
  EXPECT_TRUE(doc.at("telegram").at("sender_id").is_null());
  EXPECT_TRUE(doc.at("telegram").at("caption_plain").is_null());
}

TEST(MessageJson, RoundTripsThroughText) {
  const json doc = built(album());
  const auto parsed = parse_message_json(json::parse(doc.dump()));
  ASSERT_TRUE(parsed) << parsed.error().describe();
  EXPECT_EQ(built(*parsed), doc);
  EXPECT_EQ(parsed->telegram.items.front().ordinal, 1);
  EXPECT_EQ(parsed->telegram.chat_id, 111);
  EXPECT_EQ(parsed->message_time, kMessageTime);
}

TEST(MessageJson, RoundTripsNegativeAndLargeIds) {
  auto record = album();
  record.telegram.chat_id = -1001006503122;
  record.telegram.message_id = 2147483647;
  record.telegram.sender_id = 9007199254740993;  // not representable as a double
  const json doc = built(record);
  EXPECT_EQ(doc.at("telegram").at("chat_id"), "-1001006503122");
  EXPECT_EQ(doc.at("telegram").at("sender_id"), "9007199254740993");
  const auto parsed = parse_message_json(doc);
  ASSERT_TRUE(parsed) << parsed.error().describe();
  EXPECT_EQ(parsed->telegram.sender_id, 9007199254740993);
}

TEST(MessageJson, RefusesInconsistentRecords) {
  auto record = album();
  record.telegram.items[1].ordinal = 4;  // same as the skipped item
  EXPECT_EQ(build_message_json(record).error().message, "telegram.items[1].ordinal: is used twice");

  record = album();
  record.telegram.items[1].s3_key.reset();  // stored without a key
  EXPECT_EQ(build_message_json(record).error().message,
            "telegram.items[1].s3_key: required when status is stored or duplicate");

  record = album();
  record.telegram.items[2].job_id.reset();  // queued without a job
  EXPECT_FALSE(build_message_json(record));

  record = album();
  record.telegram.items[0].skipped_reason.reset();  // skipped without a reason
  EXPECT_FALSE(build_message_json(record));

  record = album();
  record.telegram.items[1].sha256 = "ABC";
  EXPECT_FALSE(build_message_json(record));

  record = album();
  record.dedup_reason.reset();  // duplicate_of without its reason
  EXPECT_FALSE(build_message_json(record));

  record = album();
  record.telegram.extras = json::array();
  EXPECT_FALSE(build_message_json(record));

  record = album();
  record.message_time = sys_seconds{std::chrono::seconds{-10}};
  EXPECT_EQ(build_message_json(record).error().code, "message_json.invalid");
}

TEST(MessageJson, ParserNamesTheFieldItRejects) {
  const json good = built(album());
  const auto rejects = [&](const json& doc, const std::string& message) {
    const auto parsed = parse_message_json(doc);
    ASSERT_FALSE(parsed) << doc.dump();
    EXPECT_EQ(parsed.error().kind, ErrorKind::invalid_input);
    EXPECT_EQ(parsed.error().message, message);
  };
  json doc = good;
  doc["schema_version"] = "1.0";
  rejects(doc, "schema_version: must be \"1.1\", got \"1.0\"");
  doc = good;
  doc.erase("bucket");
  rejects(doc, "bucket: missing");
  doc = good;
  doc["telegram"]["chat_id"] = 111;
  rejects(doc, "telegram.chat_id: must be a string or null");
  doc = good;
  doc["telegram"]["message_id"] = "12abc";
  rejects(doc, "telegram.message_id: must be a decimal id in a string");
  doc = good;
  doc["telegram"]["items"][1]["status"] = "lost";
  rejects(doc, "telegram.items[1].status: must be one of stored|duplicate|skipped|queued|failed");
  doc = good;
  doc["telegram"]["items"][0]["type"] = "hologram";
  rejects(doc, "telegram.items[0].type: unknown media type 'hologram'");
  doc = good;
  doc["telegram"]["items"][0].erase("job_id");
  rejects(doc, "telegram.items[0].job_id: missing");
  doc = good;
  doc["telegram"]["items"][0]["size_bytes"] = 1.5;
  rejects(doc, "telegram.items[0].size_bytes: must be an integer or null");
  doc = good;
  doc["message_timestamp_utc"] = "2026-11-28 13:44:05";
  rejects(doc, "message_timestamp_utc: must be an ISO-8601 UTC time like 2026-11-28T13:44:00Z");
  doc = good;
  doc["archive_timestamp_utc"] = "2026-02-30T00:00:00Z";
  rejects(doc, "archive_timestamp_utc: must be an ISO-8601 UTC time like 2026-11-28T13:44:00Z");
  doc = good;
  doc["files_count"] = 3;
  rejects(doc, "files_count: does not match the number of archived items");
  doc = good;
  doc["total_bytes_uploaded"] = 0;
  rejects(doc, "total_bytes_uploaded: does not match the sum of stored items' sizes");
  doc = good;
  doc["keys"] = json::array();
  rejects(doc, "keys: does not match the items' keys in ordinal order");
  doc = good;
  doc["dedup_reason"] = "md5";
  rejects(doc, "dedup_reason: must be file_unique_id, sha256 or null");
  rejects(json::array(), "(document): must be a JSON object");
}

TEST(MessageJson, AcceptsFractionalSecondsButWritesWholeOnes) {
  json doc = built(album());
  doc["archive_timestamp_utc"] = "2026-11-28T13:44:07.250Z";
  const auto parsed = parse_message_json(doc);
  ASSERT_TRUE(parsed) << parsed.error().describe();
  EXPECT_EQ(built(*parsed).at("archive_timestamp_utc"), "2026-11-28T13:44:07Z");
}

TEST(UpdateItem, MarksAQueuedItemStoredAndRecomputesTotals) {
  const json before = built(album());
  ItemUpdate update;
  update.status = ItemStatus::stored;
  update.sha256 = std::string(64, 'b');
  update.s3_key = "teltubby/2026/11/news/1000/big.mp4";
  update.size_bytes = 3'000'000'001;
  const sys_seconds later = kArchiveTime + std::chrono::hours{1};
  const auto after = update_item(before, 3, update, later);
  ASSERT_TRUE(after) << after.error().describe();

  const json& item = after->at("telegram").at("items").at(2);
  EXPECT_EQ(item.at("status"), "stored");
  EXPECT_EQ(item.at("s3_key"), "teltubby/2026/11/news/1000/big.mp4");
  EXPECT_EQ(item.at("sha256"), std::string(64, 'b'));
  EXPECT_EQ(item.at("size_bytes"), 3'000'000'001);
  EXPECT_TRUE(item.at("skipped_reason").is_null()) << "no longer skipped or queued";
  EXPECT_EQ(item.at("job_id"), "5d0f6a8e-2c1b-4b7e-9a53-0f3b1c2d4e5f") << "the job stays traceable";
  EXPECT_EQ(after->at("keys"),
            json::array({"teltubby/2026/11/news/1000/item1.jpg", "teltubby/2026/10/other/7/old.jpg",
                         "teltubby/2026/11/news/1000/big.mp4"}));
  EXPECT_EQ(after->at("files_count"), 3);
  EXPECT_EQ(after->at("total_bytes_uploaded"), 1000 + 3'000'000'001LL);
  EXPECT_EQ(after->at("archive_timestamp_utc"), "2026-11-28T14:44:07Z");

  // Everything else is as it was.
  json expected_rest = before;
  json actual_rest = *after;
  for (json* doc : {&expected_rest, &actual_rest}) {
    for (const char* derived : {"keys", "files_count", "total_bytes_uploaded", "archive_timestamp_utc"}) {
      doc->erase(derived);
    }
    (*doc)["telegram"]["items"].erase(2);
  }
  EXPECT_EQ(actual_rest, expected_rest);
  EXPECT_TRUE(parse_message_json(*after)) << "the rewritten document is valid";
}

TEST(UpdateItem, RecordsAFailureWithItsReason) {
  ItemUpdate update;
  update.status = ItemStatus::failed;
  update.skipped_reason = "download_size_mismatch";
  const auto after = update_item(built(album()), 3, update, kArchiveTime);
  ASSERT_TRUE(after) << after.error().describe();
  const json& item = after->at("telegram").at("items").at(2);
  EXPECT_EQ(item.at("status"), "failed");
  EXPECT_EQ(item.at("skipped_reason"), "download_size_mismatch");
  EXPECT_TRUE(item.at("s3_key").is_null());
  EXPECT_EQ(after->at("files_count"), 2);
}

TEST(UpdateItem, SetsTopLevelDedupForADuplicateFoundByTheWorker) {
  auto record = album();
  record.duplicate_of.reset();
  record.dedup_reason.reset();
  ItemUpdate update;
  update.status = ItemStatus::duplicate;
  update.s3_key = "teltubby/2025/01/x/1/first.mp4";
  update.duplicate_of = "teltubby/2025/01/x/1/first.mp4";
  update.dedup_reason = DedupReason::file_unique_id;
  const auto after = update_item(built(record), 3, update, kArchiveTime);
  ASSERT_TRUE(after) << after.error().describe();
  EXPECT_EQ(after->at("duplicate_of"), "teltubby/2025/01/x/1/first.mp4");
  EXPECT_EQ(after->at("dedup_reason"), "file_unique_id");
  EXPECT_EQ(after->at("total_bytes_uploaded"), 1000) << "a duplicate uploads nothing";
}

TEST(UpdateItem, ReportsAnUnknownOrdinal) {
  const auto result = update_item(built(album()), 9, ItemUpdate{}, kArchiveTime);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::not_found);
  EXPECT_EQ(result.error().code, "message_json.no_item");
}

TEST(UpdateItem, RefusesAnUpdateThatLeavesTheItemInvalid) {
  ItemUpdate update;
  update.status = ItemStatus::stored;  // but no s3_key for the queued item
  const auto result = update_item(built(album()), 3, update, kArchiveTime);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().message, "telegram.items[2].s3_key: required when status is stored or duplicate");
}

TEST(UpdateItem, RefusesACorruptDocument) {
  EXPECT_FALSE(update_item(json{{"schema_version", "1.1"}}, 1, ItemUpdate{}, kArchiveTime));
  EXPECT_FALSE(update_item(json("not an object"), 1, ItemUpdate{}, kArchiveTime));
}

}  // namespace
}  // namespace teltubby::archive
