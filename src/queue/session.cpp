#include "queue/session.hpp"

#include <algorithm>
#include <thread>

namespace teltubby::queue {

std::chrono::milliseconds reconnect_delay(std::chrono::milliseconds base, std::chrono::milliseconds max,
                                          int failures, double jitter) {
  if (failures <= 0) return std::chrono::milliseconds{0};
  std::chrono::milliseconds delay = base;
  for (int i = 1; i < failures && delay < max; ++i) delay *= 2;
  delay = std::min(delay, max);
  jitter = std::clamp(jitter, 0.5, 1.0);
  return std::chrono::milliseconds{static_cast<std::int64_t>(static_cast<double>(delay.count()) * jitter)};
}

Session::Session(QueueSettings settings) : settings_(std::move(settings)) {
  register_secret(settings_.password);
}

Status Session::connect() {
  if (connected()) return {};
  return attempt_connect();
}

Status Session::attempt_connect() {
  connection_.reset();
  declared_.clear();
  const ConnectParams params{
      settings_.host,  settings_.port,      settings_.username,        settings_.password,
      settings_.vhost, settings_.heartbeat, settings_.connect_timeout, settings_.rpc_timeout};
  auto opened = Connection::open(params);
  Status ready = opened ? Status{} : Status{std::unexpected(opened.error())};
  if (opened) {
    ready = declare(*opened, job_topology(settings_));
    if (ready) ready = opened->set_prefetch(settings_.prefetch);
  }
  if (!ready) {
    ++failures_;
    std::uniform_real_distribution<double> jitter{0.5, 1.0};
    next_attempt_ = std::chrono::steady_clock::now() + reconnect_delay(settings_.reconnect_base_delay,
                                                                       settings_.reconnect_max_delay,
                                                                       failures_, jitter(jitter_source_));
    log_.warn("broker connection failed", {{"error", ready.error().describe()}, {"attempt", failures_}});
    return ready;
  }
  connection_ = std::move(*opened);
  ++generation_;
  if (failures_ > 0 || generation_ > 1)
    log_.info("broker connection restored", {{"generation", generation_}});
  failures_ = 0;
  return {};
}

Status Session::ensure_connected() {
  if (connected()) return {};
  if (connection_) {
    connection_.reset();  // broken: close what can be closed
    declared_.clear();
  }
  const auto now = std::chrono::steady_clock::now();
  if (failures_ > 0 && now < next_attempt_) {
    const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next_attempt_ - now);
    return fail(ErrorKind::retryable, "amqp.connection",
                "not connected to the broker; next attempt in " + std::to_string(wait.count()) + " ms",
                std::chrono::ceil<std::chrono::seconds>(wait));
  }
  return attempt_connect();
}

template <class T>
T Session::after(T outcome) {
  if (!outcome && connection_ && connection_->broken()) {
    log_.warn("broker connection lost", {{"error", outcome.error().describe()}});
    connection_.reset();
    declared_.clear();
    // The next call reconnects at once; only failed reconnects back off.
    failures_ = 0;
  }
  return outcome;
}

Status Session::publish(const ExchangeName& exchange, const RoutingKey& key, const OutgoingMessage& message) {
  if (auto ready = ensure_connected(); !ready) return ready;
  return after(connection_->publish(exchange, key, message));
}

Status Session::ensure_queue(const QueueDeclaration& queue) {
  if (auto ready = ensure_connected(); !ready) return ready;
  if (declared_.contains(queue.name)) return {};
  auto declared = after(connection_->declare_queue(queue.name, queue.arguments));
  if (!declared) return std::unexpected(declared.error());
  declared_.insert(queue.name);
  return {};
}

Result<std::optional<Delivery>> Session::get(const QueueName& queue) {
  if (auto ready = ensure_connected(); !ready) return std::unexpected(ready.error());
  auto delivery = after(connection_->get(queue));
  if (delivery && *delivery) (*delivery)->connection_generation = generation_;
  return delivery;
}

Result<std::optional<Delivery>> Session::next(std::span<const QueueName> queues_in_order,
                                              std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    for (const auto& queue : queues_in_order) {
      auto delivery = get(queue);
      if (!delivery || *delivery) return delivery;
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::optional<Delivery>{};
    if (auto waited = wait(std::min(left, settings_.poll_interval)); !waited)
      return std::unexpected(waited.error());
  }
}

Status Session::check_delivery(const Delivery& delivery) const {
  if (delivery.connection_generation != generation_ || !connected()) {
    return fail(ErrorKind::retryable, "amqp.stale_delivery",
                "the connection that delivered this message is gone; the broker delivers it again");
  }
  return {};
}

Status Session::ack(const Delivery& delivery) {
  if (auto fresh = check_delivery(delivery); !fresh) return fresh;
  return after(connection_->ack(delivery.delivery_tag));
}

Status Session::nack(const Delivery& delivery, bool requeue) {
  if (auto fresh = check_delivery(delivery); !fresh) return fresh;
  return after(connection_->nack(delivery.delivery_tag, requeue));
}

Status Session::reject(const Delivery& delivery, bool requeue) {
  if (auto fresh = check_delivery(delivery); !fresh) return fresh;
  return after(connection_->reject(delivery.delivery_tag, requeue));
}

Result<std::uint32_t> Session::message_count(const QueueName& queue) {
  if (auto ready = ensure_connected(); !ready) return std::unexpected(ready.error());
  return after(connection_->declare_queue(queue, {}, /*passive=*/true));
}

Status Session::wait(std::chrono::milliseconds timeout) {
  if (connected()) return after(connection_->idle(timeout));
  // Disconnected: wait for the next attempt to be due (a plain sleep: there is no
  // connection whose heartbeat needs servicing), then let the next call reconnect.
  const auto now = std::chrono::steady_clock::now();
  const auto until = std::min(now + timeout, std::max(now, next_attempt_));
  std::this_thread::sleep_until(until);
  return {};
}

void Session::disconnect() {
  connection_.reset();
  declared_.clear();
}

Result<Connection*> Session::connection() {
  if (auto ready = ensure_connected(); !ready) return std::unexpected(ready.error());
  return &*connection_;
}

}  // namespace teltubby::queue
