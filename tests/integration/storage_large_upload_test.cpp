// A 1 GiB generated stream goes to the S3 test server while the process's peak resident
// memory grows by less than 64 MiB: memory is bounded by the part buffers, not the object.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "storage/s3_client.hpp"
#include "support/generated_source.hpp"
#include "support/s3rver.hpp"

namespace teltubby::storage {
namespace {

// VmHWM (peak resident set) of this process, in KiB, from /proc/self/status.
std::uint64_t peak_rss_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.starts_with("VmHWM:")) return std::stoull(line.substr(6));
  }
  return 0;
}

// Resets VmHWM to the current RSS where the kernel allows it (value 5 of clear_refs).
bool reset_peak_rss() {
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
  clear.flush();
  return static_cast<bool>(clear);
}

TEST(LargeUpload, OneGibStreamKeepsPeakMemoryGrowthUnder64MiB) {
  const auto account = test::shared_s3();
  S3Settings settings;
  settings.endpoint = account.endpoint;
  settings.access_key = account.access_key;
  settings.secret_key = account.secret_key;
  settings.bucket = "large-upload-" + std::to_string(::getpid());
  // The defaults (8 MiB parts, 2 in flight: 24 MiB of buffers) are what must fit.
  S3Client client(settings);
  ASSERT_TRUE(client.ensure_bucket());

  constexpr std::uint64_t size = 1024 * mebibyte;
  test::GeneratedSource source(size, 2024);
  const bool reset = reset_peak_rss();
  const std::uint64_t before_kib = peak_rss_kib();
  auto stored = client.upload_stream("large/one-gib.bin", source, "application/octet-stream", size);
  const std::uint64_t after_kib = peak_rss_kib();
  ASSERT_TRUE(stored) << stored.error().describe();
  EXPECT_EQ(stored->size, size);
  EXPECT_TRUE(stored->multipart);

  const std::uint64_t growth_kib = after_kib - before_kib;
  std::cout << "peak RSS growth: " << growth_kib / 1024 << " MiB (VmHWM " << before_kib / 1024 << " -> "
            << after_kib / 1024 << " MiB, reset " << (reset ? "supported" : "unsupported") << ")\n";
  EXPECT_LT(growth_kib, 64U * 1024);

  auto head = client.head_object("large/one-gib.bin");
  ASSERT_TRUE(head) << head.error().describe();
  EXPECT_EQ(head->size, size);
  EXPECT_TRUE(client.delete_object("large/one-gib.bin"));  // frees the test server's disk
}

}  // namespace
}  // namespace teltubby::storage
