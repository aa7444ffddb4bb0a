#include "botsvc/inbox.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "core/log.hpp"
#include "telegram/botapi/parse.hpp"

namespace teltubby::botsvc {

std::vector<InboxUnit> group_rows(const std::vector<store::DeferredMessage>& rows, std::vector<BrokenRow>& broken) {
  std::vector<InboxUnit> units;
  std::map<std::pair<std::int64_t, std::string>, std::size_t> album_index;  // -> units[i]
  for (const auto& row : rows) {
    auto json = nlohmann::json::parse(row.payload, nullptr, /*allow_exceptions=*/false);
    if (json.is_discarded()) {
      broken.push_back({row.id, "payload is not JSON"});
      continue;
    }
    auto message = botapi::parse_message(json);
    if (!message) {
      broken.push_back({row.id, message.error().message});
      continue;
    }
    if (message->media_group_id) {
      auto key = std::make_pair(message->chat.id, *message->media_group_id);
      auto [it, inserted] = album_index.try_emplace(key, units.size());
      if (inserted) units.push_back(InboxUnit{.messages = {}, .row_ids = {}, .is_album = true, .attempts = 0});
      auto& unit = units[it->second];
      unit.messages.push_back(std::move(*message));
      unit.row_ids.push_back(row.id);
      unit.attempts = std::max(unit.attempts, row.attempts);
    } else {
      units.push_back(InboxUnit{.messages = {std::move(*message)}, .row_ids = {row.id}, .is_album = false,
                                .attempts = row.attempts});
    }
  }
  for (auto& unit : units) {
    std::stable_sort(unit.messages.begin(), unit.messages.end(),
                     [](const auto& a, const auto& b) { return a.message_id < b.message_id; });
  }
  return units;
}

std::chrono::milliseconds retry_delay(int attempts) {
  constexpr std::chrono::milliseconds first{15'000};
  constexpr std::chrono::milliseconds longest{600'000};
  auto delay = first;
  for (int i = 1; i < attempts && delay < longest; ++i) delay *= 2;
  return std::min(delay, longest);
}

Result<std::int64_t> Inbox::remember(const botapi::Message& message, std::chrono::milliseconds lease) {
  store::DeferredMessage row;
  row.chat_id = message.chat.id;
  row.message_id = message.message_id;
  row.reason = std::string(kReasonReceived);
  row.payload = message.raw.dump();
  row.next_attempt_at = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()) + lease;
  return store_.add_deferred(row);
}

Status Inbox::finish(const InboxUnit& unit) {
  for (auto id : unit.row_ids) {
    if (auto removed = store_.remove_deferred(id); !removed) return removed;
  }
  return {};
}

Status Inbox::postpone(const InboxUnit& unit, std::chrono::milliseconds delay) {
  const auto next = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now()) + delay;
  for (auto id : unit.row_ids) {
    if (auto marked = store_.mark_deferred_attempt(id, next); !marked) return marked;
  }
  return {};
}

Result<std::vector<InboxUnit>> Inbox::grouped(Result<std::vector<store::DeferredMessage>> rows) {
  if (!rows) return std::unexpected(rows.error());
  std::vector<BrokenRow> broken;
  auto units = group_rows(*rows, broken);
  static const Logger log{"inbox"};
  for (const auto& row : broken) {
    log.error("unreadable inbox row removed", {{"row_id", row.row_id}, {"problem", row.problem}});
    (void)store_.remove_deferred(row.row_id);
  }
  return units;
}

Result<std::vector<InboxUnit>> Inbox::due(std::size_t limit) { return grouped(store_.list_due_deferred(limit)); }

Result<std::vector<InboxUnit>> Inbox::everything() { return grouped(store_.list_deferred(0)); }

}  // namespace teltubby::botsvc
