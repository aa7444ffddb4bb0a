#pragma once
// TdJsonLibrary: the TDLib JSON interface (libtdjson) loaded at run time with dlopen.
//
// Why dlopen and not linking: the library is a 30 MB prebuilt binary chosen at run time
// (TDJSON_PATH), and tests swap in a stand-in with the same five C functions.
//
// Why RTLD_DEEPBIND: the prebuilt libtdjson.so bundles its own OpenSSL (3.6) and exports
// those symbols unversioned. Loaded without DEEPBIND into a process that already has the
// system libcrypto (through libcurl), the dynamic linker binds TDLib's own OpenSSL calls
// to the system library instead (measured: 2648 of its references; see docs/tdlib.md).
// DEEPBIND makes the library prefer its own definitions.
//
// Why RTLD_NODELETE: TDLib keeps scheduler threads running code from the library after
// the last client is closed; unmapping it under them would crash. The RAII handle still
// calls dlclose (balanced reference count), but the code stays mapped until exit.
//
// AddressSanitizer refuses RTLD_DEEPBIND outright, so the flags are a parameter:
// `default_flags()` is the production set in a normal build and drops DEEPBIND in a
// sanitizer build (which only ever loads the stand-in, which bundles nothing).
#include <dlfcn.h>

#include <filesystem>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace teltubby::tdlib {

// Signatures from td/telegram/td_json_client.h (tdlib/td).
using TdCreateClientId = int (*)();
using TdSend = void (*)(int client_id, const char* request);
using TdReceive = const char* (*)(double timeout_seconds);
using TdExecute = const char* (*)(const char* request);
using TdLogMessageCallback = void (*)(int verbosity_level, const char* message);
using TdSetLogMessageCallback = void (*)(int max_verbosity_level, TdLogMessageCallback callback);

struct TdJsonApi {
  TdCreateClientId create_client_id = nullptr;
  TdSend send = nullptr;
  TdReceive receive = nullptr;
  TdExecute execute = nullptr;
  TdSetLogMessageCallback set_log_message_callback = nullptr;  // optional: may stay null
};

// Production flags; see the file comment for each one.
inline constexpr int kTdJsonProductionFlags = RTLD_NOW | RTLD_LOCAL | RTLD_DEEPBIND | RTLD_NODELETE;
// What a sanitizer build can use: ASan aborts on RTLD_DEEPBIND.
inline constexpr int kTdJsonSanitizerFlags = RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE;

// True when this binary was compiled with AddressSanitizer.
[[nodiscard]] constexpr bool built_with_address_sanitizer() {
#if defined(__SANITIZE_ADDRESS__)
  return true;
#else
  return false;
#endif
}

[[nodiscard]] constexpr int default_tdjson_flags() {
  return built_with_address_sanitizer() ? kTdJsonSanitizerFlags : kTdJsonProductionFlags;
}

// Turns the last dlerror() into the start-up error for `path`: broken set-up, not a
// routine failure, so it is a FatalError naming the path and the loader's reason.
[[noreturn]] void throw_dl_error(const std::filesystem::path& path, std::string_view what);

class TdJsonLibrary {
 public:
  // Loads `path` and resolves the functions; throws FatalError when the file is missing,
  // is not a loadable library, or lacks one of the four required functions.
  explicit TdJsonLibrary(const std::filesystem::path& path, int flags = default_tdjson_flags());

  [[nodiscard]] const TdJsonApi& api() const { return api_; }
  [[nodiscard]] const std::filesystem::path& path() const { return path_; }
  [[nodiscard]] int flags() const { return flags_; }

  // td_execute for the few requests TDLib answers synchronously (getOption "version",
  // setLogVerbosityLevel, setLogStream, ...). The answer is copied before returning: the
  // library frees it at this thread's next td_execute/td_receive. A request that is not
  // a JSON object, or an answer that is not JSON, is an error value.
  [[nodiscard]] Result<nlohmann::json> execute(const nlohmann::json& request) const;

  // The library's version via td_execute getOption("version").
  [[nodiscard]] Result<std::string> version() const;

 private:
  struct DlClose {
    void operator()(void* handle) const noexcept;
  };
  using Handle = std::unique_ptr<void, DlClose>;

  std::filesystem::path path_;
  int flags_;
  Handle handle_;
  TdJsonApi api_;
};

}  // namespace teltubby::tdlib
