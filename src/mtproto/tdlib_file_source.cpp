#include "mtproto/tdlib_file_source.hpp"

#include <fstream>
#include <system_error>
#include <thread>
#include <vector>

#include "telegram/tdlib/td_error.hpp"

namespace teltubby::mtproto {

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

// Messages per getChatHistory page (TDLib's maximum is 100).
constexpr int kHistoryPage = 100;

bool says(const Error& error, std::string_view text) { return error.message.find(text) != std::string::npos; }

}  // namespace

Error download_error(const Error& error) {
  // A client that closed (session ended) or is being replaced is the same news.
  if (error.code == worker::kSourceUnauthorized || tdlib::is_auth_error(error) || error.code == "tdlib.closed" ||
      error.code == "mtproto.no_client") {
    return Error{ErrorKind::retryable, std::string(worker::kSourceUnauthorized),
                 "the worker's Telegram account is not logged in: " + error.message, {}};
  }
  if (error.retry_after.count() > 0) {
    return Error{ErrorKind::retryable, "source.flood_wait",
                 "Telegram asked to wait " + std::to_string(error.retry_after.count()) + " s: " + error.message,
                 error.retry_after};
  }
  if (error.kind == ErrorKind::cancelled) return error;
  if (says(error, "file reference")) {
    return Error{ErrorKind::retryable, "source.file_reference", "the file reference expired: " + error.message, {}};
  }
  if (error.code == "tdlib.404" || says(error, "FILE_ID_INVALID")) {
    return Error{ErrorKind::not_found, "source.file_gone", "Telegram no longer has the file: " + error.message, {}};
  }
  // Timeouts, a download TDLib stopped, network trouble: the job's retry with backoff.
  return Error{ErrorKind::retryable, "source.download", error.message, {}};
}

TdlibFileSource::TdlibFileSource(TdAccount& account, AccountContext context, TdlibSourceSettings settings)
    : account_(account), context_(std::move(context)), settings_(settings) {
  account_.on_file([watches = watches_](const json& file) { watches->on_file(file); });
}

void TdlibFileSource::Watches::on_file(const json& file) {
  FileView view = file_view(file);
  {
    const std::scoped_lock lock(mutex);
    auto it = files.find(view.id);
    if (it == files.end()) return;
    it->second = std::move(view);
  }
  changed.notify_all();
}

Status TdlibFileSource::download(const queue::JobMessage& job, const worker::ChunkSink& sink,
                                 const worker::ProgressCallback& progress, const worker::CancelCheck& cancelled) {
  const auto me = context_.account ? context_.account() : std::nullopt;
  if (!me) {
    return fail(ErrorKind::retryable, std::string(worker::kSourceUnauthorized),
                "the worker's Telegram account is not logged in");
  }
  auto file = locate(job, cancelled);
  if (!file) return std::unexpected(file.error());
  FileView view = file_view(*file);
  const std::int64_t expected = job.file_info.file_size > 0 ? job.file_info.file_size : view.size;
  if (expected > me->max_file_bytes()) {
    return fail(ErrorKind::permanent, "source.too_large",
                "the file (" + std::to_string(expected) + " bytes) is over the account's limit of " +
                    std::to_string(me->max_file_bytes()) + " bytes");
  }
  auto fetched = fetch(view.id, expected, progress, cancelled);
  if (!fetched && fetched.error().code == "source.file_reference") {
    // TDLib already repaired the reference once; a fresh copy of the message carries a
    // new one, so look the message up again and try once more.
    log_.info("file reference expired; fetching the message again", {{"job_id", job.job_id}});
    file = locate(job, cancelled);
    if (!file) return std::unexpected(file.error());
    fetched = fetch(file_view(*file).id, expected, progress, cancelled);
  }
  if (!fetched) {
    if (fetched.error().kind != ErrorKind::cancelled) account_.send(file_request("deleteFile", view.id));
    return std::unexpected(fetched.error());
  }
  Status delivered = deliver(*fetched, expected, sink, cancelled);
  // Out of TDLib's cache whatever happened next: the spool file holds the bytes now,
  // and a failed job downloads again on its retry.
  if (auto deleted = account_.call(file_request("deleteFile", fetched->id)); !deleted) {
    log_.warn("deleteFile failed; the cached copy stays", {{"job_id", job.job_id}, {"error", deleted.error().describe()}});
  }
  return delivered;
}

Result<json> TdlibFileSource::locate(const queue::JobMessage& job, const worker::CancelCheck& cancelled) {
  const std::string& unique_id = job.file_info.file_unique_id;
  const auto deadline = Clock::now() + settings_.locate_patience;
  bool tried_channel = false;
  while (true) {
    const std::int64_t chat_id = context_.bot_chat_id ? context_.bot_chat_id() : 0;
    if (chat_id != 0) {
      auto found = scan_bot_chat(chat_id, unique_id);
      if (!found) return std::unexpected(download_error(found.error()));
      if (*found) return std::move(**found);
    }
    if (!tried_channel) {
      // A protected message is never copied to the worker; its public channel is the
      // only way, so it is tried before waiting for a copy that may never come.
      tried_channel = true;
      auto opened = open_in_channel(job);
      if (!opened) return std::unexpected(download_error(opened.error()));
      if (*opened) return std::move(**opened);
    }
    if (Clock::now() >= deadline) break;
    const auto pause_until = std::min(deadline, Clock::now() + settings_.locate_interval);
    while (Clock::now() < pause_until) {
      if (cancelled()) return fail(ErrorKind::cancelled, "worker.cancelled", "stopped while looking for the file");
      std::this_thread::sleep_for(std::min(settings_.wait_step, settings_.locate_interval));
    }
  }
  return fail(ErrorKind::not_found, "source.not_found",
              "the file is not reachable from the worker account: no message with it in the chat with the bot "
              "(the bot could not copy it there) and no public channel it was forwarded from");
}

Result<std::optional<json>> TdlibFileSource::scan_bot_chat(std::int64_t chat_id, const std::string& unique_id) {
  std::int64_t from = 0;  // 0 = from the newest message
  int scanned = 0;
  while (scanned < settings_.max_scanned_messages) {
    auto page = account_.call(history_request(chat_id, from, kHistoryPage));
    if (!page) return std::unexpected(page.error());
    // messages total_count:int32 messages:vector<message> = Messages;
    const json messages = page->value("messages", json::array());
    if (!messages.is_array() || messages.empty()) break;
    for (const json& message : messages) {
      ++scanned;
      if (auto file = find_file(message, unique_id)) return std::optional<json>(std::move(*file));
      if (auto id = message.find("id"); id != message.end() && id->is_number_integer()) from = id->get<std::int64_t>();
    }
  }
  return std::optional<json>{};
}

Result<std::optional<json>> TdlibFileSource::open_in_channel(const queue::JobMessage& job) {
  auto origin = public_channel_origin(job.telegram_context.forward_origin);
  if (!origin) return std::optional<json>{};
  auto chat = account_.call(search_public_chat_request(origin->username));
  if (!chat) {
    // A channel that is gone or private now is "not here", not a broken job.
    if (chat.error().code == "tdlib.400" || chat.error().code == "tdlib.404") return std::optional<json>{};
    return std::unexpected(chat.error());
  }
  const std::int64_t chat_id = chat->value("id", std::int64_t{0});
  auto message = account_.call(get_message_request(chat_id, tdlib_message_id(origin->server_message_id)));
  if (!message) {
    if (message.error().code == "tdlib.400" || message.error().code == "tdlib.404") return std::optional<json>{};
    return std::unexpected(message.error());
  }
  if (auto file = find_file(*message, job.file_info.file_unique_id)) return std::optional<json>(std::move(*file));
  return std::optional<json>{};
}

Result<FileView> TdlibFileSource::fetch(std::int32_t file_id, std::int64_t total, const worker::ProgressCallback& progress,
                                        const worker::CancelCheck& cancelled) {
  Watches& watches = *watches_;
  {
    const std::scoped_lock lock(watches.mutex);
    FileView start;
    start.id = file_id;
    watches.files[file_id] = start;
  }
  struct Unwatch {
    Watches& watches;
    std::int32_t id;
    ~Unwatch() {
      const std::scoped_lock lock(watches.mutex);
      watches.files.erase(id);
    }
  } unwatch{watches, file_id};

  auto answer = account_.send_async(download_request(file_id, settings_.download_priority, true));
  std::int64_t reported = -1;
  auto last_byte_at = Clock::now();
  while (true) {
    if (answer.wait_for(std::chrono::milliseconds{0}) == std::future_status::ready) {
      auto done = answer.get();
      if (!done) return std::unexpected(download_error(done.error()));
      FileView view = file_view(*done);
      if (progress && view.downloaded_size != reported) progress(view.downloaded_size, total);
      if (!view.completed) {
        return fail(ErrorKind::retryable, "source.download", "TDLib answered before the download was complete");
      }
      return view;
    }
    if (cancelled()) {
      account_.send(file_request("cancelDownloadFile", file_id));
      return fail(ErrorKind::cancelled, "worker.cancelled", "download stopped on request");
    }
    std::int64_t downloaded = 0;
    {
      std::unique_lock lock(watches.mutex);
      watches.changed.wait_for(lock, settings_.wait_step);
      downloaded = watches.files[file_id].downloaded_size;
    }
    if (downloaded != reported) {
      if (downloaded > reported) last_byte_at = Clock::now();
      reported = downloaded;
      // Reported from the job's own thread: the callback publishes on its AMQP session.
      if (progress) progress(downloaded, total);
    } else if (Clock::now() - last_byte_at > settings_.stall_timeout) {
      account_.send(file_request("cancelDownloadFile", file_id));
      return fail(ErrorKind::retryable, "source.stalled",
                  "no byte arrived for " +
                      std::to_string(std::chrono::duration_cast<std::chrono::seconds>(settings_.stall_timeout).count()) +
                      " s");
    }
  }
}

Status TdlibFileSource::deliver(const FileView& file, std::int64_t expected, const worker::ChunkSink& sink,
                                const worker::CancelCheck& cancelled) {
  std::error_code error;
  const auto on_disk = static_cast<std::int64_t>(fs::file_size(file.local_path, error));
  if (error) return fail(ErrorKind::retryable, "source.download", "the downloaded file is not readable: " + error.message());
  if (on_disk != expected) {
    return fail(ErrorKind::retryable, "source.size_mismatch",
                "downloaded " + std::to_string(on_disk) + " bytes, expected " + std::to_string(expected));
  }
  std::ifstream in(file.local_path, std::ios::binary);
  if (!in) return fail(ErrorKind::retryable, "source.download", "the downloaded file cannot be opened");
  std::vector<std::byte> buffer(settings_.read_chunk_bytes);
  std::int64_t left = on_disk;
  while (left > 0) {
    if (cancelled()) return fail(ErrorKind::cancelled, "worker.cancelled", "stopped while reading the download");
    const auto want = static_cast<std::streamsize>(std::min<std::int64_t>(left, static_cast<std::int64_t>(buffer.size())));
    in.read(reinterpret_cast<char*>(buffer.data()), want);  // NOLINT(cppcoreguidelines-pro-type-reinterpret-cast)
    if (in.gcount() != want) return fail(ErrorKind::retryable, "source.download", "the downloaded file ended early");
    if (auto taken = sink(std::span<const std::byte>(buffer.data(), static_cast<std::size_t>(want))); !taken) {
      return taken;
    }
    left -= want;
  }
  return {};
}

}  // namespace teltubby::mtproto
