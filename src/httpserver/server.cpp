#include "httpserver/server.hpp"

#include <httplib.h>
#include <sys/socket.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <exception>
#include <set>
#include <thread>
#include <utility>

#include "core/error.hpp"
#include "core/log.hpp"

namespace teltubby::httpserver {

namespace {

// cpp-httplib routes are regular expressions; ours are exact paths. Escaping every
// character that is not a word character keeps `/a.b` from matching `/aXb`.
std::string exact_path_pattern(std::string_view path) {
  std::string pattern;
  for (const char c : path) {
    const bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    if (!word) pattern += '\\';
    pattern += c;
  }
  return pattern;
}

Request to_request(const httplib::Request& in) {
  Request out;
  out.method = in.method;
  out.path = in.path;
  out.body = in.body;
  out.remote_address = in.remote_addr;
  out.headers.reserve(in.headers.size());
  for (const auto& [name, value] : in.headers) out.headers.emplace_back(name, value);
  for (const auto& [key, value] : in.params) out.query.try_emplace(key, value);  // multimap: first wins
  return out;
}

void apply(const Response& in, httplib::Response& out) {
  out.status = in.status;
  for (const auto& [name, value] : in.headers) out.set_header(name, value);
  out.set_content(in.body, in.content_type);
}

// errno after a failed bind, when it says something useful about why.
std::string bind_failure_reason(int error) {
  switch (error) {
    case EADDRINUSE:
    case EADDRNOTAVAIL:
    case EACCES:
    case EPERM:
      return std::string(": ") + std::strerror(error);
    default:
      return " (address in use, not an address of this host, or not permitted)";
  }
}

}  // namespace

struct Server::Impl {
  explicit Impl(ServerSettings s) : settings(std::move(s)), log(settings.name) {}

  void add_route(std::string_view method, std::string path, Handler handler) {
    if (started)
      throw FatalError("http server " + settings.name + ": route " + path + " added after start()");
    if (path.empty() || path.front() != '/') {
      throw FatalError("http server " + settings.name + ": route '" + path + "' must start with '/'");
    }
    if (!routes.insert(std::string(method) + " " + path).second) {
      throw FatalError("http server " + settings.name + ": route " + std::string(method) + " " + path +
                       " registered twice");
    }
    auto wrapped = [this, handler = std::move(handler)](const httplib::Request& request,
                                                        httplib::Response& response) {
      try {
        apply(handler(to_request(request)), response);
      } catch (const std::exception& error) {
        log.error("handler failed", {{"path", request.path}, {"error", redact(error.what())}});
        apply(Response::text(500, "internal error\n"), response);
      } catch (...) {
        log.error("handler failed", {{"path", request.path}, {"error", "unknown exception"}});
        apply(Response::text(500, "internal error\n"), response);
      }
    };
    if (method == "GET") {
      server.Get(exact_path_pattern(path), std::move(wrapped));
    } else {
      server.Post(exact_path_pattern(path), std::move(wrapped));
    }
  }

  ServerSettings settings;
  Logger log;
  httplib::Server server;
  std::set<std::string> routes;
  std::thread listener;
  std::atomic<bool> listener_done{false};
  std::atomic<std::uint16_t> port{0};
  // Written by the owning thread (start/stop); atomic so running() may ask from anywhere.
  std::atomic<bool> started{false};
  std::atomic<bool> stopped{false};
  bool listening = false;  // the accept loop ran: stop() has a thread to stop
};

Server::Server(ServerSettings settings) : impl_(std::make_unique<Impl>(std::move(settings))) {}

Server::~Server() {
  stop();
}

void Server::get(std::string path, Handler handler) {
  impl_->add_route("GET", std::move(path), std::move(handler));
}
void Server::post(std::string path, Handler handler) {
  impl_->add_route("POST", std::move(path), std::move(handler));
}

std::uint16_t Server::start() {
  auto& impl = *impl_;
  const auto& settings = impl.settings;
  const auto where = settings.bind_address + ":" + std::to_string(settings.port);
  if (impl.started) throw FatalError("http server " + settings.name + ": start() called twice");
  if (settings.threads == 0)
    throw FatalError("http server " + settings.name + ": threads must be at least 1");
  impl.started = true;

  auto& server = impl.server;
  const auto threads = settings.threads;
  server.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server.set_payload_max_length(settings.max_body_bytes);
  server.set_read_timeout(settings.read_timeout);
  server.set_write_timeout(settings.write_timeout);
  server.set_keep_alive_timeout(settings.keep_alive_timeout.count());
  // cpp-httplib's default also sets SO_REUSEPORT, which lets a second process bind the
  // same port and silently take half the connections. SO_REUSEADDR alone still allows a
  // quick restart while old connections sit in TIME_WAIT.
  server.set_socket_options([](int sock) {
    const int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });

  errno = 0;
  int bound = -1;
  if (settings.port == 0) {
    bound = server.bind_to_any_port(settings.bind_address);
  } else if (server.bind_to_port(settings.bind_address, settings.port)) {
    bound = settings.port;
  }
  if (bound <= 0) {
    const int error = errno;
    throw FatalError("http server " + settings.name + ": cannot listen on " + where +
                     bind_failure_reason(error));
  }
  impl.port = static_cast<std::uint16_t>(bound);

  impl.listener = std::thread([&impl] {
    try {
      impl.server.listen_after_bind();
    } catch (const std::exception& error) {
      impl.log.error("listener stopped", {{"error", redact(error.what())}});
    }
    impl.listener_done = true;
  });
  // httplib's stop() does nothing until the accept loop has begun, so a stop() that came
  // earlier would leave the thread running forever: return only once it is running.
  while (!server.is_running() && !impl.listener_done) std::this_thread::yield();
  if (impl.listener_done) {
    impl.listener.join();
    throw FatalError("http server " + settings.name + ": accept loop on " + where + " ended at once");
  }
  impl.listening = true;
  impl.log.info("listening", {{"address", settings.bind_address}, {"port", bound}});
  return impl.port;
}

void Server::stop() noexcept {
  auto& impl = *impl_;
  if (!impl.started || impl.stopped) return;
  impl.stopped = true;
  if (!impl.listening) return;  // start() failed: nothing was bound or started
  try {
    impl.server.stop();
    if (impl.listener.joinable()) impl.listener.join();
    impl.log.info("stopped", {{"port", impl.port.load()}});
  } catch (...) {
    // Only logging or a failed join can throw here; a destructor must not.
  }
}

std::uint16_t Server::port() const noexcept {
  return impl_->port;
}

bool Server::running() const noexcept {
  return impl_->server.is_running() && !impl_->stopped;
}

}  // namespace teltubby::httpserver
