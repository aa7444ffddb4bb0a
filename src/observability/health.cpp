#include "observability/health.hpp"

#include <condition_variable>
#include <exception>
#include <stop_token>
#include <thread>

#include <nlohmann/json.hpp>

#include "core/log.hpp"

namespace teltubby::observability {

namespace {

constexpr std::size_t max_reason_bytes = 300;  // keeps /healthz small whatever an error says

std::string reason_of(const Error& error) {
  auto reason = redact(error.describe());
  if (reason.size() > max_reason_bytes) reason.resize(max_reason_bytes);
  return reason;
}

double seconds(std::chrono::milliseconds duration) {
  return static_cast<double>(duration.count()) / 1000.0;
}

}  // namespace

struct HealthRegistry::Entry {
  std::string name;
  HealthCheck check;
  // Guarded by HealthRegistry::mutex_.
  std::optional<std::chrono::steady_clock::time_point> finished_at;
  bool ok = false;
  std::string reason;
};

struct HealthRegistry::Refreshers {
  std::mutex mutex;
  std::condition_variable_any wake;
  std::vector<std::jthread> threads;
};

HealthRegistry::HealthRegistry(HealthSettings settings) : settings_(settings) {}

HealthRegistry::~HealthRegistry() {
  stop();
}

void HealthRegistry::add(std::string name, HealthCheck check) {
  if (refreshers_) throw FatalError("health: check '" + name + "' added after start()");
  if (name.empty()) throw FatalError("health: a check needs a name");
  if (!check) throw FatalError("health: check '" + name + "' has no function");
  auto entry = std::make_unique<Entry>();
  entry->name = name;
  entry->check = std::move(check);
  std::lock_guard lock(mutex_);
  if (!entries_.try_emplace(name, std::move(entry)).second) {
    throw FatalError("health: check '" + name + "' registered twice");
  }
}

void HealthRegistry::run(Entry& entry) {
  bool ok = false;
  std::string reason;
  try {
    const auto status = entry.check();
    ok = status.has_value();
    if (!ok) reason = reason_of(status.error());
  } catch (const std::exception& error) {
    reason = "check threw: " + redact(error.what());
  } catch (...) {
    reason = "check threw an unknown exception";
  }
  if (reason.empty() && !ok) reason = "failed without a reason";
  std::lock_guard lock(mutex_);
  entry.ok = ok;
  entry.reason = std::move(reason);
  entry.finished_at = std::chrono::steady_clock::now();
}

void HealthRegistry::start() {
  if (refreshers_) throw FatalError("health: start() called twice");
  refreshers_ = std::make_unique<Refreshers>();
  for (auto& [name, entry] : entries_) {
    refreshers_->threads.emplace_back([this, &entry = *entry](std::stop_token stop) {
      Logger log{"health"};
      while (!stop.stop_requested()) {
        run(entry);
        std::unique_lock lock(refreshers_->mutex);
        refreshers_->wake.wait_for(lock, stop, settings_.interval, [] { return false; });
      }
      log.debug("refresher stopped", {{"check", entry.name}});
    });
  }
}

void HealthRegistry::stop() noexcept {
  if (!refreshers_) return;
  for (auto& thread : refreshers_->threads) thread.request_stop();
  refreshers_->wake.notify_all();
  for (auto& thread : refreshers_->threads) {
    if (thread.joinable()) thread.join();
  }
  refreshers_->threads.clear();
}

void HealthRegistry::run_all_now() {
  for (auto& [name, entry] : entries_) run(*entry);
}

HealthReport HealthRegistry::report() const {
  return report(std::chrono::steady_clock::now());
}

HealthReport HealthRegistry::report(std::chrono::steady_clock::time_point now) const {
  HealthReport report;
  std::lock_guard lock(mutex_);
  for (const auto& [name, entry] : entries_) {
    CheckReport check;
    if (!entry->finished_at) {
      check.reason = "no result yet";
    } else {
      const auto age = std::chrono::duration_cast<std::chrono::milliseconds>(now - *entry->finished_at);
      check.age = age;
      if (age > settings_.stale_after) {
        check.reason =
            "last result is " + std::to_string(age.count() / 1000) + " s old (the check is not finishing)";
      } else {
        check.ok = entry->ok;
        check.reason = entry->reason;
      }
    }
    report.ok = report.ok && check.ok;
    report.checks.emplace(name, std::move(check));
  }
  return report;
}

std::string HealthReport::to_json() const {
  nlohmann::json checks_json = nlohmann::json::object();
  nlohmann::json failing = nlohmann::json::array();
  for (const auto& [name, check] : checks) {
    nlohmann::json entry{{"ok", check.ok}};
    if (!check.ok) {
      entry["reason"] = check.reason;
      failing.push_back(name);
    }
    if (check.age) entry["age_seconds"] = seconds(*check.age);
    checks_json[name] = std::move(entry);
  }
  nlohmann::json body{{"status", ok ? "ok" : "unavailable"}, {"checks", std::move(checks_json)}};
  if (!ok) body["failing"] = std::move(failing);
  // `replace`: a reason with invalid UTF-8 must not make dump() throw.
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace teltubby::observability
