#include <gtest/gtest.h>

#include "seeded_bytes.hpp"

namespace fake_world {
namespace {

TEST(FakeWorldSeededBytes, AnyRangeMatchesTheBytesAtThoseOffsets) {
  std::string whole;
  fill_seeded_bytes(42, 0, 4096, whole);
  std::string slice;
  fill_seeded_bytes(42, 1001, 77, slice);
  EXPECT_EQ(slice, whole.substr(1001, 77));
  for (std::uint64_t offset : {0ULL, 7ULL, 8ULL, 4095ULL}) {
    EXPECT_EQ(static_cast<unsigned char>(whole[offset]), seeded_byte(42, offset));
  }
}

TEST(FakeWorldSeededBytes, OffsetsNearFourGigabytesNeedNoMemory) {
  std::string tail;
  fill_seeded_bytes(7, 4000ULL * 1024 * 1024 - 16, 16, tail);
  EXPECT_EQ(tail.size(), 16U);
  EXPECT_EQ(static_cast<unsigned char>(tail[15]), seeded_byte(7, 4000ULL * 1024 * 1024 - 1));
}

TEST(FakeWorldSeededBytes, DifferentSeedsGiveDifferentContent) {
  std::string a, b;
  fill_seeded_bytes(1, 0, 64, a);
  fill_seeded_bytes(2, 0, 64, b);
  EXPECT_NE(a, b);
}

}  // namespace
}  // namespace fake_world
