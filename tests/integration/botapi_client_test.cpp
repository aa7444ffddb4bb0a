// BotApiClient against the in-process fake Telegram world (docs/fake-world.md): real
// HTTP over loopback, Telegram's documented answers and faults injected through the
// control API. Bot API reference: https://core.telegram.org/bots/api
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <fstream>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "bot/html.hpp"
#include "bot_world_fixture.hpp"
#include "metrics/catalog.hpp"
#include "metrics/registry.hpp"
#include "seeded_bytes.hpp"
#include "storage/crypto.hpp"
#include "support/temp_dir.hpp"
#include "support/seeded_sha256.hpp"
#include "telegram/botapi/client.hpp"
#include "telegram/botapi/file_path.hpp"

namespace teltubby::botapi {
namespace {

using namespace std::chrono_literals;
using testing::BotWorld;
using testing::Json;

// Hashes and counts what a download streams, so no test holds a whole file in memory.
struct HashingSink {
  storage::Sha256 sha;
  std::uint64_t bytes = 0;
  http::BodySink sink() {
    return [this](std::span<const std::byte> chunk) -> Status {
      sha.update(chunk);
      bytes += chunk.size();
      return {};
    };
  }
  std::string hex() { return storage::to_hex(sha.finish()); }
};

using test::seeded_sha256;

struct FdCloser {
  void operator()(const int* fd) const noexcept { ::close(*fd); }
};

// A loopback port nobody listens on: bound by the kernel's choice, then closed again.
int closed_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) throw std::runtime_error("socket() failed");
  std::unique_ptr<const int, FdCloser> guard(&fd);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  if (::bind(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::runtime_error("bind() failed");
  }
  return ntohs(address.sin_port);
}

class BotApiClientTest : public ::testing::Test {
 protected:
  BotWorld world{/*rate_limits=*/false};
  BotApiClient client{world.client_settings()};
  std::int64_t offset = 0;

  // The next message the bot receives (long-polls up to 10 s), confirming earlier updates.
  std::optional<Message> next_message() {
    for (int polls = 0; polls < 10; ++polls) {
      auto batch = client.get_updates(offset, 1s, {});
      if (!batch) {
        ADD_FAILURE() << batch.error().describe();
        return std::nullopt;
      }
      for (auto& parsed : *batch) {
        offset = parsed.update_id + 1;
        if (parsed.update && parsed.update->message) return parsed.update->message;
      }
    }
    return std::nullopt;
  }

  // The curator sends a document; returns the file_id the bot sees.
  std::string document_file_id(std::uint64_t size, std::uint64_t seed) {
    world.curator_sends({{"kind", "document"},
                         {"file",
                          {{"size", size},
                           {"seed", seed},
                           {"file_name", "data.bin"},
                           {"mime_type", "application/octet-stream"}}}});
    for (auto message = next_message(); message; message = next_message()) {
      if (message->document) return message->document->file_id;
    }
    ADD_FAILURE() << "the document never arrived";
    return {};
  }
};

// https://core.telegram.org/bots/api#getme
TEST_F(BotApiClientTest, GetMeReturnsTheBotUser) {
  auto me = client.get_me();
  ASSERT_TRUE(me.has_value()) << me.error().describe();
  EXPECT_EQ(me->id, world.bot_id);
  EXPECT_TRUE(me->is_bot);
  EXPECT_EQ(me->username, "archive_bot");
}

// https://core.telegram.org/bots/api#getupdates: long polling answers when an update arrives.
TEST_F(BotApiClientTest, LongPollReturnsAsSoonAsAnUpdateArrives) {
  // Confirm the curator's /start so the poll below starts empty.
  ASSERT_TRUE(next_message().has_value());
  auto poll = std::async(std::launch::async, [&] { return client.get_updates(offset, 30s, {"message"}); });
  ASSERT_TRUE(world.wait_for_long_polls(1)) << "getUpdates never started polling";
  world.curator_sends({{"text", "hello from the curator"}});
  // Far less than the 30 s the server may hold the poll: it answered because of the update.
  ASSERT_EQ(poll.wait_for(10s), std::future_status::ready);
  auto batch = poll.get();
  ASSERT_TRUE(batch.has_value()) << batch.error().describe();
  ASSERT_EQ(batch->size(), 1U);
  ASSERT_TRUE((*batch)[0].update.has_value());
  ASSERT_TRUE((*batch)[0].update->message.has_value());
  EXPECT_EQ((*batch)[0].update->message->text, "hello from the curator");
}

TEST_F(BotApiClientTest, EmptyLongPollLongerThanTheIoTimeoutIsNotATimeout) {
  BotApiClient impatient{world.client_settings(1s)};
  ASSERT_TRUE(next_message().has_value());
  // The server holds the request 2 s without a byte; the HTTP timeout is 2 s + 1 s.
  auto batch = impatient.get_updates(offset, 2s, {});
  ASSERT_TRUE(batch.has_value()) << batch.error().describe();
  EXPECT_TRUE(batch->empty());
}

// https://core.telegram.org/bots/api#html-style
TEST_F(BotApiClientTest, SendMessageRendersHtmlWithEscapedUserText) {
  const std::string user_text = "<script> & _*[] \"quoted\" Привет";
  auto id = client.send_message(world.curator_id, "<b>Archived</b> " + bot::html_escape(user_text));
  ASSERT_TRUE(id.has_value()) << id.error().describe();
  const auto events = world.curator_outbox(1);
  ASSERT_EQ(events.size(), 1U);
  EXPECT_EQ(events[0]["type"], "sent");
  EXPECT_EQ(events[0]["message_id"], *id);
  EXPECT_EQ(events[0]["message"]["text"], "Archived " + user_text);
  const Json entities = events[0]["message"]["entities"];
  ASSERT_EQ(entities.size(), 1U);
  EXPECT_EQ(entities[0]["type"], "bold");
}

// The fake does not record link_preview_options, so this looks at the request itself.
TEST(BotApiClientWire, SendMessageIsJsonWithHtmlAndNoLinkPreview) {
  httplib::Server capture;
  std::mutex mutex;
  std::string path, content_type;
  Json body;
  capture.Post(R"(/bot.*)", [&](const httplib::Request& req, httplib::Response& res) {
    std::lock_guard lock(mutex);
    path = req.path;
    content_type = req.get_header_value("Content-Type");
    body = Json::parse(req.body, nullptr, false);
    res.set_content(R"({"ok":true,"result":{"message_id":77,"date":0,"chat":{"id":5,"type":"private"}}})",
                    "application/json");
  });
  const int port = capture.bind_to_any_port("127.0.0.1");
  ASSERT_GT(port, 0);
  // bind_to_any_port() also listens: a connection made before accept() starts just waits.
  std::thread serving([&] { capture.listen_after_bind(); });
  const std::string token = "1234567:FAKEwiretokenFAKEwiretokenFAKEwireXX";
  BotApiClient client{ClientSettings{.api_base_url = "http://127.0.0.1:" + std::to_string(port) + "/",
                                     .token = token,
                                     .io_timeout = std::chrono::seconds{5},
                                     .local_mode = false,
                                     .tls_verify = true,
                                     .metrics = nullptr}};
  auto id = client.send_message(5, "<b>hi</b>");
  capture.stop();
  serving.join();
  ASSERT_TRUE(id.has_value()) << id.error().describe();
  EXPECT_EQ(*id, 77);
  std::lock_guard lock(mutex);
  EXPECT_EQ(path, "/bot" + token + "/sendMessage");  // the trailing '/' of the base URL is dropped
  EXPECT_EQ(content_type, "application/json");
  EXPECT_EQ(body["chat_id"], 5);
  EXPECT_EQ(body["text"], "<b>hi</b>");
  EXPECT_EQ(body["parse_mode"], "HTML");
  EXPECT_EQ(body["link_preview_options"]["is_disabled"], true);
}

TEST_F(BotApiClientTest, BadMarkupIsATypedPermanentError) {
  auto id = client.send_message(world.curator_id, "<b>never closed");
  ASSERT_FALSE(id.has_value());
  EXPECT_EQ(id.error().code, "telegram.400");
  EXPECT_EQ(id.error().kind, ErrorKind::permanent);
  EXPECT_NE(id.error().message.find("can't parse entities"), std::string::npos) << id.error().message;
  EXPECT_TRUE(id.error().message.starts_with("sendMessage: ")) << id.error().message;
  EXPECT_TRUE(world.curator_outbox(0, 0ms).empty());
}

// https://core.telegram.org/bots/api#editmessagetext: an identical text is refused with
// "message is not modified"; for us the message already says what it should.
TEST_F(BotApiClientTest, EditWithUnchangedTextCountsAsSuccess) {
  auto id = client.send_message(world.curator_id, "Downloading 10%");
  ASSERT_TRUE(id.has_value()) << id.error().describe();
  auto changed = client.edit_message_text(world.curator_id, *id, "Downloading <i>50%</i>");
  ASSERT_TRUE(changed.has_value()) << changed.error().describe();
  auto unchanged = client.edit_message_text(world.curator_id, *id, "Downloading <i>50%</i>");
  EXPECT_TRUE(unchanged.has_value()) << unchanged.error().describe();
  const auto events = world.curator_outbox(2);
  ASSERT_EQ(events.size(), 2U);
  EXPECT_EQ(events[1]["type"], "edited");
  EXPECT_EQ(events[1]["message"]["text"], "Downloading 50%");
  // Another error of the same method is still an error.
  auto missing = client.edit_message_text(world.curator_id, *id + 1000, "x");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, "telegram.400");
}

TEST_F(BotApiClientTest, OtherMethodsRoundTrip) {
  auto id = client.send_message(world.curator_id, "to be copied");
  ASSERT_TRUE(id.has_value()) << id.error().describe();
  auto copy = client.copy_message(world.curator_id, world.curator_id, *id);
  ASSERT_TRUE(copy.has_value()) << copy.error().describe();
  EXPECT_NE(*copy, *id);
  ASSERT_TRUE(client.send_chat_action(world.curator_id, "typing").has_value());
  ASSERT_TRUE(client.delete_message(world.curator_id, *copy).has_value());
  const auto events = world.curator_outbox(4);
  ASSERT_EQ(events.size(), 4U);
  EXPECT_EQ(events[1]["type"], "sent");
  EXPECT_EQ(events[2]["type"], "chat_action");
  EXPECT_EQ(events[2]["action"], "typing");
  EXPECT_EQ(events[3]["type"], "deleted");

  auto wrong_action = client.send_chat_action(world.curator_id, "dancing");
  ASSERT_FALSE(wrong_action.has_value());
  EXPECT_EQ(wrong_action.error().code, "telegram.400");

  ASSERT_TRUE(
      client.set_my_commands(Json::array({{{"command", "start"}, {"description", "Start"}}})).has_value());
  const Json bot_state = world.control_get("/control/bots/" + std::to_string(world.bot_id)).body;
  EXPECT_EQ(bot_state["commands"][0]["command"], "start");

  ASSERT_TRUE(client.set_webhook("http://127.0.0.1:9/hook", "s3cr3t_value", {"message"}).has_value());
  auto info = client.get_webhook_info();
  ASSERT_TRUE(info.has_value()) << info.error().describe();
  EXPECT_EQ(info->url, "http://127.0.0.1:9/hook");
  EXPECT_EQ(info->allowed_updates, std::vector<std::string>{"message"});
  ASSERT_TRUE(client.delete_webhook().has_value());
  info = client.get_webhook_info();
  ASSERT_TRUE(info.has_value()) << info.error().describe();
  EXPECT_TRUE(info->url.empty());
}

// https://core.telegram.org/bots/api#getfile: "bots can download files of up to 20MB".
TEST_F(BotApiClientTest, GetFileOverTwentyMegabytesIsFileTooBig) {
  const std::string file_id = document_file_id(25ULL * 1024 * 1024, 7);
  ASSERT_FALSE(file_id.empty());
  auto file = client.get_file(file_id);
  ASSERT_FALSE(file.has_value());
  EXPECT_EQ(file.error().code, "telegram.file_too_big");
  EXPECT_EQ(file.error().code, kFileTooBigCode);
  EXPECT_EQ(file.error().kind, ErrorKind::permanent);
  EXPECT_TRUE(is_file_too_big(file.error()));

  auto unknown = client.get_file("no-such-file-id");
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code, "telegram.400");
  EXPECT_FALSE(is_file_too_big(unknown.error()));
}

TEST_F(BotApiClientTest, DownloadStreamsTheExactBytes) {
  // Just under the 20 MB limit would be slow under ASan; an odd size crosses chunk edges.
  const std::uint64_t size = 3ULL * 1024 * 1024 + 12345;
  const std::uint64_t seed = 4242;
  const std::string file_id = document_file_id(size, seed);
  auto file = client.get_file(file_id);
  ASSERT_TRUE(file.has_value()) << file.error().describe();
  ASSERT_TRUE(file->file_path.has_value());
  EXPECT_EQ(file->file_size, static_cast<std::int64_t>(size));
  HashingSink sink;
  auto downloaded = client.download_file(*file->file_path, sink.sink());
  ASSERT_TRUE(downloaded.has_value()) << downloaded.error().describe();
  EXPECT_EQ(sink.bytes, size);
  EXPECT_EQ(sink.hex(), seeded_sha256(seed, size));
}

TEST_F(BotApiClientTest, TruncatedDownloadIsARetryableError) {
  const std::string file_id = document_file_id(500000, 99);
  auto file = client.get_file(file_id);
  ASSERT_TRUE(file.has_value()) << file.error().describe();
  world.inject_fault("file", "truncate", {{"truncate_bytes", 1000}});
  HashingSink sink;
  auto downloaded = client.download_file(*file->file_path, sink.sink());
  ASSERT_FALSE(downloaded.has_value()) << "a download cut after 1000 of 500000 bytes succeeded";
  EXPECT_TRUE(downloaded.error().retryable()) << downloaded.error().describe();
  EXPECT_LT(sink.bytes, 500000U);
  // The next attempt gets everything.
  HashingSink again;
  ASSERT_TRUE(client.download_file(*file->file_path, again.sink()).has_value());
  EXPECT_EQ(again.hex(), seeded_sha256(99, 500000));
}

TEST_F(BotApiClientTest, DownloadRefusalsAreClearErrors) {
  HashingSink sink;
  auto missing = client.download_file("documents/file_999999.bin", sink.sink());
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, "telegram.404");
  EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
  EXPECT_NE(missing.error().message.find("documents/file_999999.bin"), std::string::npos)
      << missing.error().message;
  EXPECT_NE(missing.error().message.find("HTTP 404"), std::string::npos) << missing.error().message;

  const std::string file_id = document_file_id(1000, 5);
  auto file = client.get_file(file_id);
  ASSERT_TRUE(file.has_value()) << file.error().describe();
  world.inject_fault("file", "server_error", {{"status", 502}});
  auto failed = client.download_file(*file->file_path, sink.sink());
  ASSERT_FALSE(failed.has_value());
  EXPECT_EQ(failed.error().code, "telegram.502");
  EXPECT_TRUE(failed.error().retryable());
  EXPECT_EQ(sink.bytes, 0U) << "an error page went to the sink";

  for (const char* bad : {"../secrets", "photos/../../x", "/etc/passwd", "", "a//b"}) {
    auto refused = client.download_file(bad, sink.sink());
    ASSERT_FALSE(refused.has_value()) << bad;
    EXPECT_EQ(refused.error().code, "botapi.bad_file_path") << bad;
    EXPECT_EQ(refused.error().kind, ErrorKind::invalid_input) << bad;
  }
}

TEST_F(BotApiClientTest, TooManyRequestsCarriesRetryAfter) {
  world.inject_fault("sendMessage", "too_many_requests", {{"retry_after", 7}});
  auto id = client.send_message(world.curator_id, "hi");
  ASSERT_FALSE(id.has_value());
  EXPECT_EQ(id.error().code, "telegram.429");
  EXPECT_TRUE(id.error().retryable());
  EXPECT_EQ(id.error().retry_after, 7s);
}

TEST_F(BotApiClientTest, ServerErrorIsRetryable) {
  world.inject_fault("sendMessage", "server_error", {{"status", 500}});
  auto id = client.send_message(world.curator_id, "hi");
  ASSERT_FALSE(id.has_value());
  EXPECT_EQ(id.error().code, "telegram.500");
  EXPECT_TRUE(id.error().retryable());
  EXPECT_TRUE(client.send_message(world.curator_id, "hi").has_value());
}

TEST_F(BotApiClientTest, HungRequestTimesOutAfterTheIoTimeout) {
  BotApiClient impatient{world.client_settings(1s)};
  world.inject_fault("getMe", "hang", {{"hang_seconds", 60}});
  auto me = impatient.get_me();
  ASSERT_FALSE(me.has_value());
  EXPECT_EQ(me.error().code, "http.timeout");
  EXPECT_TRUE(me.error().retryable());
}

TEST_F(BotApiClientTest, TokenNeverAppearsInAnyErrorMessage) {
  std::vector<Error> errors;
  auto collect = [&](const auto& result) {
    ASSERT_FALSE(result.has_value());
    errors.push_back(result.error());
  };
  collect(client.send_message(world.curator_id, "<b>bad"));
  collect(client.download_file("documents/file_424242.bin",
                               [](std::span<const std::byte>) -> Status { return {}; }));
  world.inject_fault("getMe", "server_error");
  collect(client.get_me());
  {
    BotApiClient impatient{world.client_settings(1s)};
    world.inject_fault("getMe", "hang", {{"hang_seconds", 60}});
    collect(impatient.get_me());
  }
  // A token the world does not know: 401 Unauthorized.
  const std::string unknown_token = "1234567:FAKEtokenFAKEtokenFAKEtokenFAKEtokenX";
  {
    ClientSettings settings = world.client_settings();
    settings.token = unknown_token;
    BotApiClient stranger{settings};
    collect(stranger.get_me());
  }
  // Nobody listening: the transport error names the URL, which holds the token.
  {
    ClientSettings settings = world.client_settings();
    settings.api_base_url = "http://127.0.0.1:" + std::to_string(closed_port());
    BotApiClient unreachable{settings};
    collect(unreachable.get_me());
    collect(unreachable.download_file("documents/file_1.bin",
                                      [](std::span<const std::byte>) -> Status { return {}; }));
  }
  // A sink's own error text that happens to carry the token.
  const std::string file_id = document_file_id(1000, 3);
  auto file = client.get_file(file_id);
  ASSERT_TRUE(file.has_value()) << file.error().describe();
  collect(client.download_file(*file->file_path, [&](std::span<const std::byte>) -> Status {
    return fail(ErrorKind::permanent, "test.sink", "disk full while writing for " + world.token);
  }));

  ASSERT_EQ(errors.size(), 8U);
  const std::string secret_part = world.token.substr(world.token.find(':') + 1);
  for (const Error& error : errors) {
    SCOPED_TRACE(error.describe());
    EXPECT_FALSE(error.message.empty());
    EXPECT_EQ(error.message.find(secret_part), std::string::npos);
    EXPECT_EQ(error.message.find(unknown_token.substr(8)), std::string::npos);
  }
  EXPECT_EQ(errors[4].code, "telegram.401");
  EXPECT_EQ(errors[5].code, "http.connect");
  EXPECT_EQ(errors[7].code, "test.sink");
}

TEST_F(BotApiClientTest, RequestsAreCountedByMethodAndOutcome) {
  metrics::Registry registry;
  metrics::Catalog catalog{registry};
  ClientSettings settings = world.client_settings();
  settings.metrics = &catalog;
  BotApiClient counted{settings};
  ASSERT_TRUE(counted.get_me().has_value());
  ASSERT_FALSE(counted.send_message(world.curator_id, "<b>bad").has_value());
  EXPECT_EQ(catalog.telegram_requests_total.labels("getMe", "ok").value(), 1U);
  EXPECT_EQ(catalog.telegram_requests_total.labels("sendMessage", "permanent").value(), 1U);
}

TEST(BotApiClientSettings, UnusableSettingsAreFatal) {
  ClientSettings empty_token;
  EXPECT_THROW(BotApiClient{empty_token}, FatalError);
  ClientSettings slash_in_token;
  slash_in_token.token = "1234567:FAKE/../x";
  EXPECT_THROW(BotApiClient{slash_in_token}, FatalError);
  ClientSettings bad_scheme;
  bad_scheme.token = "1234567:FAKEtoken";
  bad_scheme.api_base_url = "ftp://example.invalid";
  EXPECT_THROW(BotApiClient{bad_scheme}, FatalError);
}

// TELEGRAM_LOCAL_MODE: a local Bot API server answers getFile with an absolute path on
// this machine (https://github.com/tdlib/telegram-bot-api, --local).
class BotApiLocalModeTest : public ::testing::Test {
 protected:
  test::TempDir dir{"botapi-local"};
  BotApiClient client{ClientSettings{.api_base_url = "http://127.0.0.1:9",
                                     .token = "1234567:FAKElocalmodetokenFAKElocalmodetokenX",
                                     .io_timeout = std::chrono::seconds{5},
                                     .local_mode = true,
                                     .tls_verify = true,
                                     .metrics = nullptr}};
};

TEST_F(BotApiLocalModeTest, ReadsAnAbsolutePathInChunks) {
  const auto path = dir.path() / "documents" / "file_1.bin";
  std::filesystem::create_directories(path.parent_path());
  std::string bytes;
  fake_world::fill_seeded_bytes(11, 0, 2500000, bytes);  // more than one 1 MiB chunk
  std::ofstream(path, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  HashingSink sink;
  auto read = client.download_file(path.string(), sink.sink());
  ASSERT_TRUE(read.has_value()) << read.error().describe();
  EXPECT_EQ(sink.bytes, bytes.size());
  EXPECT_EQ(sink.hex(), storage::sha256_hex(bytes));
}

TEST_F(BotApiLocalModeTest, RefusesRelativePathsAndDotDot) {
  const auto inside = dir.path() / "documents";
  std::filesystem::create_directories(inside);
  std::ofstream(dir.path() / "secret.txt") << "not for the bot";
  HashingSink sink;
  for (const std::string& bad :
       {std::string("../secret.txt"), std::string("documents/file_1.bin"),
        (inside / ".." / "secret.txt").string(), (inside / "." / "x").string(), std::string("")}) {
    auto refused = client.download_file(bad, sink.sink());
    ASSERT_FALSE(refused.has_value()) << bad;
    EXPECT_EQ(refused.error().code, "botapi.bad_file_path") << bad;
    EXPECT_EQ(refused.error().kind, ErrorKind::invalid_input) << bad;
  }
  EXPECT_EQ(sink.bytes, 0U);
}

TEST_F(BotApiLocalModeTest, MissingFileOrDirectoryIsNotFound) {
  HashingSink sink;
  auto missing = client.download_file((dir.path() / "nope.bin").string(), sink.sink());
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, "io.open");
  EXPECT_EQ(missing.error().kind, ErrorKind::not_found);
  auto directory = client.download_file(dir.path().string(), sink.sink());
  ASSERT_FALSE(directory.has_value());
  EXPECT_EQ(directory.error().code, "io.open");
}

TEST(BotApiFilePath, EncodesWhatDoesNotBelongInAUrlPath) {
  EXPECT_EQ(encode_url_path("documents/file_5.pdf"), "documents/file_5.pdf");
  EXPECT_EQ(encode_url_path("a b/ü?#"), "a%20b/%C3%BC%3F%23");
}

}  // namespace
}  // namespace teltubby::botapi
