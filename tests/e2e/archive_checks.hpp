#pragma once
// Assertions shared by the e2e tests: what one archived item must look like in S3,
// in message.json and in the database.
#include <cstdint>
#include <optional>
#include <string>

#include "e2e/bot_fixture.hpp"

namespace teltubby::e2e {

// "<YYYYMMDD-HHMMSS of date>_<chat>_<sender>_m<id>[-g<group>]_<NNN>[_<caption words>].<ext>"
std::string file_name(const std::string& chat, const std::string& sender, std::int64_t message_id,
                      int ordinal, const std::string& extension, const std::string& caption_words = "",
                      const std::string& media_group_id = "", std::int64_t date = kMessageDate);

std::string sha256_hex(const std::string& bytes);

// The unique id of a sent message's file (the largest photo size for photos: the
// fake lists sizes smallest first).
std::string sent_file_unique_id(const Json& sent);

struct ExpectedItem {
  int ordinal = 1;
  std::string type;  // message.json item type
  std::optional<std::string> mime_type;
  std::int64_t size_bytes = 0;
  std::optional<std::string> original_filename;
  std::string file_unique_id;
  std::string s3_key;
  std::string status = "stored";
};

// Checks one item of message.json against `expected` and against the stored object
// (sha256 of its bytes) and the database's files/tg_map rows. Non-fatal (EXPECT_*).
void expect_item(BotFixture& fixture, const Json& item, const ExpectedItem& expected);

}  // namespace teltubby::e2e
