#pragma once
// Free loopback ports for the services and processes tests start.
#include <cstdint>

namespace teltubby::test {

// A free TCP port on 127.0.0.1 (bound once and released; good enough for tests).
std::uint16_t free_loopback_port();

}  // namespace teltubby::test
