// A small process for the real-TDLib tests (tdlib_real_test.cpp): each run is one
// process start and exit, which is what the close-before-exit rule is about.
//
//   tdlib_real_probe cycle LIB            load with the production flags, read the version,
//                                         create a client, reach WaitTdlibParameters, close,
//                                         wait for Closed, exit 0
//   tdlib_real_probe openssl LIB 0|1      the same inside a process that uses the system
//                                         libcurl/libcrypto, with (1) or without (0)
//                                         RTLD_DEEPBIND; SHA-256 through the system EVP
//                                         before, during and after; exit 0 when all agree
//
// It never sends setTdlibParameters: the real library would then try to reach Telegram.
#include <openssl/evp.h>
#include <curl/curl.h>

#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>

#include "core/log.hpp"
#include "telegram/tdlib/td_client.hpp"
#include "telegram/tdlib/td_json_library.hpp"
#include "telegram/tdlib/td_log.hpp"

namespace {

using namespace std::chrono_literals;
using teltubby::tdlib::TdClient;
using teltubby::tdlib::TdJsonLibrary;

// SHA-256("abc") through the system libcrypto, hex.
std::string system_sha256_of_abc() {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (EVP_Digest("abc", 3, digest, &length, EVP_sha256(), nullptr) != 1) return "EVP failed";
  std::string hex;
  char byte[3];
  for (unsigned i = 0; i < length; ++i) {
    std::snprintf(byte, sizeof byte, "%02x", digest[i]);
    hex += byte;
  }
  return hex;
}

int cycle(const std::string& path, int flags) {
  auto library = std::make_shared<TdJsonLibrary>(path, flags);
  if (auto routed = teltubby::tdlib::route_tdlib_log(*library, 1); !routed) {
    std::cerr << "log routing failed: " << routed.error().describe() << "\n";
    return 3;
  }
  auto version = library->version();
  if (!version) {
    std::cerr << "version failed: " << version.error().describe() << "\n";
    return 3;
  }
  std::cout << "version " << *version << "\n";
  TdClient client{library};
  // The first request starts the instance; TDLib then sends its first state.
  auto answer = client.call({{"@type", "getOption"}, {"name", "version"}}, 30s);
  if (!answer) {
    std::cerr << "getOption failed: " << answer.error().describe() << "\n";
    return 4;
  }
  if (!client.wait_for_authorization_state("authorizationStateWaitTdlibParameters", 30s)) {
    std::cerr << "no authorizationStateWaitTdlibParameters\n";
    return 5;
  }
  if (auto closed = client.close(); !closed) {
    std::cerr << "close failed: " << closed.error().describe() << "\n";
    return 6;
  }
  std::cout << "closed\n";
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: tdlib_real_probe cycle|openssl LIB [0|1]\n";
    return 2;
  }
  teltubby::LogSettings settings;
  settings.level = teltubby::LogLevel::warn;
  teltubby::configure_logging(settings);
  const std::string mode = argv[1];
  const std::string path = argv[2];
  try {
    if (mode == "cycle") return cycle(path, teltubby::tdlib::default_tdjson_flags());
    if (mode == "openssl" && argc >= 4) {
      curl_global_init(CURL_GLOBAL_DEFAULT);
      std::cout << "curl " << curl_version() << "\n";
      const std::string before = system_sha256_of_abc();
      const bool deepbind = std::strcmp(argv[3], "1") == 0;
      const int flags = deepbind ? teltubby::tdlib::kTdJsonProductionFlags
                                 : (teltubby::tdlib::kTdJsonProductionFlags & ~RTLD_DEEPBIND);
      const int status = cycle(path, flags);
      const std::string after = system_sha256_of_abc();
      std::cout << "sha256 before " << before << " after " << after << "\n";
      curl_global_cleanup();
      if (status != 0) return status;
      return before == after && before == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" ? 0 : 7;
    }
  } catch (const teltubby::FatalError& error) {
    std::cerr << "fatal: " << error.what() << "\n";
    return 8;
  }
  std::cerr << "unknown mode\n";
  return 2;
}
