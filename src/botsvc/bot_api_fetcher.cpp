#include "botsvc/bot_api_fetcher.hpp"

namespace teltubby::botsvc {

Result<ingest::SpoolFile> BotApiFileFetcher::fetch(const bot::MediaItem& item, const std::filesystem::path& spool_dir) {
  auto file = client_.get_file(item.file_id);
  if (!file) return std::unexpected(file.error());
  if (!file->file_path || file->file_path->empty()) {
    return fail(ErrorKind::permanent, "telegram.no_file_path", "getFile returned no file_path for this file");
  }
  const auto& path = *file->file_path;
  return ingest::spool_from([&](const http::BodySink& sink) { return client_.download_file(path, sink); }, spool_dir,
                            max_bytes_);
}

}  // namespace teltubby::botsvc
