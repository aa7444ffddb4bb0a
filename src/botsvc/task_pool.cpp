#include "botsvc/task_pool.hpp"

#include <exception>

#include "core/log.hpp"

namespace teltubby::botsvc {

TaskPool::TaskPool(std::string name, std::size_t threads) : name_(std::move(name)) {
  if (threads == 0) threads = 1;
  threads_.reserve(threads);
  for (std::size_t i = 0; i < threads; ++i) threads_.emplace_back([this] { run(); });
}

TaskPool::~TaskPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    tasks_.clear();
  }
  wake_.notify_all();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
}

bool TaskPool::post(std::function<void()> task) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) return false;
    tasks_.push_back(std::move(task));
  }
  wake_.notify_one();
  return true;
}

bool TaskPool::shutdown(std::chrono::milliseconds deadline) {
  std::unique_lock lock(mutex_);
  stopping_ = true;
  tasks_.clear();
  wake_.notify_all();
  const bool done = finished_.wait_for(lock, deadline, [this] { return running_ == 0; });
  if (!done) return false;
  lock.unlock();
  for (auto& thread : threads_) {
    if (thread.joinable()) thread.join();
  }
  return true;
}

std::size_t TaskPool::queued() const {
  std::lock_guard lock(mutex_);
  return tasks_.size();
}

void TaskPool::run() {
  static const Logger log{"task_pool"};
  std::unique_lock lock(mutex_);
  for (;;) {
    wake_.wait(lock, [this] { return stopping_ || !tasks_.empty(); });
    if (tasks_.empty()) return;  // stopping and nothing left
    auto task = std::move(tasks_.front());
    tasks_.pop_front();
    ++running_;
    lock.unlock();
    try {
      task();
    } catch (const std::exception& error) {
      log.error("task failed", {{"pool", name_}, {"error", redact(error.what())}});
    } catch (...) {
      log.error("task failed", {{"pool", name_}, {"error", "unknown exception"}});
    }
    lock.lock();
    --running_;
    finished_.notify_all();
  }
}

}  // namespace teltubby::botsvc
