#pragma once
// Waiting for an event in tests: poll a condition until it holds or a deadline passes.
// Use this instead of sleeping for a guessed time.
#include <chrono>
#include <functional>

namespace teltubby::test {

// True as soon as `condition` holds; false when `timeout` passed first. Polls every
// `poll_interval` (short: the condition is cheap).
bool wait_until(const std::function<bool()>& condition, std::chrono::milliseconds timeout,
                std::chrono::milliseconds poll_interval = std::chrono::milliseconds{10});

}  // namespace teltubby::test
