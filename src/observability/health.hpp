#pragma once
// Named health checks ("s3", "database", "rabbitmq", "telegram") and their last results.
//
// Checks are never run by the /healthz request itself: each check has a thread of its
// own that runs it every `interval` and stores the result, and /healthz reports the
// stored results. So a slow or hung dependency can neither hang /healthz nor delay the
// other checks. A check with no result yet, or whose last result is older than
// `stale_after` (it is hanging), counts as failing, with that as the reason.
//
// A check returns success, or an Error whose text (redacted) is the reason shown.
// Checks should bound their own I/O (IO_TIMEOUT_SECONDS): stop() joins their threads.
//
//   HealthRegistry health({.interval = 10s, .stale_after = 30s});
//   health.add("s3", [&] { return storage.ping(); });
//   health.start();
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/error.hpp"

namespace teltubby::observability {

using HealthCheck = std::function<Status()>;

struct HealthSettings {
  std::chrono::milliseconds interval{std::chrono::seconds{10}};     // between runs of one check
  std::chrono::milliseconds stale_after{std::chrono::seconds{30}};  // older results count as failing
};

struct CheckReport {
  bool ok = false;
  std::string reason;                            // empty when ok
  std::optional<std::chrono::milliseconds> age;  // since the last completed run; none before it
};

struct HealthReport {
  bool ok = true;  // every check ok (true when there are no checks: the process is up)
  std::map<std::string, CheckReport> checks;  // by name

  // {"status":"ok"|"unavailable","checks":{"s3":{"ok":true,"age_seconds":1.5},
  //  "db":{"ok":false,"reason":"...","age_seconds":0.2}},"failing":["db"]}
  [[nodiscard]] std::string to_json() const;
};

class HealthRegistry {
 public:
  explicit HealthRegistry(HealthSettings settings = {});
  HealthRegistry(const HealthRegistry&) = delete;
  HealthRegistry& operator=(const HealthRegistry&) = delete;
  ~HealthRegistry();  // stop(); never throws

  // Before start() only; a duplicate or empty name, or adding after start(), throws FatalError.
  void add(std::string name, HealthCheck check);

  // Starts one refresher thread per check; each runs its check at once, then every interval.
  void start();
  // Wakes and joins the refreshers (waiting for a check that is running). Idempotent.
  void stop() noexcept;

  // Runs every check once in the calling thread, in name order, and stores the results
  // (start-up, tests). Independent of start().
  void run_all_now();

  // The stored results, judged against stale_after at `now`.
  [[nodiscard]] HealthReport report() const;
  [[nodiscard]] HealthReport report(std::chrono::steady_clock::time_point now) const;

 private:
  struct Entry;
  void run(Entry& entry);

  HealthSettings settings_;
  mutable std::mutex mutex_;  // guards every Entry's result fields
  std::map<std::string, std::unique_ptr<Entry>> entries_;
  struct Refreshers;
  std::unique_ptr<Refreshers> refreshers_;
};

}  // namespace teltubby::observability
