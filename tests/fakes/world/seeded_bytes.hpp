#pragma once
// Deterministic file contents: the byte at offset o of a file with seed s is a pure
// function of (s, o), so any Range of a 4 GB file is produced in O(length) without
// memory or disk. Each 8-byte block is one splitmix64 output of (seed, block index).
#include <cstdint>
#include <string>

namespace fake_world {

// Fills `out` with `length` bytes of the file with `seed`, starting at `offset`.
void fill_seeded_bytes(std::uint64_t seed, std::uint64_t offset, std::uint64_t length, std::string& out);

// One byte, for tests and cross-checks.
unsigned char seeded_byte(std::uint64_t seed, std::uint64_t offset);

}  // namespace fake_world
