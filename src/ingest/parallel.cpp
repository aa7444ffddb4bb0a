#include "ingest/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <thread>
#include <vector>

namespace teltubby::ingest {

void run_parallel(std::size_t count, unsigned width, Slots& slots, const std::function<void(std::size_t)>& task) {
  if (count == 0) return;
  std::atomic<std::size_t> next{0};
  const auto worker = [&] {
    for (;;) {
      const std::size_t index = next.fetch_add(1);
      if (index >= count) return;
      slots.acquire();
      task(index);
      slots.release();
    }
  };
  const std::size_t threads = std::min<std::size_t>(count, std::max(width, 1U));
  {
    std::vector<std::jthread> helpers;
    helpers.reserve(threads - 1);
    for (std::size_t i = 1; i < threads; ++i) helpers.emplace_back(worker);
    worker();
  }  // jthreads join here
}

}  // namespace teltubby::ingest
