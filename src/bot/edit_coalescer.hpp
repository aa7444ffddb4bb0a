#pragma once
// Job status messages are edited in place (DESIGN.md section 5: one status message per
// job, at most one edit every few seconds). Progress events can arrive far faster
// than that; this keeps only the latest text per (chat, message) and releases at most
// one edit per message per interval. A final text (archived / failed / cancelled) is
// never replaced by a later progress text and never dropped; once it has been taken,
// later texts for that message are ignored. Pure; `now` from a steady clock.
//
// Use: submit() on every event; take_due() when next_deadline() passes; send each
// taken edit through the RateGovernor (final: foreground, else background); when a
// send could not happen (no capacity, 429, network), requeue() it.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace teltubby::bot {

class EditCoalescer {
 public:
  using Clock = std::chrono::steady_clock;

  struct Edit {
    std::int64_t chat_id = 0;
    std::int64_t message_id = 0;
    std::string text;
    bool final = false;
  };

  // min_interval: between two edits of one message (3 s per issue 6). retention: how
  // long a message's state is remembered after its last activity (so a progress event
  // arriving after the final one is still ignored); bounded memory beyond that.
  explicit EditCoalescer(Clock::duration min_interval = std::chrono::seconds{3},
                         Clock::duration retention = std::chrono::minutes{10});

  // The message was (re)sent with `text` at `now` (e.g. the initial sendMessage), so the
  // next edit waits a full interval and an identical text is not sent again.
  void record_sent(std::int64_t chat_id, std::int64_t message_id, std::string text, Clock::time_point now);

  void submit(Edit edit, Clock::time_point now);

  // Edits that may go out now, at most one per message: final ones first, then in the
  // order they became pending. A text equal to the last one sent is dropped (Telegram
  // refuses it: "message is not modified").
  std::vector<Edit> take_due(Clock::time_point now);

  // When take_due() will next have something; nullopt when nothing is pending.
  [[nodiscard]] std::optional<Clock::time_point> next_deadline() const;

  // A taken edit that was not delivered: pending again (due at once) unless a newer
  // text arrived meanwhile; the interval restarts from the edit before it.
  void requeue(Edit edit, Clock::time_point now);

  // The message may change again after its final text (an admin retried the job):
  // later submits are accepted again; the interval still counts from the last edit.
  void reopen(std::int64_t chat_id, std::int64_t message_id);

  [[nodiscard]] std::size_t pending() const;
  [[nodiscard]] std::size_t tracked() const { return entries_.size(); }

 private:
  using Key = std::pair<std::int64_t, std::int64_t>;
  struct Entry {
    std::optional<std::string> pending_text;
    bool pending_final = false;
    Clock::time_point pending_since{};
    std::optional<std::string> sent_text;
    std::optional<Clock::time_point> sent_at;
    // Before the last take, for requeue().
    std::optional<std::string> previous_sent_text;
    std::optional<Clock::time_point> previous_sent_at;
    bool finished = false;  // the final text was taken
    Clock::time_point last_activity{};
  };

  [[nodiscard]] Clock::time_point due_at(const Entry& entry) const;
  void forget_stale(Clock::time_point now);

  Clock::duration min_interval_;
  Clock::duration retention_;
  std::map<Key, Entry> entries_;
};

}  // namespace teltubby::bot
