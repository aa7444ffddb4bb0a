#pragma once
// The fake world's neutral objects (docs/fake-world-protocol.md) as td_api objects.
// Pure functions. Shapes follow td/generate/scheme/td_api.tl (tdlib/td); the
// constructor each function builds is quoted next to it in td_shapes.cpp.
#include <cstdint>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

namespace teltubby::fake_tdjson {

// TDLib message ids are server ids shifted by 20 bits (docs/fake-world-protocol.md).
inline constexpr std::int64_t kMessageIdFactor = 1048576;
[[nodiscard]] constexpr std::int64_t td_message_id(std::int64_t server_id) { return server_id * kMessageIdFactor; }
[[nodiscard]] constexpr std::int64_t server_message_id(std::int64_t td_id) { return td_id / kMessageIdFactor; }

// What the client knows about the local copy of a file.
struct LocalFileState {
  std::string path;             // "" when nothing is on disk
  bool is_downloading_active = false;
  bool is_downloading_completed = false;
  std::int64_t downloaded_size = 0;  // bytes on disk, from offset 0
};

[[nodiscard]] nlohmann::json td_error(int code, const std::string& message);
[[nodiscard]] nlohmann::json td_ok();
[[nodiscard]] nlohmann::json td_file(std::int32_t file_id, const nlohmann::json& world_file, const LocalFileState& local);
[[nodiscard]] nlohmann::json td_user(const nlohmann::json& world_user);
[[nodiscard]] nlohmann::json td_chat(const nlohmann::json& world_chat);

// `file` turns one world file into a td_api file object (the client assigns ids).
using FileMapper = std::function<nlohmann::json(const nlohmann::json& world_file)>;
[[nodiscard]] nlohmann::json td_message(const nlohmann::json& world_message, std::int64_t my_user_id,
                                        const FileMapper& file);

// searchChatMessages filter check: does a world message of `kind` match the td_api
// SearchMessagesFilter type `filter_type` ("" or searchMessagesFilterEmpty = all)?
[[nodiscard]] bool kind_matches_filter(const std::string& kind, const std::string& filter_type);

// Subdirectory of files_directory where TDLib keeps files of this message kind.
[[nodiscard]] std::string files_subdirectory(const std::string& kind);

}  // namespace teltubby::fake_tdjson
