#include "mtproto/td_account.hpp"

#include <condition_variable>
#include <fstream>
#include <system_error>

#include "telegram/tdlib/td_error.hpp"

namespace teltubby::mtproto {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

void make_private_directory(const fs::path& directory, std::string_view what) {
  std::error_code error;
  fs::create_directories(directory, error);
  if (!error) fs::permissions(directory, fs::perms::owner_all, fs::perm_options::replace, error);
  if (error) {
    throw FatalError("cannot create the " + std::string(what) + " directory " + directory.string() + ": " +
                     error.message());
  }
}

std::string text(const json& object, const char* key) {
  if (!object.is_object()) return {};
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

Error no_client() { return Error{ErrorKind::retryable, "mtproto.no_client", "the TDLib client is not running", {}}; }

}  // namespace

std::string AccountInfo::display_name() const {
  std::string name = first_name;
  if (!last_name.empty()) name += (name.empty() ? "" : " ") + last_name;
  if (!username.empty()) name += (name.empty() ? "@" : " (@") + username + (name.empty() ? "" : ")");
  return name.empty() ? std::to_string(user_id) : name;
}

TdAccount::TdAccount(std::shared_ptr<const tdlib::TdJsonLibrary> library, AccountSettings settings, Logger log)
    : library_(std::move(library)), settings_(std::move(settings)), log_(std::move(log)) {
  if (!library_) throw FatalError("TdAccount needs a loaded TDLib library");
  // The session directory holds the account's authorization key: owner only.
  make_private_directory(settings_.session_directory, "MTProto session");
  make_private_directory(settings_.files_directory, "TDLib files");
}

TdAccount::~TdAccount() {
  try {
    if (auto closed = close(); !closed) {
      log_.error("TDLib client did not close", {{"error", closed.error().describe()}});
    }
  } catch (...) {
    // A destructor never throws.
  }
}

void TdAccount::on_login(LoginHandler handler) {
  const std::scoped_lock lock(mutex_);
  login_handlers_.push_back(std::move(handler));
}

void TdAccount::on_file(FileHandler handler) {
  const std::scoped_lock lock(mutex_);
  file_handlers_.push_back(std::move(handler));
}

void TdAccount::attach_handlers(tdlib::TdClient& client) {
  client.on_update("updateAuthorizationState", [this, &client](const json& update) { handle_state(client, update); });
  client.on_update("updateFile", [this](const json& update) {
    std::vector<FileHandler> handlers;
    {
      const std::scoped_lock lock(mutex_);
      handlers = file_handlers_;
    }
    // updateFile file:file = Update;
    if (auto it = update.find("file"); it != update.end()) {
      for (const auto& handler : handlers) handler(*it);
    }
  });
}

void TdAccount::handle_state(tdlib::TdClient& client, const json& update) {
  LoginView view = login_view(update.value("authorization_state", json::object()));
  if (view.type == "authorizationStateWaitTdlibParameters") {
    TdlibParameters parameters;
    parameters.database_directory = settings_.session_directory.string();
    parameters.files_directory = settings_.files_directory.string();
    parameters.database_encryption_key = settings_.database_key;
    parameters.api_id = settings_.api_id;
    parameters.api_hash = settings_.api_hash;
    parameters.application_version = settings_.application_version;
    // Answered on this (the receive) thread: send() never blocks.
    client.send(set_tdlib_parameters_request(parameters), [this](Result<json> answer) {
      if (answer) return;
      log_.error("TDLib refused its parameters", {{"error", answer.error().describe()}});
      const std::scoped_lock lock(mutex_);
      setup_failure_ = answer.error().message;
      changed_.notify_all();
    });
  }
  std::vector<LoginHandler> handlers;
  {
    const std::scoped_lock lock(mutex_);
    login_ = view;
    handlers = login_handlers_;
  }
  log_.info("authorization state", {{"state", view.type}});
  for (const auto& handler : handlers) handler(view);
  changed_.notify_all();
}

void TdAccount::start() {
  std::shared_ptr<tdlib::TdClient> previous;
  {
    const std::scoped_lock lock(mutex_);
    if (client_ && !client_->closed()) return;
    previous = std::move(client_);
  }
  // The closed client is released outside the lock: its destructor detaches from the
  // receive thread, which may be waiting for this lock in a handler.
  previous.reset();
  auto fresh = std::make_shared<tdlib::TdClient>(library_, log_);
  // Handlers before the first request; a harmless getOption starts the client.
  attach_handlers(*fresh);
  {
    const std::scoped_lock lock(mutex_);
    client_ = fresh;
    login_ = LoginView{};
    setup_failure_.clear();
  }
  json version = request("getOption");
  version["name"] = "version";
  fresh->send(std::move(version), [](Result<json>) {});
}

void TdAccount::restart() {
  {
    const std::scoped_lock lock(mutex_);
    if (client_ && !client_->closed()) return;
  }
  log_.info("starting a new TDLib client after the previous one closed");
  start();
}

Status TdAccount::close() {
  std::shared_ptr<tdlib::TdClient> current = client();
  if (!current) return {};
  return current->close();
}

std::shared_ptr<tdlib::TdClient> TdAccount::client() const {
  const std::scoped_lock lock(mutex_);
  return client_;
}

LoginView TdAccount::login() const {
  const std::scoped_lock lock(mutex_);
  return login_;
}

bool TdAccount::wait_for(const std::function<bool(const LoginView&)>& done, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, [&] { return done(login_); });
}

std::string TdAccount::last_auth_failure() const {
  const std::scoped_lock lock(mutex_);
  return last_auth_failure_;
}

std::string TdAccount::setup_failure() const {
  const std::scoped_lock lock(mutex_);
  return setup_failure_;
}

Result<json> TdAccount::call(json request) { return call(std::move(request), settings_.request_timeout); }

Result<json> TdAccount::call(json request, std::chrono::milliseconds timeout) {
  auto current = client();
  if (!current) return std::unexpected(no_client());
  auto answer = current->call(std::move(request), timeout);
  if (!answer && tdlib::is_auth_error(answer.error())) {
    const std::scoped_lock lock(mutex_);
    last_auth_failure_ = answer.error().message;
  }
  return answer;
}

void TdAccount::send(json request) {
  auto current = client();
  if (current) current->send(std::move(request), [](Result<json>) {});
}

std::future<Result<json>> TdAccount::send_async(json request) {
  auto current = client();
  if (!current) {
    std::promise<Result<json>> none;
    none.set_value(std::unexpected(no_client()));
    return none.get_future();
  }
  return current->send(std::move(request));
}

Status TdAccount::call_status(json request) {
  auto answer = call(std::move(request));
  if (!answer) return std::unexpected(answer.error());
  return {};
}

Status TdAccount::send_phone(std::string_view phone) { return call_status(phone_number_request(phone)); }
Status TdAccount::send_code(std::string_view code) { return call_status(code_request(code)); }
Status TdAccount::send_password(std::string_view password) { return call_status(password_request(password)); }
Status TdAccount::request_qr() { return call_status(qr_request()); }
Status TdAccount::log_out() { return call_status(request("logOut")); }

// user id:int53 first_name:string last_name:string usernames:usernames ... is_premium:Bool ...
// usernames active_usernames:vector<string> disabled_usernames:vector<string> editable_username:string
Result<AccountInfo> TdAccount::me() {
  auto user = call(request("getMe"));
  if (!user) return std::unexpected(user.error());
  AccountInfo info;
  if (auto id = user->find("id"); id != user->end() && id->is_number_integer()) info.user_id = id->get<std::int64_t>();
  if (info.user_id == 0) return fail(ErrorKind::retryable, "mtproto.bad_answer", "getMe answered without a user id");
  info.first_name = text(*user, "first_name");
  info.last_name = text(*user, "last_name");
  if (auto names = user->find("usernames"); names != user->end() && names->is_object()) {
    info.username = text(*names, "editable_username");
  }
  if (auto premium = user->find("is_premium"); premium != user->end() && premium->is_boolean()) {
    info.premium = premium->get<bool>();
  }
  return info;
}

std::string TdAccount::tdlib_version() const {
  auto version = library_->version();
  return version ? *version : std::string{};
}

std::chrono::sys_seconds TdAccount::session_since(bool fresh) {
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  const std::filesystem::path marker = settings_.session_directory / "teltubby-session-since";
  if (!fresh) {
    std::ifstream in(marker);
    std::int64_t seconds = 0;
    if (in >> seconds && seconds > 0 && seconds <= now.time_since_epoch().count()) {
      return std::chrono::sys_seconds{std::chrono::seconds{seconds}};
    }
  }
  // Only shown to admins: a failed write costs the age after the next restart, nothing else.
  std::ofstream(marker, std::ios::trunc) << now.time_since_epoch().count() << '\n';
  return now;
}

std::int64_t TdAccount::cache_bytes() const {
  std::int64_t total = 0;
  std::error_code error;
  for (auto it = std::filesystem::recursive_directory_iterator(settings_.files_directory, error);
       !error && it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
    std::error_code size_error;
    if (it->is_regular_file(size_error)) {
      const auto size = it->file_size(size_error);
      if (!size_error) total += static_cast<std::int64_t>(size);
    }
  }
  return total;
}

}  // namespace teltubby::mtproto
