// The real `teltubby doctor` process: one line per check, the TDLib library loaded and
// its version printed (the real library from the npm package and the stand-in), and
// clear failures for what is broken. Storage and broker point where nothing answers.
#include <sys/stat.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "support/child_process.hpp"
#include "support/temp_dir.hpp"

namespace teltubby {
namespace {

using ::testing::HasSubstr;

class DoctorCliTest : public ::testing::Test {
 protected:
  void SetUp() override { std::ofstream(dir_.path() / "empty.env").flush(); }

  test::CommandResult doctor(const std::string& tdjson_path) {
    const std::vector<std::string> argv{"/usr/bin/env",
                                        "TELTUBBY_DATA_DIR=" + dir_.path().string(),
                                        "TDJSON_PATH=" + tdjson_path,
                                        "MTPROTO_API_ID=12345",
                                        "MTPROTO_API_HASH=0123456789abcdef0123456789abcdef",
                                        "S3_ENDPOINT=http://127.0.0.1:1",
                                        "S3_ACCESS_KEY_ID=doctor",
                                        "S3_SECRET_ACCESS_KEY=doctor-secret",
                                        "S3_BUCKET=archive",
                                        "RABBITMQ_HOST=127.0.0.1",
                                        "RABBITMQ_PORT=1",
                                        "IO_TIMEOUT_SECONDS=2",
                                        TELTUBBY_BINARY,
                                        "doctor",
                                        "--env-file",
                                        (dir_.path() / "empty.env").string()};
    return test::run_command(argv);
  }

  test::TempDir dir_;
};

TEST_F(DoctorCliTest, LoadsTheRealTdlibFromTheNpmPackageAndPrintsItsVersion) {
  ASSERT_TRUE(std::filesystem::exists(TELTUBBY_REAL_TDJSON_PATH)) << "scripts/setup installs it";
  const auto result = doctor(TELTUBBY_REAL_TDJSON_PATH);
  EXPECT_THAT(result.output, HasSubstr("ok    tdlib: TDLib 1.8.67 from ")) << result.output;
}

TEST_F(DoctorCliTest, LoadsTheStandInAndReportsEveryCheckOnItsOwnLine) {
  const auto result = doctor(TELTUBBY_FAKE_TDJSON_PATH);
  EXPECT_THAT(result.output, HasSubstr("ok    tdlib: TDLib 1.8.67")) << result.output;
  EXPECT_THAT(result.output, HasSubstr("does not exist yet: log in with `teltubby login`")) << result.output;
  EXPECT_THAT(result.output, HasSubstr("ok    sqlite: ")) << result.output;
  EXPECT_THAT(result.output, HasSubstr("FAIL  s3: ")) << result.output;
  EXPECT_THAT(result.output, HasSubstr("FAIL  rabbitmq: ")) << result.output;
  EXPECT_THAT(result.output, ::testing::Not(HasSubstr("doctor-secret")));
  EXPECT_EQ(result.exit_code, 1);
}

TEST_F(DoctorCliTest, AMissingTdlibAndASessionDirectoryOpenToOthersAreFailures) {
  std::filesystem::create_directories(dir_.path() / "mtproto");
  ::chmod((dir_.path() / "mtproto").c_str(), 0755);
  const auto result = doctor((dir_.path() / "no-such-libtdjson.so").string());
  EXPECT_THAT(result.output, HasSubstr("FAIL  tdlib: ")) << result.output;
  EXPECT_THAT(result.output, HasSubstr("no-such-libtdjson.so")) << result.output;
  EXPECT_THAT(result.output, HasSubstr("FAIL  session: ")) << result.output;
  EXPECT_THAT(result.output, HasSubstr("mode 755")) << result.output;
  EXPECT_EQ(result.exit_code, 1);
}

}  // namespace
}  // namespace teltubby
