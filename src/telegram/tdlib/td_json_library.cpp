#include "telegram/tdlib/td_json_library.hpp"

#include "telegram/tdlib/td_error.hpp"

namespace teltubby::tdlib {

void throw_dl_error(const std::filesystem::path& path, std::string_view what) {
  const char* reason = dlerror();
  throw FatalError("cannot load TDLib JSON library '" + path.string() + "' (" + std::string(what) +
                   "): " + (reason != nullptr ? reason : "unknown reason") +
                   " — set TDJSON_PATH to a libtdjson.so (scripts/setup installs one under node_modules/)");
}

void TdJsonLibrary::DlClose::operator()(void* handle) const noexcept {
  // Balanced with dlopen; RTLD_NODELETE keeps the code mapped for TDLib's own threads.
  if (handle != nullptr) dlclose(handle);
}

namespace {

template <class Fn>
Fn resolve(void* handle, const std::filesystem::path& path, const char* name, bool required) {
  dlerror();  // clear a stale error so a null result is attributed correctly
  void* symbol = dlsym(handle, name);
  if (symbol == nullptr && required) throw_dl_error(path, std::string("missing function ") + name);
  // dlsym returns an object pointer; POSIX guarantees it converts to a function pointer.
  return reinterpret_cast<Fn>(symbol);
}

}  // namespace

TdJsonLibrary::TdJsonLibrary(const std::filesystem::path& path, int flags) : path_(path), flags_(flags) {
  if (built_with_address_sanitizer() && (flags & RTLD_DEEPBIND) != 0) {
    throw FatalError("cannot load '" + path.string() +
                     "' with RTLD_DEEPBIND in a sanitizer build: AddressSanitizer refuses it");
  }
  dlerror();
  handle_.reset(dlopen(path.c_str(), flags));
  if (!handle_) throw_dl_error(path, "dlopen");
  api_.create_client_id = resolve<TdCreateClientId>(handle_.get(), path, "td_create_client_id", true);
  api_.send = resolve<TdSend>(handle_.get(), path, "td_send", true);
  api_.receive = resolve<TdReceive>(handle_.get(), path, "td_receive", true);
  api_.execute = resolve<TdExecute>(handle_.get(), path, "td_execute", true);
  api_.set_log_message_callback =
      resolve<TdSetLogMessageCallback>(handle_.get(), path, "td_set_log_message_callback", false);
}

Result<nlohmann::json> TdJsonLibrary::execute(const nlohmann::json& request) const {
  if (!request.is_object() || !request.contains("@type")) {
    return fail(ErrorKind::invalid_input, "tdlib.request", "a TDLib request must be a JSON object with @type");
  }
  const std::string text = request.dump();
  const char* answer = api_.execute(text.c_str());
  if (answer == nullptr) return fail(ErrorKind::permanent, "tdlib.execute", "td_execute returned no answer");
  return parse_answer(std::string(answer));
}

Result<std::string> TdJsonLibrary::version() const {
  auto answer = execute({{"@type", "getOption"}, {"name", "version"}});
  if (!answer) return std::unexpected(answer.error());
  // td_api.tl: optionValueString value:string = OptionValue;
  if (answer->value("@type", "") != "optionValueString" || !answer->contains("value") ||
      !(*answer)["value"].is_string()) {
    return fail(ErrorKind::permanent, "tdlib.answer", "getOption(version) answered " + answer->value("@type", "?"));
  }
  return (*answer)["value"].get<std::string>();
}

}  // namespace teltubby::tdlib
