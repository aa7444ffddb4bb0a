#pragma once
// The SHA-256 of the fake world's file with `seed` and `size`, computed from the
// generator itself, independently of whatever download or upload a test checks.
// Header-only: its users link fake_world and teltubby_storage already.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>

#include "seeded_bytes.hpp"
#include "storage/crypto.hpp"

namespace teltubby::test {

inline std::string seeded_sha256(std::uint64_t seed, std::uint64_t size) {
  constexpr std::uint64_t kChunk = 4ULL << 20;  // bytes generated per step
  storage::Sha256 hasher;
  std::string chunk;
  for (std::uint64_t offset = 0; offset < size; offset += kChunk) {
    chunk.clear();
    fake_world::fill_seeded_bytes(seed, offset, std::min(kChunk, size - offset), chunk);
    hasher.update(std::string_view(chunk));
  }
  return storage::to_hex(hasher.finish());
}

}  // namespace teltubby::test
