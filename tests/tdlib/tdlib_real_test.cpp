// The production loader on the real TDLib (npm @prebuilt-tdlib/linux-x64-glibc, pinned
// in package-lock.json). Plain build only (label `plain`): the sanitizer runtime refuses
// RTLD_DEEPBIND. Nothing here sends setTdlibParameters, so TDLib never tries to reach
// Telegram: it stops at authorizationStateWaitTdlibParameters.
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <initializer_list>
#include <string>
#include <string_view>

#include "telegram/tdlib/td_json_library.hpp"

namespace teltubby::tdlib {
namespace {

struct ProcessResult {
  int wait_status = 0;
  std::string output;
  [[nodiscard]] bool exited_zero() const { return WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0; }
};

// Runs a shell command line (our own fixed arguments only) and collects its output.
ProcessResult run(const std::string& command) {
  ProcessResult result;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return {-1, "popen failed"};
  char buffer[4096];
  while (std::fgets(buffer, sizeof buffer, pipe) != nullptr) result.output += buffer;
  result.wait_status = ::pclose(pipe);
  return result;
}

// Concatenation by append: GCC 12 at -O2 reports a false -Warray-bounds for
// `std::string + const char*` chains here.
std::string join(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (auto part : parts) out.append(part);
  return out;
}

std::string describe(const ProcessResult& result) {
  std::string how = WIFSIGNALED(result.wait_status) ? "killed by signal " + std::to_string(WTERMSIG(result.wait_status))
                                                    : "exit " + std::to_string(WEXITSTATUS(result.wait_status));
  return how + "\n" + result.output;
}

class RealTdlib : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(TELTUBBY_REAL_TDJSON_PATH)) {
      GTEST_FAIL() << "missing " << TELTUBBY_REAL_TDJSON_PATH << ": run scripts/setup (npm ci)";
    }
  }
  static std::string probe(const std::string& args) {
    return join({"'", TELTUBBY_REAL_PROBE_PATH, "' ", args});
  }
};

TEST_F(RealTdlib, LoadsWithDeepbindAndReadsItsVersionThroughTdExecute) {
  static_assert((default_tdjson_flags() & RTLD_DEEPBIND) != 0, "the plain build uses the production flags");
  TdJsonLibrary library(TELTUBBY_REAL_TDJSON_PATH);
  ASSERT_NE(library.api().set_log_message_callback, nullptr);
  auto version = library.version();
  ASSERT_TRUE(version.has_value()) << version.error().describe();
  // The pinned npm package 0.1008067.0 is TDLib 1.8.67.
  EXPECT_EQ(*version, "1.8.67");
}

TEST_F(RealTdlib, FiftyProcessRunsReachWaitTdlibParametersCloseAndExitCleanly) {
  // TELTUBBY_TDLIB_RUNS lowers the count for a quick local check; the default is the
  // acceptance criterion.
  int runs = 50;
  if (const char* env = std::getenv("TELTUBBY_TDLIB_RUNS"); env != nullptr) runs = std::atoi(env);
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < runs; ++i) {
    auto result = run(probe(join({"cycle '", TELTUBBY_REAL_TDJSON_PATH, "'"})));
    ASSERT_TRUE(result.exited_zero()) << "run " << i + 1 << ": " << describe(result);
    ASSERT_NE(result.output.find("version 1.8.67"), std::string::npos) << result.output;
    ASSERT_NE(result.output.find("closed"), std::string::npos) << result.output;
  }
  const auto seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cout << runs << " runs in " << seconds << " s (" << seconds / runs << " s per run)\n";
}

// Fact (b): libtdjson.so bundles OpenSSL and exports its symbols unversioned. The
// dynamic linker's own trace (LD_DEBUG=bindings) shows where TDLib's references to
// OpenSSL functions bind: with RTLD_DEEPBIND to itself, without it to the system
// libcrypto that libcurl already loaded. System OpenSSL keeps working in both cases.
TEST_F(RealTdlib, DeepbindKeepsTdlibsOpenSslCallsInsideTheLibraryAndSystemOpenSslWorks) {
  const auto trace_dir = std::filesystem::temp_directory_path() / ("tdjson-bindings-" + std::to_string(::getpid()));
  std::filesystem::remove_all(trace_dir);
  std::filesystem::create_directories(trace_dir);
  auto bindings_to_system_libcrypto = [&](const std::string& deepbind) {
    const auto trace = trace_dir / join({"trace-", deepbind});
    auto result = run(join({"LD_DEBUG=bindings LD_DEBUG_OUTPUT='", trace.string(), "' ",
                            probe(join({"openssl '", TELTUBBY_REAL_TDJSON_PATH, "' ", deepbind}))}));
    EXPECT_TRUE(result.exited_zero()) << "deepbind=" << deepbind << ": " << describe(result);
    EXPECT_NE(result.output.find("OpenSSL/"), std::string::npos) << "libcurl linked with OpenSSL: " << result.output;
    int count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(trace_dir)) {
      if (!entry.path().filename().string().starts_with(join({"trace-", deepbind}))) continue;
      std::ifstream in(entry.path());
      for (std::string line; std::getline(in, line);) {
        if (line.find("binding file") != std::string::npos && line.find("libtdjson.so") != std::string::npos &&
            line.find(" to ") != std::string::npos && line.find("libcrypto.so") != std::string::npos &&
            line.find("libtdjson.so", line.find(" to ")) == std::string::npos) {
          ++count;
        }
      }
    }
    return count;
  };
  EXPECT_EQ(bindings_to_system_libcrypto("1"), 0);
  EXPECT_GT(bindings_to_system_libcrypto("0"), 100);
  std::filesystem::remove_all(trace_dir);
}

}  // namespace
}  // namespace teltubby::tdlib
