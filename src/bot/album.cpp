#include "bot/album.hpp"

#include <algorithm>

namespace teltubby::bot {

std::string_view to_string(AlbumFlushCause cause) {
  switch (cause) {
    case AlbumFlushCause::window_elapsed: return "window_elapsed";
    case AlbumFlushCause::full: return "full";
    case AlbumFlushCause::too_many_open: return "too_many_open";
    case AlbumFlushCause::shutdown: return "shutdown";
    case AlbumFlushCause::not_an_album: return "not_an_album";
  }
  return "window_elapsed";
}

AlbumAggregator::AlbumAggregator(Limits limits) : limits_(limits) {
  // Zero limits would make every add() flush or evict forever; treat them as 1.
  limits_.max_items = std::max<std::size_t>(limits_.max_items, 1);
  limits_.max_open_albums = std::max<std::size_t>(limits_.max_open_albums, 1);
}

Album AlbumAggregator::close(std::map<Key, Open>::iterator it, AlbumFlushCause cause) {
  Album album{it->first.first, it->first.second, std::move(it->second.messages), cause};
  open_.erase(it);
  std::stable_sort(album.messages.begin(), album.messages.end(), [](const auto& a, const auto& b) {
    if (a.message_id != b.message_id) return a.message_id < b.message_id;
    return a.date < b.date;
  });
  return album;
}

std::vector<Album> AlbumAggregator::add(botapi::Message message, Clock::time_point now) {
  std::vector<Album> emitted;
  if (!message.media_group_id) {
    Album single{message.chat.id, "", {}, AlbumFlushCause::not_an_album};
    single.messages.push_back(std::move(message));
    emitted.push_back(std::move(single));
    return emitted;
  }
  Key key{message.chat.id, *message.media_group_id};
  auto it = open_.find(key);
  if (it == open_.end()) {
    if (open_.size() >= limits_.max_open_albums) {
      auto quietest = std::min_element(open_.begin(), open_.end(), [](const auto& a, const auto& b) {
        return a.second.last_seen < b.second.last_seen;
      });
      emitted.push_back(close(quietest, AlbumFlushCause::too_many_open));
    }
    it = open_.emplace(std::move(key), Open{}).first;
  }
  Open& album = it->second;
  album.last_seen = now;
  auto same = std::find_if(album.messages.begin(), album.messages.end(),
                           [&](const auto& m) { return m.message_id == message.message_id; });
  if (same != album.messages.end()) {
    *same = std::move(message);
  } else {
    album.messages.push_back(std::move(message));
  }
  if (album.messages.size() >= limits_.max_items) emitted.push_back(close(it, AlbumFlushCause::full));
  return emitted;
}

std::vector<Album> AlbumAggregator::take_due(Clock::time_point now) {
  std::vector<std::pair<Clock::time_point, Key>> due;
  for (const auto& [key, album] : open_) {
    const auto deadline = album.last_seen + limits_.window;
    if (deadline <= now) due.emplace_back(deadline, key);
  }
  std::sort(due.begin(), due.end());
  std::vector<Album> emitted;
  emitted.reserve(due.size());
  for (const auto& entry : due) emitted.push_back(close(open_.find(entry.second), AlbumFlushCause::window_elapsed));
  return emitted;
}

std::optional<AlbumAggregator::Clock::time_point> AlbumAggregator::next_deadline() const {
  std::optional<Clock::time_point> earliest;
  for (const auto& [key, album] : open_) {
    const auto deadline = album.last_seen + limits_.window;
    if (!earliest || deadline < *earliest) earliest = deadline;
  }
  return earliest;
}

std::vector<Album> AlbumAggregator::take_all() {
  std::vector<Album> emitted;
  while (!open_.empty()) emitted.push_back(close(open_.begin(), AlbumFlushCause::shutdown));
  return emitted;
}

}  // namespace teltubby::bot
