#pragma once
// Deterministic pseudo-random bytes of a given length, generated on the fly (big test
// data is generated, never stored). The same reads sizes give the same bytes. Optionally calls `at_offset` once when the bytes
// produced so far reach `trigger_offset` (e.g. to kill a server mid-upload).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <span>

#include "core/error.hpp"
#include "storage/byte_source.hpp"

namespace teltubby::test {

class GeneratedSource final : public storage::ByteSource {
 public:
  GeneratedSource(std::uint64_t size, std::uint64_t seed) : size_(size), state_(seed | 1) {}

  void on_offset(std::uint64_t offset, std::function<void()> action) {
    trigger_offset_ = offset;
    action_ = std::move(action);
  }

  Result<std::size_t> read(std::span<std::byte> buffer) override {
    if (action_ && produced_ >= trigger_offset_) {
      auto action = std::move(action_);
      action_ = nullptr;
      action();
    }
    const std::uint64_t left = size_ - produced_;
    std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(left, buffer.size()));
    if (action_ && produced_ < trigger_offset_) {
      n = static_cast<std::size_t>(std::min<std::uint64_t>(n, trigger_offset_ - produced_));
    }
    std::size_t i = 0;
    for (; i + 8 <= n; i += 8) {  // whole words with a fixed-size copy: fast enough for GiBs
      next();
      std::memcpy(buffer.data() + i, &state_, 8);
    }
    if (i < n) {
      next();
      std::memcpy(buffer.data() + i, &state_, n - i);
    }
    produced_ += n;
    return n;
  }

 private:
  void next() {  // xorshift64
    state_ ^= state_ << 13;
    state_ ^= state_ >> 7;
    state_ ^= state_ << 17;
  }

  std::uint64_t size_;
  std::uint64_t state_;
  std::uint64_t produced_ = 0;
  std::uint64_t trigger_offset_ = 0;
  std::function<void()> action_;
};

}  // namespace teltubby::test
