#pragma once
// Bounded parallelism for the ingestion steps: a process-wide cap on items in flight
// (CONCURRENCY) shared by every unit, and a small per-call pool of joined threads.
#include <cstddef>
#include <functional>
#include <semaphore>

namespace teltubby::ingest {

// At most `count` holders at once across all callers.
class Slots {
 public:
  explicit Slots(unsigned count) : semaphore_(static_cast<std::ptrdiff_t>(count == 0 ? 1 : count)) {}
  void acquire() { semaphore_.acquire(); }
  void release() { semaphore_.release(); }

 private:
  std::counting_semaphore<> semaphore_;
};

// Runs task(0) .. task(count - 1) on up to `width` threads (the calling thread is one
// of them) and returns when all are done; each task holds one slot while it runs.
// Tasks must not throw (they record their own errors). No thread outlives the call.
void run_parallel(std::size_t count, unsigned width, Slots& slots, const std::function<void(std::size_t)>& task);

}  // namespace teltubby::ingest
