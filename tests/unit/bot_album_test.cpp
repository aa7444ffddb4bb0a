#include <gtest/gtest.h>

#include "bot/album.hpp"
#include "unit/bot_fixtures.hpp"

namespace teltubby::bot {
namespace {

using namespace std::chrono_literals;
using Clock = AlbumAggregator::Clock;
using teltubby::testing::document_message_json;
using teltubby::testing::parse_message_or_die;

const Clock::time_point t0 = Clock::time_point{} + 1000s;

botapi::Message album_message(std::int64_t message_id, const std::string& group = "g1", std::int64_t chat_id = 1,
                              std::int64_t date = 1764300000) {
  auto json = document_message_json(message_id);
  json["media_group_id"] = group;
  json["chat"]["id"] = chat_id;
  json["date"] = date;
  return parse_message_or_die(json);
}

std::vector<std::int64_t> ids(const Album& album) {
  std::vector<std::int64_t> out;
  for (const auto& m : album.messages) out.push_back(m.message_id);
  return out;
}

TEST(AlbumAggregator, EmitsNothingBeforeTheWindowHasPassedSinceTheLastItem) {
  AlbumAggregator aggregator({2s, 10, 16});
  EXPECT_TRUE(aggregator.add(album_message(1), t0).empty());
  EXPECT_TRUE(aggregator.add(album_message(2), t0 + 1500ms).empty());
  EXPECT_TRUE(aggregator.take_due(t0 + 2s).empty());  // 2 s after the first, 0.5 s after the last
  EXPECT_EQ(aggregator.next_deadline(), t0 + 3500ms);
  auto due = aggregator.take_due(t0 + 3500ms);
  ASSERT_EQ(due.size(), 1U);
  EXPECT_EQ(ids(due[0]), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(due[0].cause, AlbumFlushCause::window_elapsed);
  EXPECT_EQ(due[0].media_group_id, "g1");
  EXPECT_EQ(aggregator.open_albums(), 0U);
  EXPECT_FALSE(aggregator.next_deadline().has_value());
}

TEST(AlbumAggregator, OrdersItemsByMessageIdThenDateWhateverTheArrivalOrder) {
  AlbumAggregator aggregator({2s, 10, 16});
  aggregator.add(album_message(13), t0);
  aggregator.add(album_message(11), t0 + 300ms);
  aggregator.add(album_message(15), t0 + 600ms);
  aggregator.add(album_message(12), t0 + 900ms);
  aggregator.add(album_message(14), t0 + 1500ms);
  auto due = aggregator.take_due(t0 + 3500ms);
  ASSERT_EQ(due.size(), 1U);
  EXPECT_EQ(ids(due[0]), (std::vector<std::int64_t>{11, 12, 13, 14, 15}));
}

TEST(AlbumAggregator, KeepsAlbumsOfDifferentGroupsAndChatsApart) {
  AlbumAggregator aggregator({2s, 10, 16});
  aggregator.add(album_message(1, "g1", 1), t0);
  aggregator.add(album_message(2, "g2", 1), t0);
  aggregator.add(album_message(3, "g1", 2), t0 + 1s);
  EXPECT_EQ(aggregator.open_albums(), 3U);
  auto first = aggregator.take_due(t0 + 2s);
  ASSERT_EQ(first.size(), 2U);
  auto second = aggregator.take_due(t0 + 3s);
  ASSERT_EQ(second.size(), 1U);
  EXPECT_EQ(second[0].chat_id, 2);
}

TEST(AlbumAggregator, RedeliveredMessageIsNotCountedTwice) {
  AlbumAggregator aggregator({2s, 10, 16});
  aggregator.add(album_message(1), t0);
  aggregator.add(album_message(1), t0 + 100ms);
  auto due = aggregator.take_due(t0 + 5s);
  ASSERT_EQ(due.size(), 1U);
  EXPECT_EQ(due[0].messages.size(), 1U);
}

TEST(AlbumAggregator, FullAlbumIsEmittedAtOnce) {
  AlbumAggregator aggregator({2s, 3, 16});
  EXPECT_TRUE(aggregator.add(album_message(1), t0).empty());
  EXPECT_TRUE(aggregator.add(album_message(2), t0).empty());
  auto emitted = aggregator.add(album_message(3), t0);
  ASSERT_EQ(emitted.size(), 1U);
  EXPECT_EQ(emitted[0].cause, AlbumFlushCause::full);
  EXPECT_EQ(emitted[0].messages.size(), 3U);
  // A straggler of the same group starts a new album instead of being lost.
  EXPECT_TRUE(aggregator.add(album_message(4), t0 + 100ms).empty());
  EXPECT_EQ(aggregator.open_albums(), 1U);
}

TEST(AlbumAggregator, TooManyOpenAlbumsEmitsTheQuietestEarly) {
  AlbumAggregator aggregator({2s, 10, 2});
  aggregator.add(album_message(1, "a"), t0);
  aggregator.add(album_message(2, "b"), t0 + 100ms);
  aggregator.add(album_message(3, "a"), t0 + 200ms);  // "a" is active again; "b" is now the quietest
  auto emitted = aggregator.add(album_message(4, "c"), t0 + 300ms);
  ASSERT_EQ(emitted.size(), 1U);
  EXPECT_EQ(emitted[0].media_group_id, "b");
  EXPECT_EQ(emitted[0].cause, AlbumFlushCause::too_many_open);
  EXPECT_EQ(aggregator.open_albums(), 2U);
}

TEST(AlbumAggregator, MessageWithoutGroupIsEmittedAlone) {
  AlbumAggregator aggregator({2s, 10, 2});
  auto json = document_message_json(7);
  auto emitted = aggregator.add(parse_message_or_die(json), t0);
  ASSERT_EQ(emitted.size(), 1U);
  EXPECT_EQ(emitted[0].cause, AlbumFlushCause::not_an_album);
  EXPECT_EQ(aggregator.open_albums(), 0U);
}

TEST(AlbumAggregator, ShutdownTakesEverythingStillOpen) {
  AlbumAggregator aggregator({2s, 10, 16});
  aggregator.add(album_message(1, "a"), t0);
  aggregator.add(album_message(2, "b"), t0);
  auto all = aggregator.take_all();
  ASSERT_EQ(all.size(), 2U);
  EXPECT_EQ(all[0].cause, AlbumFlushCause::shutdown);
  EXPECT_EQ(aggregator.open_albums(), 0U);
}

}  // namespace
}  // namespace teltubby::bot
