#include <gtest/gtest.h>

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <thread>

#include "core/error.hpp"
#include "httpserver/server.hpp"

namespace teltubby::httpserver {
namespace {

using namespace std::chrono_literals;

httplib::Client client_for(std::uint16_t port) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(5);
  client.set_read_timeout(10);
  return client;
}

TEST(HttpServer, ServesGetAndPostOnAPortTheOsPicked) {
  Server server({.name = "test"});
  server.get("/hello", [](const Request& request) {
    return Response::text(200, "hello " + request.query.at("who") + " via " + request.method);
  });
  server.post("/echo", [](const Request& request) {
    Response response = Response::json(201, request.body);
    response.headers.emplace_back("X-Seen-Token",
                                  std::string(request.header("x-secret-token").value_or("none")));
    return response;
  });
  const auto port = server.start();
  ASSERT_NE(port, 0);
  EXPECT_EQ(server.port(), port);
  EXPECT_TRUE(server.running());

  auto client = client_for(port);
  const auto got = client.Get("/hello?who=curator");
  ASSERT_TRUE(got) << httplib::to_string(got.error());
  EXPECT_EQ(got->status, 200);
  EXPECT_EQ(got->body, "hello curator via GET");
  EXPECT_EQ(got->get_header_value("Content-Type"), "text/plain; charset=utf-8");

  const auto posted = client.Post("/echo", {{"X-Secret-Token", "abc"}}, R"({"a":1})", "application/json");
  ASSERT_TRUE(posted) << httplib::to_string(posted.error());
  EXPECT_EQ(posted->status, 201);
  EXPECT_EQ(posted->body, R"({"a":1})");
  EXPECT_EQ(posted->get_header_value("Content-Type"), "application/json");
  EXPECT_EQ(posted->get_header_value("X-Seen-Token"), "abc");
}

TEST(HttpServer, UnknownPathOrWrongMethodIsNotFound) {
  Server server({});
  server.get("/a.b", [](const Request&) { return Response::text(200, "ok"); });
  auto client = client_for(server.start());
  EXPECT_EQ(client.Get("/a.b")->status, 200);
  EXPECT_EQ(client.Get("/aXb")->status, 404);  // the path is exact, not a pattern
  EXPECT_EQ(client.Get("/a.b/more")->status, 404);
  EXPECT_EQ(client.Post("/a.b", "x", "text/plain")->status, 404);
}

TEST(HttpServer, BodyOverTheLimitIsRefusedBeforeTheHandler) {
  std::atomic<int> calls{0};
  Server server({.max_body_bytes = 1000});
  server.post("/upload", [&calls](const Request&) {
    ++calls;
    return Response::text(200, "ok");
  });
  auto client = client_for(server.start());
  EXPECT_EQ(client.Post("/upload", std::string(1000, 'x'), "text/plain")->status, 200);
  const auto refused = client.Post("/upload", std::string(1001, 'x'), "text/plain");
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 413);
  EXPECT_EQ(calls, 1);
}

TEST(HttpServer, ThrowingHandlerAnswers500AndServerCarriesOn) {
  Server server({});
  server.get("/boom", [](const Request&) -> Response { throw std::runtime_error("kaput"); });
  server.get("/fine", [](const Request&) { return Response::text(200, "fine"); });
  auto client = client_for(server.start());
  const auto boom = client.Get("/boom");
  ASSERT_TRUE(boom);
  EXPECT_EQ(boom->status, 500);
  EXPECT_EQ(boom->body.find("kaput"), std::string::npos);  // internals stay in the log
  EXPECT_EQ(client.Get("/fine")->status, 200);
}

TEST(HttpServer, BindingAnAddressInUseIsAFatalErrorNamingIt) {
  Server first({});
  const auto port = first.start();
  Server second({.name = "second", .bind_address = "127.0.0.1", .port = port});
  try {
    second.start();
    FAIL() << "second server bound a port already in use";
  } catch (const FatalError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("127.0.0.1:" + std::to_string(port)), std::string::npos) << message;
    EXPECT_NE(message.find("in use"), std::string::npos) << message;
  }
  EXPECT_FALSE(second.running());
}

TEST(HttpServer, BindingAnAddressNotOfThisHostIsAFatalError) {
  Server server({.bind_address = "192.0.2.1"});  // TEST-NET-1: never a local address
  EXPECT_THROW(server.start(), FatalError);
}

TEST(HttpServer, RoutesAfterStartOrTwiceAreSetUpErrors) {
  Server server({});
  server.get("/x", [](const Request&) { return Response::text(200, ""); });
  EXPECT_THROW(server.get("/x", [](const Request&) { return Response::text(200, ""); }), FatalError);
  EXPECT_THROW(server.get("no-slash", [](const Request&) { return Response::text(200, ""); }), FatalError);
  server.start();
  EXPECT_THROW(server.post("/y", [](const Request&) { return Response::text(200, ""); }), FatalError);
  EXPECT_THROW(server.start(), FatalError);
}

TEST(HttpServer, StoppedServerRefusesConnections) {
  Server server({});
  server.get("/x", [](const Request&) { return Response::text(200, "x"); });
  const auto port = server.start();
  auto client = client_for(port);
  ASSERT_TRUE(client.Get("/x"));
  server.stop();
  EXPECT_FALSE(server.running());
  EXPECT_FALSE(client.Get("/x"));
  server.stop();  // idempotent
}

TEST(HttpServer, StopRightAfterStartNeverHangs) {
  // Guards the window in which cpp-httplib ignores stop() (before its accept loop runs).
  for (int i = 0; i < 25; ++i) {
    Server server({});
    server.start();
    server.stop();
  }
  for (int i = 0; i < 25; ++i) {
    Server server({});
    server.start();  // the destructor stops it
  }
}

TEST(HttpServer, StopLetsARequestInProgressFinish) {
  std::promise<void> entered;
  std::promise<void> release;
  auto released = release.get_future().share();
  Server server({});
  server.get("/slow", [&entered, released](const Request&) {
    entered.set_value();
    released.wait();
    return Response::text(200, "done");
  });
  const auto port = server.start();
  auto response = std::async(std::launch::async, [port] { return client_for(port).Get("/slow"); });
  entered.get_future().wait();
  auto stopping = std::async(std::launch::async, [&server] { server.stop(); });
  release.set_value();
  stopping.get();
  const auto result = response.get();
  ASSERT_TRUE(result) << httplib::to_string(result.error());
  EXPECT_EQ(result->body, "done");
}

TEST(HttpServer, StopWithAnIdleKeepAliveConnectionCompletes) {
  Server server({.keep_alive_timeout = 1s});
  server.get("/x", [](const Request&) { return Response::text(200, "x"); });
  auto client = client_for(server.start());
  client.set_keep_alive(true);
  ASSERT_TRUE(client.Get("/x"));
  const auto started = std::chrono::steady_clock::now();
  server.stop();  // would hang forever if the idle connection kept a worker busy
  const auto took = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  RecordProperty("stop_seconds", std::to_string(took));
  EXPECT_FALSE(server.running());
}

TEST(HttpServer, ServesManyConcurrentClientsWithASmallPool) {
  Server server({.threads = 2});
  std::atomic<int> served{0};
  server.get("/n", [&served](const Request&) {
    ++served;
    return Response::text(200, "n");
  });
  const auto port = server.start();
  std::vector<std::future<bool>> clients;
  for (int i = 0; i < 8; ++i) {
    clients.push_back(std::async(std::launch::async, [port] {
      auto client = client_for(port);
      for (int j = 0; j < 10; ++j) {
        const auto result = client.Get("/n");
        if (!result || result->status != 200) return false;
      }
      return true;
    }));
  }
  for (auto& client : clients) EXPECT_TRUE(client.get());
  EXPECT_EQ(served, 80);
}

}  // namespace
}  // namespace teltubby::httpserver
