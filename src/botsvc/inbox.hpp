#pragma once
// The bot's durable inbox: every message with something to archive is written to the
// database (the deferred_messages table) BEFORE the polling offset moves past it or
// the webhook answers 200, and removed only once it is archived. So a crash, a
// SIGKILL or a failing dependency never loses a message: what is still in the inbox
// is archived at the next start (or at its next attempt), and dedup makes a repeated
// attempt harmless.
//
// Rows carry the reason "received"; a row whose `attempts` is above 0 was tried and
// put off (quota at 100%, or storage/Telegram kept failing) and waits for its
// next_attempt_at. Rows of one album are separate rows; they are grouped back into one
// unit by (chat, media_group_id).
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "store/store.hpp"
#include "telegram/botapi/types.hpp"

namespace teltubby::botsvc {

inline constexpr std::string_view kReasonReceived = "received";

// One message or one album, ready to be archived together.
struct InboxUnit {
  std::vector<botapi::Message> messages;  // ordered by message_id
  std::vector<std::int64_t> row_ids;      // inbox rows of these messages
  bool is_album = false;
  // Attempts made so far (the largest over the rows). 0: never tried; > 0: the curator
  // was already told it would be archived later.
  int attempts = 0;
};

// A row whose payload could not be read back (written by a different version, or
// damaged): reported and removed, since retrying cannot fix it.
struct BrokenRow {
  std::int64_t row_id = 0;
  std::string problem;
};

// Pure: parses each row's payload and groups album rows by (chat id, media_group_id);
// units come out in the order of their oldest row.
std::vector<InboxUnit> group_rows(const std::vector<store::DeferredMessage>& rows, std::vector<BrokenRow>& broken);

// When a unit that failed `attempts` times is tried next: 15 s doubled per attempt,
// at most 10 min (storage outages usually last minutes, not hours).
std::chrono::milliseconds retry_delay(int attempts);

class Inbox {
 public:
  explicit Inbox(store::Store& store) : store_(store) {}

  // Writes the message (raw JSON) as "received"; its first retry time lies `lease` in
  // the future so the retry loop does not take it while it is being archived. Returns
  // the row id (the existing one when the message is already in the inbox).
  Result<std::int64_t> remember(const botapi::Message& message, std::chrono::milliseconds lease);
  // Archived: the rows go.
  Status finish(const InboxUnit& unit);
  // Not archived this time: counts an attempt and sets the next one `delay` from now.
  Status postpone(const InboxUnit& unit, std::chrono::milliseconds delay);
  // Units with at least one row due now (retry loop).
  Result<std::vector<InboxUnit>> due(std::size_t limit);
  // Every unit, due or not (start-up recovery).
  Result<std::vector<InboxUnit>> everything();

 private:
  Result<std::vector<InboxUnit>> grouped(Result<std::vector<store::DeferredMessage>> rows);
  store::Store& store_;
};

}  // namespace teltubby::botsvc
