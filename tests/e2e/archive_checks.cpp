#include "e2e/archive_checks.hpp"

#include <cstdio>
#include <ctime>

#include "storage/crypto.hpp"

namespace teltubby::e2e {

std::string file_name(const std::string& chat, const std::string& sender, std::int64_t message_id,
                      int ordinal, const std::string& extension, const std::string& caption_words,
                      const std::string& media_group_id, std::int64_t date) {
  char number[16];
  std::snprintf(number, sizeof number, "%03d", ordinal);
  const std::time_t seconds = static_cast<std::time_t>(date);
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &utc);
  std::string name = std::string(stamp) + "_" + chat + "_" + sender + "_m" + std::to_string(message_id);
  if (!media_group_id.empty()) name += "-g" + media_group_id;
  name += "_" + std::string(number);
  if (!caption_words.empty()) name += "_" + caption_words;
  return name + "." + extension;
}

std::string sha256_hex(const std::string& bytes) {
  storage::Sha256 hash;
  hash.update(std::span<const std::byte>(reinterpret_cast<const std::byte*>(bytes.data()), bytes.size()));
  return storage::to_hex(hash.finish());
}

std::string sent_file_unique_id(const Json& sent) {
  const Json& files = sent.at("message").at("files");
  return files.at(files.size() - 1).at("unique_id").get<std::string>();
}

void expect_item(BotFixture& fixture, const Json& item, const ExpectedItem& expected) {
  SCOPED_TRACE("message.json item #" + std::to_string(expected.ordinal) + ": " + item.dump());
  EXPECT_EQ(item.value("ordinal", 0), expected.ordinal);
  EXPECT_EQ(item.value("type", ""), expected.type);
  EXPECT_EQ(item.value("status", ""), expected.status);
  EXPECT_EQ(item.value("size_bytes", std::int64_t{-1}), expected.size_bytes);
  EXPECT_EQ(item.value("file_unique_id", ""), expected.file_unique_id);
  EXPECT_EQ(item.value("s3_key", ""), expected.s3_key);
  if (expected.mime_type) {
    EXPECT_EQ(item.value("mime_type", Json()), Json(*expected.mime_type));
  } else {
    EXPECT_TRUE(item.value("mime_type", Json()).is_null());
  }
  if (expected.original_filename) {
    EXPECT_EQ(item.value("original_filename", Json()), Json(*expected.original_filename));
  } else {
    EXPECT_TRUE(item.value("original_filename", Json()).is_null());
  }
  EXPECT_TRUE(item.value("skipped_reason", Json("x")).is_null());
  EXPECT_TRUE(item.value("job_id", Json("x")).is_null());
  // The object holds exactly the file's bytes, and every record names its SHA-256.
  const std::string bytes = fixture.object_bytes(expected.s3_key);
  EXPECT_EQ(static_cast<std::int64_t>(bytes.size()), expected.size_bytes);
  const std::string sha256 = sha256_hex(bytes);
  EXPECT_EQ(item.value("sha256", ""), sha256);
  const auto by_sha = fixture.store().find_file_by_sha256(sha256);
  ASSERT_TRUE(by_sha.has_value()) << by_sha.error().describe();
  ASSERT_TRUE(by_sha->has_value()) << "no files row for " << sha256;
  EXPECT_EQ((*by_sha)->s3_key, expected.s3_key);
  EXPECT_EQ((*by_sha)->size_bytes, expected.size_bytes);
  const auto by_unique_id = fixture.store().find_file_by_unique_id(expected.file_unique_id);
  ASSERT_TRUE(by_unique_id.has_value()) << by_unique_id.error().describe();
  ASSERT_TRUE(by_unique_id->has_value()) << "no tg_map row for " << expected.file_unique_id;
  EXPECT_EQ((*by_unique_id)->sha256, sha256);
}

}  // namespace teltubby::e2e
