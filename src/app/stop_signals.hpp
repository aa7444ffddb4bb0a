#pragma once
// SIGTERM and SIGINT for the long-running commands (bot, worker): blocked in every
// thread before any thread starts (the mask is inherited), then taken with sigwait /
// sigtimedwait by the main thread, so that stopping runs in ordinary code, not in a
// signal handler.
#include <csignal>

namespace teltubby::app {

// Blocks SIGTERM and SIGINT in the calling thread (and so in every thread it starts
// afterwards); returns that set for sigwait.
sigset_t block_stop_signals();

}  // namespace teltubby::app
