// The job message validator: every field missing or wrongly typed, unknown priority,
// oversize, non-UTF-8 and bad uuid are refused with an error naming the field.
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "queue/job_message.hpp"
#include "queue/text.hpp"

namespace teltubby::queue {
namespace {

using nlohmann::json;

json valid_json() {
  return json::parse(R"({
    "job_id": "3f2b8c1e-9a4d-4e7f-8b21-0c5d6e7f8a9b",
    "user_id": "123456789",
    "chat_id": -1001234567890,
    "message_id": 42,
    "file_info": {"file_id": "BQACAgIAAxkBAAIB", "file_unique_id": "AgADxQ", "file_size": 125829120,
                  "file_type": "document", "file_name": "big.iso", "mime_type": "application/octet-stream"},
    "telegram_context": {"forward_origin": {"type": "channel", "chat": {"id": -100987, "username": "news"}},
                         "caption": "Нова версія", "entities": [{"type": "bold", "offset": 0, "length": 4}],
                         "media_group_id": null},
    "job_metadata": {"created_at": "2026-11-28T13:44:00Z", "priority": "urgent", "retry_count": 0,
                     "max_retries": 3, "estimated_duration": 25},
    "archive": {"base_path": "2026/11/news/20261128-134400_nova-versiia",
                "s3_key": "2026/11/news/20261128-134400_nova-versiia/001.iso", "ordinal": 1}
  })");
}

Error parse_error(const json& document) {
  auto parsed = parse_job_message(document.dump());
  EXPECT_FALSE(parsed.has_value()) << document.dump();
  return parsed ? Error{} : parsed.error();
}

TEST(JobMessage, ParsesTheSpecExampleWithNumericAndStringIds) {
  auto parsed = parse_job_message(valid_json().dump());
  ASSERT_TRUE(parsed.has_value()) << parsed.error().describe();
  EXPECT_EQ(parsed->user_id, 123456789);
  EXPECT_EQ(parsed->chat_id, -1001234567890);
  EXPECT_EQ(parsed->message_id, 42);
  EXPECT_EQ(parsed->file_info.file_size, 125829120);
  EXPECT_EQ(parsed->job_metadata.priority, JobPriority::urgent);
  EXPECT_EQ(parsed->job_metadata.estimated_duration, 25);
  EXPECT_EQ(parsed->telegram_context.caption, "Нова версія");
  EXPECT_FALSE(parsed->telegram_context.media_group_id.has_value());
  EXPECT_EQ(parsed->archive.ordinal, 1);
}

TEST(JobMessage, RoundTripsThroughSerializeWithIdsAsStrings) {
  auto parsed = parse_job_message(valid_json().dump());
  ASSERT_TRUE(parsed.has_value());
  const std::string body = serialize(*parsed);
  const json emitted = json::parse(body);
  EXPECT_EQ(emitted["chat_id"], "-1001234567890");
  EXPECT_EQ(emitted["user_id"], "123456789");
  auto again = parse_job_message(body);
  ASSERT_TRUE(again.has_value()) << again.error().describe();
  EXPECT_EQ(*again, *parsed);
}

TEST(JobMessage, IgnoresUnknownFields) {
  json document = valid_json();
  document["added_by_a_newer_bot"] = {1, 2, 3};
  EXPECT_TRUE(parse_job_message(document.dump()).has_value());
}

// Every required field, removed one at a time, is named in the error.
TEST(JobMessage, NamesEachMissingRequiredField) {
  const std::vector<std::vector<std::string>> required = {{"job_id"},
                                                          {"user_id"},
                                                          {"chat_id"},
                                                          {"message_id"},
                                                          {"file_info"},
                                                          {"file_info", "file_id"},
                                                          {"file_info", "file_unique_id"},
                                                          {"file_info", "file_size"},
                                                          {"file_info", "file_type"},
                                                          {"telegram_context"},
                                                          {"job_metadata"},
                                                          {"job_metadata", "created_at"},
                                                          {"job_metadata", "priority"},
                                                          {"job_metadata", "retry_count"},
                                                          {"job_metadata", "max_retries"},
                                                          {"archive"},
                                                          {"archive", "base_path"},
                                                          {"archive", "s3_key"},
                                                          {"archive", "ordinal"}};
  for (const auto& path : required) {
    json document = valid_json();
    json* parent = &document;
    for (std::size_t i = 0; i + 1 < path.size(); ++i) parent = &(*parent)[path[i]];
    parent->erase(path.back());
    std::string dotted = path[0];
    for (std::size_t i = 1; i < path.size(); ++i) dotted += "." + path[i];
    const Error error = parse_error(document);
    EXPECT_EQ(error.kind, ErrorKind::invalid_input);
    EXPECT_EQ(error.code, "job_message.invalid");
    EXPECT_EQ(error.message, dotted + ": missing") << dotted;
  }
}

TEST(JobMessage, OptionalFieldsMayBeAbsentOrNull) {
  json document = valid_json();
  document["file_info"].erase("file_name");
  document["file_info"]["mime_type"] = nullptr;
  document["telegram_context"] = json::object();
  document["job_metadata"].erase("estimated_duration");
  auto parsed = parse_job_message(document.dump());
  ASSERT_TRUE(parsed.has_value()) << parsed.error().describe();
  EXPECT_FALSE(parsed->file_info.file_name.has_value());
  EXPECT_TRUE(parsed->telegram_context.entities.is_array());
  EXPECT_TRUE(parsed->telegram_context.forward_origin.is_null());
}

struct WrongType {
  std::vector<std::string> path;
  json value;
};

TEST(JobMessage, NamesEachWronglyTypedField) {
  const std::vector<WrongType> cases = {
      {{"job_id"}, 7},
      {{"user_id"}, "12a"},
      {{"user_id"}, 1.5},
      {{"chat_id"}, json::array()},
      {{"message_id"}, true},
      {{"file_info"}, "document"},
      {{"file_info", "file_id"}, 1},
      {{"file_info", "file_id"}, ""},
      {{"file_info", "file_unique_id"}, nullptr},
      {{"file_info", "file_size"}, "125829120"},
      {{"file_info", "file_size"}, -1},
      {{"file_info", "file_type"}, "hologram"},
      {{"file_info", "file_name"}, 5},
      {{"file_info", "mime_type"}, json::object()},
      {{"telegram_context"}, json::array()},
      {{"telegram_context", "forward_origin"}, "channel"},
      {{"telegram_context", "caption"}, 3},
      {{"telegram_context", "entities"}, "bold"},
      {{"telegram_context", "entities"}, json::array({1})},
      {{"telegram_context", "media_group_id"}, 12},
      {{"job_metadata", "created_at"}, "yesterday"},
      {{"job_metadata", "created_at"}, 1764337440},
      {{"job_metadata", "priority"}, 1},
      {{"job_metadata", "retry_count"}, -1},
      {{"job_metadata", "retry_count"}, "0"},
      {{"job_metadata", "max_retries"}, 2.5},
      {{"job_metadata", "estimated_duration"}, "soon"},
      {{"archive", "base_path"}, nullptr},
      {{"archive", "s3_key"}, ""},
      {{"archive", "ordinal"}, 0},
  };
  for (const auto& [path, value] : cases) {
    json document = valid_json();
    json* parent = &document;
    for (std::size_t i = 0; i + 1 < path.size(); ++i) parent = &(*parent)[path[i]];
    (*parent)[path.back()] = value;
    std::string dotted = path[0];
    for (std::size_t i = 1; i < path.size(); ++i) dotted += "." + path[i];
    const Error error = parse_error(document);
    EXPECT_EQ(error.kind, ErrorKind::invalid_input) << dotted;
    EXPECT_TRUE(error.message.starts_with(dotted + ": ")) << dotted << " -> " << error.message;
  }
}

TEST(JobMessage, RefusesUnknownPriorityNamingIt) {
  json document = valid_json();
  document["job_metadata"]["priority"] = "low";
  const Error error = parse_error(document);
  EXPECT_EQ(error.message, "job_metadata.priority: unknown priority \"low\" (normal, high or urgent)");
}

TEST(JobMessage, RefusesBadUuids) {
  for (const std::string bad : {"not-a-uuid", "3f2b8c1e-9a4d-1e7f-8b21-0c5d6e7f8a9b" /* version 1 */,
                                "3f2b8c1e-9a4d-4e7f-c821-0c5d6e7f8a9b" /* wrong variant */,
                                "3f2b8c1e9a4d4e7f8b210c5d6e7f8a9b", "3f2b8c1e-9a4d-4e7f-8b21-0c5d6e7f8a9g"}) {
    json document = valid_json();
    document["job_id"] = bad;
    EXPECT_EQ(parse_error(document).message, "job_id: not a uuid v4") << bad;
  }
}

TEST(JobMessage, RefusesOversizeBodiesBeforeParsing) {
  json document = valid_json();
  document["telegram_context"]["caption"] = std::string(kMaxJobMessageBytes, 'a');
  const Error error = parse_error(document);
  EXPECT_TRUE(error.message.starts_with("body: ")) << error.message;
  EXPECT_NE(error.message.find("limit"), std::string::npos);
}

TEST(JobMessage, RefusesNonUtf8Bytes) {
  std::string body = valid_json().dump();
  const auto at = body.find("big.iso");
  body[at] = '\xC3';  // a lead byte followed by 'i' (not a continuation)
  auto parsed = parse_job_message(body);
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().message, "body: not UTF-8 (ill-formed byte at offset " + std::to_string(at) + ")");
}

TEST(JobMessage, RefusesNonJsonAndNonObjects) {
  EXPECT_EQ(parse_job_message("{\"job_id\": ").error().message, "body: not valid JSON");
  EXPECT_EQ(parse_job_message("[1,2]").error().message, "body: not a JSON object");
  EXPECT_EQ(parse_job_message("").error().message, "body: not valid JSON");
}

TEST(Uuid, GeneratesVersion4WithTheRfc4122VariantAndNoRepeats) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const std::string id = make_uuid_v4();
    EXPECT_TRUE(is_uuid_v4(id)) << id;
    EXPECT_TRUE(seen.insert(id).second) << id;
  }
}

TEST(Utf8, FindsTheFirstIllFormedByte) {
  EXPECT_EQ(first_invalid_utf8("plain ascii"), std::nullopt);
  EXPECT_EQ(first_invalid_utf8("Привіт 👋"), std::nullopt);
  EXPECT_EQ(first_invalid_utf8("ab\xC0\xAF"), 2U);         // overlong '/'
  EXPECT_EQ(first_invalid_utf8("\xED\xA0\x80"), 0U);       // surrogate U+D800
  EXPECT_EQ(first_invalid_utf8("x\xF4\x90\x80\x80"), 1U);  // above U+10FFFF
  EXPECT_EQ(first_invalid_utf8("\xE2\x82"), 0U);           // truncated
  EXPECT_EQ(first_invalid_utf8("ok\x80"), 2U);             // stray continuation
}

}  // namespace
}  // namespace teltubby::queue
