#pragma once
// Album aggregation (DESIGN.md section 3): messages sharing (chat_id, media_group_id)
// are collected until no new item has arrived for the window (measured from the last
// item seen), then emitted as one unit. Pure: the caller passes `now` (a steady clock),
// so tests drive time by hand and the I/O shell sleeps until next_deadline().
//
// Bounds, and what happens when they are hit:
// - max_items (10, Telegram's own album limit): the album is emitted as soon as it
//   holds that many items (cause `full`); it cannot grow further. An item that still
//   arrives later for the same group starts a new album (its own folder).
// - max_open_albums: opening one more album first emits the open album that has been
//   quiet longest (cause `too_many_open`), so memory stays bounded under a flood.
// - An item arriving after its album was emitted (later than the window) likewise
//   starts a new album: late items are archived, never dropped.
// A message re-delivered with the same message_id replaces the earlier copy instead of
// counting twice (long polling re-delivers after a crash).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "telegram/botapi/types.hpp"

namespace teltubby::bot {

enum class AlbumFlushCause {
  window_elapsed,  // no new item for the window: the normal case
  full,            // reached max_items
  too_many_open,   // emitted early to make room for a new album
  shutdown,        // take_all()
  not_an_album,    // add() got a message without media_group_id: emitted alone at once
};
std::string_view to_string(AlbumFlushCause cause);

struct Album {
  std::int64_t chat_id = 0;
  std::string media_group_id;
  std::vector<botapi::Message> messages;  // ordered by message_id, then date
  AlbumFlushCause cause = AlbumFlushCause::window_elapsed;
};

class AlbumAggregator {
 public:
  using Clock = std::chrono::steady_clock;

  struct Limits {
    Clock::duration window = std::chrono::seconds{2};  // ALBUM_AGGREGATION_WINDOW_SECONDS
    std::size_t max_items = 10;                        // per album
    std::size_t max_open_albums = 256;                 // albums collected at once
  };

  explicit AlbumAggregator(Limits limits);

  // Adds one album message. Returns the albums that had to be emitted right now
  // (this one when it became full, one evicted to make room, or the message itself
  // when it has no media_group_id); usually empty.
  std::vector<Album> add(botapi::Message message, Clock::time_point now);

  // Albums whose window has elapsed at `now`, oldest deadline first.
  std::vector<Album> take_due(Clock::time_point now);

  // When the next album falls due; nullopt when nothing is open.
  [[nodiscard]] std::optional<Clock::time_point> next_deadline() const;

  // Everything still open (graceful shutdown), cause `shutdown`.
  std::vector<Album> take_all();

  [[nodiscard]] std::size_t open_albums() const { return open_.size(); }

 private:
  using Key = std::pair<std::int64_t, std::string>;
  struct Open {
    std::vector<botapi::Message> messages;
    Clock::time_point last_seen;
  };

  Album close(std::map<Key, Open>::iterator it, AlbumFlushCause cause);

  Limits limits_;
  std::map<Key, Open> open_;
};

}  // namespace teltubby::bot
