// The S3 client against the real, SigV4-checking S3 test server (@20minutes/s3rver).
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <thread>

#include "storage/bucket_usage.hpp"
#include "storage/crypto.hpp"
#include "storage/s3_client.hpp"
#include "support/generated_source.hpp"
#include "support/s3rver.hpp"

namespace teltubby::storage {
namespace {

std::string unique_bucket() {
  static std::mt19937_64 random{std::random_device{}()};
  return "tt-" + to_hex(std::array<unsigned char, 6>{static_cast<unsigned char>(random()),
                                                     static_cast<unsigned char>(random()),
                                                     static_cast<unsigned char>(random()),
                                                     static_cast<unsigned char>(random()),
                                                     static_cast<unsigned char>(random()),
                                                     static_cast<unsigned char>(random())});
}

S3Settings settings_for(const test::S3Account& account, std::string bucket) {
  S3Settings settings;
  settings.endpoint = account.endpoint;
  settings.access_key = account.access_key;
  settings.secret_key = account.secret_key;
  settings.bucket = std::move(bucket);
  settings.part_size_bytes = min_part_size_bytes;
  settings.parallel_parts = 3;
  settings.io_timeout = std::chrono::seconds{20};
  settings.max_attempts = 3;
  settings.retry_base_delay = std::chrono::milliseconds{20};
  settings.retry_max_delay = std::chrono::milliseconds{200};
  return settings;
}

std::string download(S3Client& client, const std::string& key) {
  std::string bytes;
  auto head = client.get_object(key, [&](std::span<const std::byte> chunk) -> Status {
    bytes.append(reinterpret_cast<const char*>(chunk.data()), chunk.size());
    return {};
  });
  EXPECT_TRUE(head) << head.error().describe();
  return bytes;
}

// The SHA-256 of what a GeneratedSource yields when read in `chunk`-sized pieces.
std::string expected_sha256(std::uint64_t size, std::uint64_t seed, std::size_t chunk) {
  test::GeneratedSource source(size, seed);
  std::vector<std::byte> buffer(chunk);
  Sha256 hash;
  for (;;) {
    std::size_t filled = 0;
    while (filled < chunk) {
      auto n = source.read(std::span(buffer).subspan(filled));
      if (!n || *n == 0) break;
      filled += *n;
    }
    hash.update(std::span<const std::byte>(buffer.data(), filled));
    if (filled < chunk) break;
  }
  return to_hex(hash.finish());
}

class S3Storage : public ::testing::Test {
 protected:
  void SetUp() override {
    account_ = test::shared_s3();
    client_ = std::make_unique<S3Client>(settings_for(account_, unique_bucket()));
    auto ensured = client_->ensure_bucket();
    ASSERT_TRUE(ensured) << ensured.error().describe();
  }

  test::S3Account account_;
  std::unique_ptr<S3Client> client_;
};

TEST_F(S3Storage, EnsureBucketIsIdempotent) {
  EXPECT_TRUE(client_->ensure_bucket());
  EXPECT_TRUE(client_->head_bucket());
}

TEST_F(S3Storage, RoundTripsSmallObjectWithAwkwardKeyByteIdentical) {
  const std::string key = "teltubby/2024/01/канал/a b+c~d_(1)!.txt";
  const std::string content = "small object \xF0\x9F\x98\x80 with bytes \x01\x02\xff";
  MemoryByteSource source(content);
  auto stored = client_->upload_stream(key, source, "text/plain; charset=utf-8");
  ASSERT_TRUE(stored) << stored.error().describe();
  EXPECT_FALSE(stored->multipart);
  EXPECT_EQ(stored->size, content.size());
  EXPECT_EQ(stored->sha256_hex, sha256_hex(content));

  EXPECT_EQ(download(*client_, key), content);
  auto head = client_->head_object(key);
  ASSERT_TRUE(head) << head.error().describe();
  EXPECT_EQ(head->size, content.size());
  EXPECT_EQ(head->content_type, "text/plain; charset=utf-8");
}

TEST_F(S3Storage, RoundTripsEmptyObject) {
  MemoryByteSource source("");
  auto stored = client_->upload_stream("empty.bin", source, "application/octet-stream", 0);
  ASSERT_TRUE(stored) << stored.error().describe();
  EXPECT_EQ(stored->sha256_hex, sha256_hex(std::string_view{}));
  EXPECT_EQ(download(*client_, "empty.bin"), "");
}

TEST_F(S3Storage, RoundTripsMultipartObjectByteIdentical) {
  const std::uint64_t size = 3 * min_part_size_bytes + 2 * mebibyte + 123;  // 4 parts, the last short
  test::GeneratedSource source(size, 42);
  auto stored = client_->upload_stream("video/big file.mp4", source, "video/mp4", size);
  ASSERT_TRUE(stored) << stored.error().describe();
  EXPECT_TRUE(stored->multipart);
  EXPECT_EQ(stored->size, size);
  EXPECT_EQ(stored->sha256_hex, expected_sha256(size, 42, min_part_size_bytes));

  const std::string downloaded = download(*client_, "video/big file.mp4");
  EXPECT_EQ(downloaded.size(), size);
  EXPECT_EQ(sha256_hex(downloaded), stored->sha256_hex);
  auto uploads = client_->list_multipart_uploads();
  ASSERT_TRUE(uploads) << uploads.error().describe();
  EXPECT_TRUE(uploads->empty());
}

TEST_F(S3Storage, ListsMoreThanAThousandKeysAcrossPages) {
  constexpr int key_count = 1050;
  std::atomic<int> next{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> writers;
  for (int t = 0; t < 8; ++t) {
    writers.emplace_back([&] {
      for (int i = next++; i < key_count; i = next++) {
        char key[32];
        std::snprintf(key, sizeof key, "many/%05d.txt", i);
        if (!client_->put_object(key, std::string_view("x"), "text/plain")) ++failures;
      }
    });
  }
  for (auto& writer : writers) writer.join();
  ASSERT_EQ(failures.load(), 0);

  auto first = client_->list_objects_page("many/", std::nullopt);
  ASSERT_TRUE(first) << first.error().describe();
  EXPECT_EQ(first->objects.size(), 1000U);
  EXPECT_TRUE(first->next_continuation_token.has_value());

  std::vector<std::string> keys;
  auto listed = client_->list_objects("many/", [&](const ObjectInfo& object) -> Status {
    keys.push_back(object.key);
    EXPECT_EQ(object.size, 1U);
    return {};
  });
  ASSERT_TRUE(listed) << listed.error().describe();
  ASSERT_EQ(keys.size(), static_cast<std::size_t>(key_count));
  EXPECT_EQ(keys.front(), "many/00000.txt");
  EXPECT_EQ(keys.back(), "many/01049.txt");
  EXPECT_TRUE(std::is_sorted(keys.begin(), keys.end()));
}

TEST_F(S3Storage, WrongSecretGivesClearPermanentError) {
  auto settings = client_->settings();
  settings.secret_key = "not-the-secret";
  S3Client wrong(settings);
  auto stored = wrong.put_object("x.txt", std::string_view("data"), "text/plain");
  ASSERT_FALSE(stored);
  EXPECT_EQ(stored.error().kind, ErrorKind::permanent);
  EXPECT_EQ(stored.error().code, "s3.SignatureDoesNotMatch");
  EXPECT_NE(stored.error().message.find("PUT x.txt"), std::string::npos) << stored.error().message;
  EXPECT_EQ(stored.error().message.find("not-the-secret"), std::string::npos);
}

TEST_F(S3Storage, UnknownAccessKeyGivesPermanentError) {
  auto settings = client_->settings();
  settings.access_key = "nobody";
  S3Client stranger(settings);
  auto listed = stranger.list_objects_page("", std::nullopt);
  ASSERT_FALSE(listed);
  EXPECT_EQ(listed.error().kind, ErrorKind::permanent);
  EXPECT_EQ(listed.error().code, "s3.InvalidAccessKeyId");
}

TEST_F(S3Storage, MissingBucketGivesPermanentNoSuchBucket) {
  S3Client elsewhere(settings_for(account_, unique_bucket()));
  auto stored = elsewhere.put_object("x.txt", std::string_view("data"), "text/plain");
  ASSERT_FALSE(stored);
  EXPECT_EQ(stored.error().kind, ErrorKind::permanent);
  EXPECT_EQ(stored.error().code, "s3.NoSuchBucket");
  auto head = elsewhere.head_bucket();
  ASSERT_FALSE(head);
  EXPECT_EQ(head.error().code, "s3.NoSuchBucket");
}

TEST_F(S3Storage, CopiesHeadsAndDeletesObjects) {
  ASSERT_TRUE(client_->put_object("docs/source file.pdf", std::string_view("pdf bytes"), "application/pdf"));
  auto copied = client_->copy_object("docs/source file.pdf", "docs/copy.pdf");
  ASSERT_TRUE(copied) << copied.error().describe();
  EXPECT_EQ(download(*client_, "docs/copy.pdf"), "pdf bytes");

  ASSERT_TRUE(client_->delete_object("docs/copy.pdf"));
  auto gone = client_->head_object("docs/copy.pdf");
  ASSERT_FALSE(gone);
  EXPECT_EQ(gone.error().kind, ErrorKind::not_found);
  EXPECT_EQ(gone.error().code, "s3.NoSuchKey");
  EXPECT_TRUE(client_->delete_object("docs/copy.pdf")) << "deleting a missing key succeeds";
}

TEST_F(S3Storage, RejectsInvalidKeysWithoutARequest) {
  auto empty = client_->put_object("", std::string_view("x"), "text/plain");
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().kind, ErrorKind::invalid_input);
  auto control = client_->head_object(std::string("a\nb"));
  ASSERT_FALSE(control);
  EXPECT_EQ(control.error().kind, ErrorKind::invalid_input);
}

// A source that fails (or throws) after some bytes, like a broken download.
class FailingSource final : public ByteSource {
 public:
  FailingSource(std::uint64_t good_bytes, bool throws) : inner_(good_bytes + mebibyte, 7), limit_(good_bytes), throws_(throws) {}
  Result<std::size_t> read(std::span<std::byte> buffer) override {
    if (produced_ >= limit_) {
      if (throws_) throw std::runtime_error("source exploded");
      return fail(ErrorKind::cancelled, "test.cancelled", "stopped on request");
    }
    auto n = inner_.read(buffer.first(std::min<std::size_t>(buffer.size(), limit_ - produced_)));
    if (n) produced_ += *n;
    return n;
  }

 private:
  test::GeneratedSource inner_;
  std::uint64_t limit_;
  bool throws_;
  std::uint64_t produced_ = 0;
};

TEST_F(S3Storage, FailingSourceAbortsTheMultipartUpload) {
  FailingSource source(2 * min_part_size_bytes + 100, false);
  auto stored = client_->upload_stream("broken.bin", source, "application/octet-stream");
  ASSERT_FALSE(stored);
  EXPECT_EQ(stored.error().kind, ErrorKind::cancelled);
  auto uploads = client_->list_multipart_uploads();
  ASSERT_TRUE(uploads) << uploads.error().describe();
  EXPECT_TRUE(uploads->empty());
  EXPECT_EQ(client_->pending_abort_count(), 0U);
  EXPECT_FALSE(client_->head_object("broken.bin"));
}

TEST_F(S3Storage, ThrowingSourceAbortsTheMultipartUpload) {
  FailingSource source(2 * min_part_size_bytes + 100, true);
  EXPECT_THROW((void)client_->upload_stream("thrown.bin", source, "application/octet-stream"), std::runtime_error);
  auto uploads = client_->list_multipart_uploads();
  ASSERT_TRUE(uploads) << uploads.error().describe();
  EXPECT_TRUE(uploads->empty());
}

TEST_F(S3Storage, SizeMismatchIsRejectedAndNothingDangles) {
  test::GeneratedSource source(min_part_size_bytes + 10, 3);
  auto stored = client_->upload_stream("short.bin", source, "application/octet-stream", min_part_size_bytes + 11);
  ASSERT_FALSE(stored);
  EXPECT_EQ(stored.error().code, "storage.size_mismatch");
  auto uploads = client_->list_multipart_uploads();
  ASSERT_TRUE(uploads);
  EXPECT_TRUE(uploads->empty());
  EXPECT_FALSE(client_->head_object("short.bin"));
}

TEST(S3ServerOutage, ServerStoppedMidUploadGivesRetryableErrorAndNoDanglingUpload) {
  test::S3rverInstance server;
  auto settings = settings_for(server.account(), "outage");
  settings.parallel_parts = 2;
  settings.max_attempts = 2;
  S3Client client(settings);
  ASSERT_TRUE(client.ensure_bucket());

  test::GeneratedSource source(12 * min_part_size_bytes, 9);
  source.on_offset(4 * min_part_size_bytes, [&] { server.kill(); });
  auto stored = client.upload_stream("interrupted.bin", source, "application/octet-stream");
  ASSERT_FALSE(stored);
  EXPECT_TRUE(stored.error().retryable()) << stored.error().describe();
  EXPECT_TRUE(stored.error().code.starts_with("http.")) << stored.error().describe();
  // The abort could not reach the stopped server: it is remembered, not forgotten, and
  // the health check does not drop it while storage is still down.
  EXPECT_EQ(client.pending_abort_count(), 1U);
  EXPECT_FALSE(probe_and_tidy(client));
  EXPECT_EQ(client.pending_abort_count(), 1U);

  server.restart();
  auto before = client.list_multipart_uploads();
  ASSERT_TRUE(before) << before.error().describe();
  EXPECT_EQ(before->size(), 1U) << "the interrupted upload is still open on the server";

  // The periodic health check finishes the abort once storage answers again.
  auto probed = probe_and_tidy(client);
  ASSERT_TRUE(probed) << probed.error().describe();
  EXPECT_EQ(client.pending_abort_count(), 0U);
  auto after = client.list_multipart_uploads();
  ASSERT_TRUE(after) << after.error().describe();
  EXPECT_TRUE(after->empty());
  // And on the server's disk (s3rver keeps open uploads under <bucket>/._S3rver_uploads).
  const auto uploads_dir = server.directory() / "outage" / "._S3rver_uploads";
  EXPECT_TRUE(!std::filesystem::exists(uploads_dir) || std::filesystem::is_empty(uploads_dir));
  EXPECT_FALSE(client.head_object("interrupted.bin"));
}

TEST(S3ServerOutage, RequestToStoppedServerFailsRetryableAfterBoundedAttempts) {
  test::S3rverInstance server;
  auto settings = settings_for(server.account(), "gone");
  settings.max_attempts = 3;
  S3Client client(settings);
  server.kill();
  auto head = client.head_bucket();
  ASSERT_FALSE(head);
  EXPECT_EQ(head.error().kind, ErrorKind::retryable);
  EXPECT_EQ(head.error().code, "http.connect");
}

TEST(BucketQuota, RatioFollowsUploadsDeletesAndRelisting) {
  const auto account = test::shared_s3();
  S3Client client(settings_for(account, unique_bucket()));
  ASSERT_TRUE(client.ensure_bucket());
  auto now = std::chrono::steady_clock::time_point{};
  BucketUsage usage(client, 1000, std::chrono::seconds{60}, [&] { return now; });
  ASSERT_TRUE(usage.refresh_if_due());
  EXPECT_TRUE(usage.listed());
  EXPECT_EQ(usage.used_bytes(), 0U);

  auto store = [&](const std::string& key, std::size_t size) {
    const std::string content(size, 'q');
    MemoryByteSource source(content);
    auto stored = client.upload_stream(key, source, "application/octet-stream");
    EXPECT_TRUE(stored);
    return stored ? stored->size : 0;
  };
  usage.record_upload(store("a", 100));
  usage.record_upload(store("b", 200));
  usage.record_upload(store("c", 300));
  EXPECT_DOUBLE_EQ(*usage.ratio(), 0.6);

  ASSERT_TRUE(client.delete_object("b"));
  usage.record_delete(200);
  EXPECT_DOUBLE_EQ(*usage.ratio(), 0.4);

  // Someone else writes 250 bytes: invisible until the next listing, which is not due yet.
  store("written-elsewhere", 250);
  ASSERT_TRUE(usage.refresh_if_due());
  EXPECT_DOUBLE_EQ(*usage.ratio(), 0.4);
  now += std::chrono::seconds{61};
  ASSERT_TRUE(usage.refresh_if_due());
  EXPECT_EQ(usage.used_bytes(), 650U);
  EXPECT_DOUBLE_EQ(*usage.ratio(), 0.65);
  EXPECT_FALSE(usage.exhausted());

  usage.record_upload(store("d", 400));
  EXPECT_EQ(usage.used_bytes(), 1050U);
  EXPECT_TRUE(usage.exhausted());
  ASSERT_TRUE(usage.refresh());
  EXPECT_EQ(usage.used_bytes(), 1050U) << "the listing agrees with the running total";
}

}  // namespace
}  // namespace teltubby::storage
