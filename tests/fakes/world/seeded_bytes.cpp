#include "seeded_bytes.hpp"

namespace fake_world {
namespace {

std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

std::uint64_t block(std::uint64_t seed, std::uint64_t index) {
  return splitmix64(splitmix64(seed) ^ (index * 0xD1B54A32D192ED03ULL));
}

}  // namespace

unsigned char seeded_byte(std::uint64_t seed, std::uint64_t offset) {
  const std::uint64_t value = block(seed, offset / 8);
  return static_cast<unsigned char>((value >> ((offset % 8) * 8)) & 0xFFU);
}

void fill_seeded_bytes(std::uint64_t seed, std::uint64_t offset, std::uint64_t length, std::string& out) {
  out.resize(static_cast<std::size_t>(length));
  std::uint64_t produced = 0;
  while (produced < length) {
    const std::uint64_t position = offset + produced;
    const std::uint64_t value = block(seed, position / 8);
    for (std::uint64_t shift = position % 8; shift < 8 && produced < length; ++shift, ++produced) {
      out[static_cast<std::size_t>(produced)] = static_cast<char>((value >> (shift * 8)) & 0xFFU);
    }
  }
}

}  // namespace fake_world
