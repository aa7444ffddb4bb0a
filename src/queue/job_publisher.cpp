#include "queue/job_publisher.hpp"

#include "archive/timestamp.hpp"
#include "core/log.hpp"

namespace teltubby::queue {

namespace {

OutgoingMessage job_outgoing(const JobMessage& job, std::string body) {
  OutgoingMessage message;
  message.body = std::move(body);
  message.headers.emplace(std::string(kHeaderJobId), job.job_id);
  message.headers.emplace(std::string(kHeaderRetryCount), std::int64_t{job.job_metadata.retry_count});
  message.priority = message_priority(job.job_metadata.priority);
  return message;
}

Result<std::string> validated_body(const JobMessage& job) {
  std::string body = serialize(job);
  if (auto checked = parse_job_message(body); !checked) {
    return fail(ErrorKind::invalid_input, "job_message.invalid",
                "refusing to publish job: " + checked.error().message);
  }
  return body;
}

std::string cut_reason(std::string_view reason) {
  std::string text = redact(reason);
  if (text.size() > kMaxReasonBytes) {
    text.resize(kMaxReasonBytes);
    // Do not leave half a UTF-8 character at the end.
    while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0U) == 0x80U) text.pop_back();
    if (!text.empty() && (static_cast<unsigned char>(text.back()) & 0x80U) != 0) text.pop_back();
    text += "...";
  }
  return text;
}

}  // namespace

Status JobPublisher::publish(const JobMessage& job) {
  auto body = validated_body(job);
  if (!body) return std::unexpected(body.error());
  const auto& settings = session_.settings();
  return session_.publish(settings.job_exchange, routing_key_for(lane_for(job.job_metadata.priority)),
                          job_outgoing(job, std::move(*body)));
}

Result<std::chrono::milliseconds> JobPublisher::schedule_retry(const JobMessage& job, std::string_view reason,
                                                               std::chrono::milliseconds at_least) {
  const auto& settings = session_.settings();
  const auto delay = retry_delay_at_least(settings.retry_base_delay, job.job_metadata.retry_count, at_least);
  JobMessage next = job;
  next.job_metadata.retry_count = job.job_metadata.retry_count + 1;
  auto body = validated_body(next);
  if (!body) return std::unexpected(body.error());
  const QueueDeclaration queue = retry_queue(settings, lane_for(job.job_metadata.priority), delay);
  if (auto declared = session_.ensure_queue(queue); !declared) return std::unexpected(declared.error());
  OutgoingMessage message = job_outgoing(next, std::move(*body));
  message.headers.emplace(std::string(kHeaderReason), cut_reason(reason));
  // Through the default exchange: the routing key is the queue's name.
  if (auto sent = session_.publish(ExchangeName{}, RoutingKey{queue.name.str()}, message); !sent) {
    return std::unexpected(sent.error());
  }
  return delay;
}

Status JobPublisher::dead_letter(std::string_view body, std::string_view reason, int retry_count,
                                 const QueueName& source_queue) {
  OutgoingMessage message;
  message.body = std::string(body);
  message.headers.emplace(std::string(kHeaderReason), cut_reason(reason));
  const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
  message.headers.emplace(std::string(kHeaderFailedAt), archive::format_iso8601_utc(now));
  message.headers.emplace(std::string(kHeaderRetryCount), std::int64_t{retry_count});
  if (!source_queue.empty()) message.headers.emplace(std::string(kHeaderSourceQueue), source_queue.str());
  return session_.publish(session_.settings().dlx_exchange, RoutingKey{"failed"}, message);
}

Result<QueueDepths> JobPublisher::depths() {
  const auto& settings = session_.settings();
  QueueDepths depths;
  auto normal = session_.message_count(settings.job_queue);
  if (!normal) return std::unexpected(normal.error());
  auto priority = session_.message_count(settings.priority_queue);
  if (!priority) return std::unexpected(priority.error());
  auto dead = session_.message_count(settings.dead_letter_queue);
  if (!dead) return std::unexpected(dead.error());
  depths.normal = *normal;
  depths.priority = *priority;
  depths.dead_letter = *dead;
  return depths;
}

}  // namespace teltubby::queue
