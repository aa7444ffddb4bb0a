#pragma once
// TdAccount: the worker's Telegram user account, driven through TDLib (docs/mtproto.md).
//
// It owns the TdClient, answers TDLib's request for parameters (session directory,
// files directory, optional database key), and exposes the authorization state machine
// as LoginView plus the calls that move it (phone, code, password, QR). It decides
// nothing about *who* supplies a code: `teltubby login` asks a terminal, the worker's
// WorkerLogin asks the admins through the bot.
//
// A session revoked elsewhere makes TDLib close the client (LoggingOut -> Closed);
// restart() then creates a fresh client on the same directories so a new login can
// start. Every exit path must end in close(): TDLib aborts the process at exit when a
// client is still open (docs/tdlib.md, fact a).
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "core/log.hpp"
#include "mtproto/td_objects.hpp"
#include "telegram/tdlib/td_client.hpp"
#include "telegram/tdlib/td_json_library.hpp"

namespace teltubby::mtproto {

// Telegram's file size limits for an account: 2000 MiB, 4000 MiB with Premium.
inline constexpr std::int64_t kMaxFileBytes = 2000LL * 1024 * 1024;
inline constexpr std::int64_t kMaxPremiumFileBytes = 4000LL * 1024 * 1024;

struct AccountSettings {
  std::filesystem::path session_directory;  // MTPROTO_SESSION_PATH: TDLib's database (created 0700)
  std::filesystem::path files_directory;    // where TDLib puts downloads (under WORK_DIR)
  std::string database_key;                 // MTPROTO_DATABASE_KEY; "" = not encrypted (secret)
  std::int32_t api_id = 0;                  // MTPROTO_API_ID
  std::string api_hash;                     // MTPROTO_API_HASH (secret)
  std::string application_version;
  std::chrono::milliseconds request_timeout{30'000};  // longest wait for one TDLib answer
};

struct AccountInfo {
  std::int64_t user_id = 0;
  std::string first_name;
  std::string last_name;
  std::string username;
  bool premium = false;
  [[nodiscard]] std::string display_name() const;
  [[nodiscard]] std::int64_t max_file_bytes() const { return premium ? kMaxPremiumFileBytes : kMaxFileBytes; }
};

class TdAccount {
 public:
  // Handlers run on TDLib's receive thread: keep them short and never call back into
  // the account from them (queue the work for another thread).
  using LoginHandler = std::function<void(const LoginView&)>;
  using FileHandler = std::function<void(const nlohmann::json& file)>;

  // Creates the directories (0700); throws FatalError when they cannot be made.
  TdAccount(std::shared_ptr<const tdlib::TdJsonLibrary> library, AccountSettings settings,
            Logger log = Logger{"mtproto"});
  ~TdAccount();  // close(); never throws
  TdAccount(const TdAccount&) = delete;
  TdAccount& operator=(const TdAccount&) = delete;

  // Register before start().
  void on_login(LoginHandler handler);
  void on_file(FileHandler handler);

  // Creates the client; TDLib then asks for parameters and moves to the first login
  // step (or straight to ready with a saved session).
  void start();
  // After the client closed by itself (session revoked): a new client, same session
  // directory. No-op while the current client is open.
  void restart();
  // close + wait for authorizationStateClosed (bounded). Idempotent.
  Status close();

  [[nodiscard]] LoginView login() const;
  // Waits until the login step satisfies `done`; false on timeout.
  [[nodiscard]] bool wait_for(const std::function<bool(const LoginView&)>& done, std::chrono::milliseconds timeout) const;
  // Why the last client closed by itself, if TDLib said (e.g. USER_DEACTIVATED); "" when not known.
  [[nodiscard]] std::string last_auth_failure() const;
  // The parameters were refused (bad api_id/api_hash, unusable directory): the text.
  [[nodiscard]] std::string setup_failure() const;

  // The login steps. Errors are TDLib's (see login_problem()); the code and password
  // are never logged.
  Status send_phone(std::string_view phone);
  Status send_code(std::string_view code);
  Status send_password(std::string_view password);
  Status request_qr();
  Status log_out();

  // One request on the current client (timeout: settings.request_timeout). A 401 answer
  // is remembered for last_auth_failure().
  Result<nlohmann::json> call(nlohmann::json request);
  Result<nlohmann::json> call(nlohmann::json request, std::chrono::milliseconds timeout);
  // Fire and forget (cancelDownloadFile, deleteFile from a destructor path).
  void send(nlohmann::json request);
  // The answer later (a synchronous downloadFile answers only when the file is complete).
  std::future<Result<nlohmann::json>> send_async(nlohmann::json request);

  Result<AccountInfo> me();

  // When this session logged in (for /mtstatus): `fresh` records now, else the time
  // recorded before is read back (now when there is none). Kept in a small file in the
  // session directory, so a restart with the saved session keeps it.
  std::chrono::sys_seconds session_since(bool fresh);

  // Bytes in TDLib's files directory (downloads in progress or not yet deleted).
  [[nodiscard]] std::int64_t cache_bytes() const;
  // td_execute getOption("version").
  [[nodiscard]] std::string tdlib_version() const;

 private:
  void attach_handlers(tdlib::TdClient& client);
  void handle_state(tdlib::TdClient& client, const nlohmann::json& update);
  std::shared_ptr<tdlib::TdClient> client() const;
  Status call_status(nlohmann::json request);

  std::shared_ptr<const tdlib::TdJsonLibrary> library_;
  AccountSettings settings_;
  Logger log_;
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  std::shared_ptr<tdlib::TdClient> client_;
  LoginView login_;
  std::string last_auth_failure_;
  std::string setup_failure_;
  std::vector<LoginHandler> login_handlers_;
  std::vector<FileHandler> file_handlers_;
};

}  // namespace teltubby::mtproto
