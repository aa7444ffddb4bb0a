#pragma once
// The ingestor's FileFetcher in production: getFile, then the download streamed into a
// spool file while it is hashed (memory stays bounded whatever the size).
#include <cstdint>

#include "ingest/file_fetcher.hpp"
#include "ingest/spool.hpp"
#include "telegram/botapi/client.hpp"

namespace teltubby::botsvc {

class BotApiFileFetcher final : public ingest::FileFetcher {
 public:
  // max_bytes: the largest download accepted (BOT_API_MAX_FILE_BYTES); a server that
  // sends more is cut off with an error instead of filling the disk.
  BotApiFileFetcher(botapi::BotApiClient& client, std::uint64_t max_bytes) : client_(client), max_bytes_(max_bytes) {}
  Result<ingest::SpoolFile> fetch(const bot::MediaItem& item, const std::filesystem::path& spool_dir) override;

 private:
  botapi::BotApiClient& client_;
  std::uint64_t max_bytes_;
};

}  // namespace teltubby::botsvc
