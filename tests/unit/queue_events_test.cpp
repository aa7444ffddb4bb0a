// Event and control messages: JSON round trip for every kind, and validation errors
// that name the field (and never echo a login code or password).
#include <gtest/gtest.h>

#include <vector>

#include "queue/events.hpp"

namespace teltubby::queue {
namespace {

const std::string kJob = "3f2b8c1e-9a4d-4e7f-8b21-0c5d6e7f8a9b";
const std::chrono::sys_seconds kAt{std::chrono::seconds{1'764'337'440}};

TEST(Events, EveryKindRoundTripsWithItsRoutingKey) {
  const std::vector<std::pair<Event, std::string>> events = {
      {JobProcessingEvent{kJob, "worker-1", 2}, "job.processing"},
      {JobProgressEvent{kJob, ProgressPhase::upload, 512, 1024, 50.0, 2048.5}, "job.progress"},
      {JobCompletedEvent{kJob, "2026/11/a/001.iso", std::string(64, 'a'), 1024, true}, "job.completed"},
      {JobFailedEvent{kJob, "s3: SlowDown", true, true, 1}, "job.failed"},
      {JobRetryingEvent{kJob, 2, 120000, "timeout"}, "job.retrying"},
      {JobCancelledEvent{kJob, "admin"}, "job.cancelled"},
      {WorkerHeartbeatEvent{"worker-1", WorkerState::busy, kJob, "0.1.0", std::nullopt}, "worker.heartbeat"},
      {WorkerHeartbeatEvent{"worker-1", WorkerState::idle, std::nullopt, "0.1.0", 123456789}, "worker.heartbeat"},
      {WorkerAuthEvent{"worker-1", AuthState::ready, 777000123, std::nullopt, std::nullopt, std::nullopt,
                       "Архив Worker (@archive_worker)", 1764930000},
       "worker.auth"},
      {WorkerAuthEvent{"worker-1", AuthState::needs_qr, std::nullopt, "tg://login?token=abc", 30,
                       std::nullopt, std::nullopt, std::nullopt},
       "worker.auth"},
  };
  for (const auto& [event, key] : events) {
    const EventMessage message{event, kAt};
    EXPECT_EQ(routing_key(event).str(), key);
    auto parsed = parse_event(serialize(message));
    ASSERT_TRUE(parsed.has_value()) << key << ": " << parsed.error().describe();
    EXPECT_EQ(*parsed, message) << key;
  }
}

TEST(Events, RefusalsNameTheField) {
  const auto message_of = [](std::string_view body) {
    auto parsed = parse_event(body);
    return parsed ? std::string("accepted") : parsed.error().message;
  };
  EXPECT_EQ(message_of(R"({"type":"job.exploded","at":"2026-11-28T13:44:00Z"})"),
            "type: unknown event type \"job.exploded\"");
  EXPECT_EQ(
      message_of(R"({"type":"job.progress","at":"2026-11-28T13:44:00Z","job_id":")" + kJob +
                 R"(","phase":"sideways","bytes_done":1,"bytes_total":2,"percent":50,"bytes_per_second":1})"),
      "phase: expected download or upload");
  EXPECT_EQ(
      message_of(R"({"type":"job.progress","at":"2026-11-28T13:44:00Z","job_id":")" + kJob +
                 R"(","phase":"upload","bytes_done":3,"bytes_total":2,"percent":50,"bytes_per_second":1})"),
      "bytes_done: larger than bytes_total");
  EXPECT_EQ(
      message_of(R"({"type":"worker.auth","at":"2026-11-28T13:44:00Z","worker_id":"w","state":"ready"})"),
      "user_id: required when ready");
  EXPECT_EQ(message_of(R"({"type":"job.completed","at":"2026-11-28T13:44:00Z","job_id":")" + kJob +
                       R"(","s3_key":"k","sha256":"ABC","bytes":1,"duplicate":false})"),
            "sha256: expected 64 lowercase hex digits");
  EXPECT_EQ(message_of(R"({"type":"job.cancelled","at":"now","job_id":")" + kJob + R"("})"),
            "at: expected UTC time like 2026-11-28T13:44:00Z");
}

TEST(Control, EveryKindRoundTrips) {
  const std::vector<ControlMessage> messages = {AuthCodeControl{"12345"},
                                                AuthPasswordControl{"hunter2 with spaces"},
                                                QrRequestControl{}, CancelJobControl{kJob}};
  for (const auto& message : messages) {
    auto parsed = parse_control(serialize(message));
    ASSERT_TRUE(parsed.has_value()) << parsed.error().describe();
    EXPECT_EQ(*parsed, message);
  }
}

TEST(Control, RefusesBadCodesWithoutEchoingThem) {
  auto parsed = parse_control(R"({"type":"auth_code","code":"12-34x"})");
  ASSERT_FALSE(parsed.has_value());
  EXPECT_EQ(parsed.error().message, "code: expected 3 to 12 digits");
  EXPECT_EQ(parse_control(R"({"type":"auth_password","password":""})").error().message,
            "password: must not be empty");
  EXPECT_EQ(parse_control(R"({"type":"reboot"})").error().message,
            "type: unknown control message type \"reboot\"");
}

}  // namespace
}  // namespace teltubby::queue
