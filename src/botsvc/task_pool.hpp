#pragma once
// A fixed number of threads running queued tasks in order of arrival. Tasks catch
// their own failures (a task that throws is logged and the thread goes on).
// shutdown() stops taking tasks, drops the ones not started (their messages stay in
// the inbox) and waits up to a deadline for the running ones.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace teltubby::botsvc {

class TaskPool {
 public:
  TaskPool(std::string name, std::size_t threads);
  ~TaskPool();  // shutdown with no deadline: joins every thread
  TaskPool(const TaskPool&) = delete;
  TaskPool& operator=(const TaskPool&) = delete;

  // False when the pool is shutting down (the task is not run).
  bool post(std::function<void()> task);
  // True when every running task finished within `deadline`; the threads are joined
  // then. False: some task still runs (the caller decides, e.g. exits anyway).
  bool shutdown(std::chrono::milliseconds deadline);
  [[nodiscard]] std::size_t queued() const;

 private:
  void run();
  std::string name_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;      // a task arrived, or stopping
  std::condition_variable finished_;  // a task ended
  std::deque<std::function<void()>> tasks_;
  std::size_t running_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace teltubby::botsvc
