#pragma once
// Builders for Bot API JSON as Telegram sends it, for the bot's unit tests. Each
// returns a minimal valid object; tests add or remove fields to make their point.
#include <cstdint>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "telegram/botapi/parse.hpp"

namespace teltubby::testing {

inline constexpr std::int64_t kCuratorId = 111222333;

inline nlohmann::json user_json(std::int64_t id = kCuratorId, std::string username = "curator") {
  nlohmann::json user = {{"id", id}, {"is_bot", false}, {"first_name", "Cura"}};
  if (!username.empty()) user["username"] = username;
  return user;
}

inline nlohmann::json private_chat_json(std::int64_t id = kCuratorId) {
  return {{"id", id}, {"type", "private"}, {"first_name", "Cura"}, {"username", "curator"}};
}

inline nlohmann::json text_message_json(std::int64_t message_id, std::string text) {
  return {{"message_id", message_id},
          {"date", 1764300000},
          {"chat", private_chat_json()},
          {"from", user_json()},
          {"text", std::move(text)}};
}

inline nlohmann::json photo_message_json(std::int64_t message_id) {
  nlohmann::json m = text_message_json(message_id, "");
  m.erase("text");
  m["photo"] = nlohmann::json::array({
      {{"file_id", "p-small"}, {"file_unique_id", "u-small"}, {"width", 90}, {"height", 60}, {"file_size", 1200}},
      {{"file_id", "p-large"}, {"file_unique_id", "u-large"}, {"width", 1280}, {"height", 853}, {"file_size", 150000}},
      {{"file_id", "p-mid"}, {"file_unique_id", "u-mid"}, {"width", 320}, {"height", 213}, {"file_size", 14000}},
  });
  return m;
}

inline nlohmann::json document_message_json(std::int64_t message_id, std::int64_t size = 5000,
                                            std::string name = "report.pdf") {
  nlohmann::json m = text_message_json(message_id, "");
  m.erase("text");
  m["document"] = {{"file_id", "d-" + std::to_string(message_id)},
                   {"file_unique_id", "du-" + std::to_string(message_id)},
                   {"file_name", std::move(name)},
                   {"mime_type", "application/pdf"},
                   {"file_size", size}};
  return m;
}

inline nlohmann::json update_json(std::int64_t update_id, const nlohmann::json& message,
                                  std::string kind = "message") {
  return {{"update_id", update_id}, {kind, message}};
}

inline botapi::Message parse_message_or_die(const nlohmann::json& json) {
  auto message = botapi::parse_message(json);
  if (!message) ADD_FAILURE() << "fixture does not parse: " << message.error().describe();
  return message ? *message : botapi::Message{};
}

inline botapi::Update parse_update_or_die(const nlohmann::json& json) {
  auto update = botapi::parse_update(json);
  if (!update) ADD_FAILURE() << "fixture does not parse: " << update.error().describe();
  return update ? *update : botapi::Update{};
}

}  // namespace teltubby::testing
