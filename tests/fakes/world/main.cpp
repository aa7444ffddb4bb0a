// fake-telegram: the fake Telegram world as a standalone process, for `make demo` and
// for a person poking at it with curl. Prints "listening on PORT" when ready and runs
// until SIGINT or SIGTERM.
#include <csignal>
#include <cstdio>
#include <iostream>
#include <string>

#include "server.hpp"

namespace {

int usage(const char* why) {
  std::cerr << "fake-telegram: " << why << "\n"
            << "usage: fake-telegram [--port N (0 = any free port)] [--host ADDR] [--state-dir DIR] [--seed S]\n"
            << "                     [--rate-limits on|off (default on)]\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  fake_world::ServerOptions options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (i + 1 >= argc) return usage(("missing value for " + arg).c_str());
    const std::string value = argv[++i];
    try {
      if (arg == "--port") options.port = std::stoi(value);
      else if (arg == "--host") options.host = value;
      else if (arg == "--state-dir") options.state_dir = value;
      else if (arg == "--seed") options.seed = std::stoull(value);
      else if (arg == "--rate-limits") {
        if (value != "on" && value != "off") return usage("--rate-limits takes on or off");
        options.rate_limits = value == "on";
      } else {
        return usage(("unknown option " + arg).c_str());
      }
    } catch (const std::exception&) {
      return usage(("bad value for " + arg).c_str());
    }
  }
  if (options.port < 0 || options.port > 65535) return usage("--port must be 0-65535");
  // Block the stop signals before any thread starts, then wait for one here.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  try {
    fake_world::FakeTelegramServer server(options);
    server.start();
    std::cout << "listening on " << server.port() << std::endl;
    int received = 0;
    sigwait(&signals, &received);
    server.stop();
  } catch (const std::exception& e) {
    std::cerr << "fake-telegram: " << e.what() << "\n";
    return 1;
  }
  return 0;
}
