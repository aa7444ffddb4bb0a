#pragma once
// An HTTP/1.1 server on its own threads (cpp-httplib underneath), owned RAII-style:
//
//   httpserver::Server server({.name = "health", .bind_address = "127.0.0.1", .port = 0});
//   server.get("/healthz", [](const httpserver::Request&) { return Response::text(200, "ok"); });
//   std::uint16_t port = server.start();   // bound and accepting when this returns
//   ...
//   server.stop();                         // or let the destructor do it
//
// Routes are exact paths (no patterns) and are registered before start(). A handler
// that throws answers 500 and the server carries on. Requests with a body above
// max_body_bytes get 413 without reaching the handler; unknown paths 404.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "httpserver/message.hpp"

namespace teltubby::httpserver {

using Handler = std::function<Response(const Request&)>;

struct ServerSettings {
  std::string name = "http";  // `component` of the server's log lines
  std::string bind_address = "127.0.0.1";
  std::uint16_t port = 0;   // 0 = let the OS pick a free port (start() reports it)
  std::size_t threads = 4;  // requests handled at once; further connections wait
  std::size_t max_body_bytes = 1024 * 1024;
  std::chrono::seconds read_timeout{5};   // for one read of a request to make progress
  std::chrono::seconds write_timeout{5};  // for one write of a response to make progress
  // How long an idle keep-alive connection is held open. It also bounds how long stop()
  // waits for such a connection to notice the server is stopping (cpp-httplib checks
  // between requests), so keep it short.
  std::chrono::seconds keep_alive_timeout{1};
};

class Server {
 public:
  explicit Server(ServerSettings settings);
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  ~Server();  // stop(); never throws

  // Before start() only; registering after start, or a path twice, throws FatalError.
  void get(std::string path, Handler handler);
  void post(std::string path, Handler handler);

  // Binds and starts accepting on a thread of its own. Returns the bound port. Throws
  // FatalError when the address cannot be bound (in use, not local, not permitted) or
  // when called twice.
  std::uint16_t start();

  // Stops accepting, lets requests in progress finish, joins every thread. Idempotent;
  // never throws. A stopped server cannot be started again.
  void stop() noexcept;

  [[nodiscard]] std::uint16_t port() const noexcept;  // 0 before start()
  [[nodiscard]] bool running() const noexcept;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace teltubby::httpserver
