#include "bot/edit_coalescer.hpp"

#include <algorithm>

namespace teltubby::bot {

EditCoalescer::EditCoalescer(Clock::duration min_interval, Clock::duration retention)
    : min_interval_(min_interval), retention_(retention) {}

void EditCoalescer::record_sent(std::int64_t chat_id, std::int64_t message_id, std::string text,
                                Clock::time_point now) {
  Entry& entry = entries_[Key{chat_id, message_id}];
  entry.sent_text = std::move(text);
  entry.sent_at = now;
  entry.last_activity = now;
}

void EditCoalescer::submit(Edit edit, Clock::time_point now) {
  Entry& entry = entries_[Key{edit.chat_id, edit.message_id}];
  entry.last_activity = now;
  if (entry.finished) return;                            // the final state is already out
  if (entry.pending_final && !edit.final) return;        // progress never overrides a final text
  if (!entry.pending_text) entry.pending_since = now;
  entry.pending_text = std::move(edit.text);
  entry.pending_final = edit.final;
}

EditCoalescer::Clock::time_point EditCoalescer::due_at(const Entry& entry) const {
  if (!entry.sent_at) return entry.pending_since;
  return std::max(entry.pending_since, *entry.sent_at + min_interval_);
}

std::vector<EditCoalescer::Edit> EditCoalescer::take_due(Clock::time_point now) {
  struct Due {
    bool final;
    Clock::time_point since;
    Key key;
  };
  std::vector<Due> due;
  for (auto& [key, entry] : entries_) {
    if (!entry.pending_text || due_at(entry) > now) continue;
    if (entry.sent_text && *entry.sent_text == *entry.pending_text) {
      // Already showing this text: nothing to send; a final one is thereby delivered.
      entry.finished = entry.finished || entry.pending_final;
      entry.pending_text.reset();
      entry.pending_final = false;
      continue;
    }
    due.push_back({entry.pending_final, entry.pending_since, key});
  }
  std::sort(due.begin(), due.end(), [](const Due& a, const Due& b) {
    if (a.final != b.final) return a.final;
    if (a.since != b.since) return a.since < b.since;
    return a.key < b.key;
  });
  std::vector<Edit> edits;
  edits.reserve(due.size());
  for (const auto& d : due) {
    Entry& entry = entries_.at(d.key);
    entry.previous_sent_text = entry.sent_text;
    entry.previous_sent_at = entry.sent_at;
    entry.sent_text = *entry.pending_text;
    entry.sent_at = now;
    entry.finished = entry.pending_final;
    entry.last_activity = now;
    edits.push_back(Edit{d.key.first, d.key.second, std::move(*entry.pending_text), entry.pending_final});
    entry.pending_text.reset();
    entry.pending_final = false;
  }
  forget_stale(now);
  return edits;
}

void EditCoalescer::requeue(Edit edit, Clock::time_point now) {
  auto it = entries_.find(Key{edit.chat_id, edit.message_id});
  if (it == entries_.end()) {
    submit(std::move(edit), now);
    return;
  }
  Entry& entry = it->second;
  entry.last_activity = now;
  // Undo the take: the screen still shows the text before it.
  if (entry.sent_text && *entry.sent_text == edit.text) {
    entry.sent_text = entry.previous_sent_text;
    entry.sent_at = entry.previous_sent_at;
  }
  if (edit.final) entry.finished = false;
  if (entry.pending_text) {
    // A newer text is waiting; it supersedes this one unless this one was final.
    if (!edit.final || entry.pending_final) return;
  }
  entry.pending_text = std::move(edit.text);
  entry.pending_final = edit.final;
  entry.pending_since = now;
  // Due at once: the interval was not used by a delivered edit.
  if (entry.sent_at && *entry.sent_at + min_interval_ > now) entry.sent_at = now - min_interval_;
}

std::optional<EditCoalescer::Clock::time_point> EditCoalescer::next_deadline() const {
  std::optional<Clock::time_point> earliest;
  for (const auto& [key, entry] : entries_) {
    if (!entry.pending_text) continue;
    const auto at = due_at(entry);
    if (!earliest || at < *earliest) earliest = at;
  }
  return earliest;
}

void EditCoalescer::reopen(std::int64_t chat_id, std::int64_t message_id) {
  const auto found = entries_.find({chat_id, message_id});
  if (found != entries_.end()) found->second.finished = false;
}

std::size_t EditCoalescer::pending() const {
  return static_cast<std::size_t>(
      std::count_if(entries_.begin(), entries_.end(), [](const auto& e) { return e.second.pending_text.has_value(); }));
}

void EditCoalescer::forget_stale(Clock::time_point now) {
  std::erase_if(entries_, [&](const auto& e) {
    return !e.second.pending_text && e.second.last_activity + retention_ <= now;
  });
}

}  // namespace teltubby::bot
