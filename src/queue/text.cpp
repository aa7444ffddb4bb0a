#include "queue/text.hpp"

#include <array>
#include <cstdint>
#include <random>

namespace teltubby::queue {

std::optional<std::size_t> first_invalid_utf8(std::string_view text) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  const auto byte = [&](std::size_t at) { return static_cast<unsigned char>(text[at]); };
  while (i < n) {
    const unsigned char lead = byte(i);
    if (lead < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    std::uint32_t code_point = 0;
    if ((lead & 0xE0U) == 0xC0U) {
      length = 2;
      code_point = lead & 0x1FU;
    } else if ((lead & 0xF0U) == 0xE0U) {
      length = 3;
      code_point = lead & 0x0FU;
    } else if ((lead & 0xF8U) == 0xF0U) {
      length = 4;
      code_point = lead & 0x07U;
    } else {
      return i;  // a continuation byte or 0xF8..0xFF where a character must start
    }
    if (i + length > n) return i;
    for (std::size_t k = 1; k < length; ++k) {
      const unsigned char next = byte(i + k);
      if ((next & 0xC0U) != 0x80U) return i;
      code_point = (code_point << 6U) | (next & 0x3FU);
    }
    static constexpr std::array<std::uint32_t, 5> kSmallestForLength = {0, 0, 0x80, 0x800, 0x10000};
    if (code_point < kSmallestForLength[length]) return i;       // overlong
    if (code_point >= 0xD800 && code_point <= 0xDFFF) return i;  // surrogate
    if (code_point > 0x10FFFF) return i;
    i += length;
  }
  return std::nullopt;
}

bool is_uuid_v4(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
      continue;
    }
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex) return false;
  }
  if (text[14] != '4') return false;
  const char variant = text[19];
  return variant == '8' || variant == '9' || variant == 'a' || variant == 'b' || variant == 'A' ||
         variant == 'B';
}

std::string make_uuid_v4() {
  // random_device is not cheap, but a job id is made once per large file.
  std::random_device device;
  std::array<unsigned char, 16> bytes{};
  for (std::size_t i = 0; i < bytes.size(); i += 4) {
    const std::uint32_t word = device();
    for (std::size_t k = 0; k < 4; ++k) bytes[i + k] = static_cast<unsigned char>(word >> (8 * k));
  }
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0FU) | 0x40U);  // version 4
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3FU) | 0x80U);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[bytes[i] >> 4U]);
    out.push_back(kHex[bytes[i] & 0x0FU]);
  }
  return out;
}

}  // namespace teltubby::queue
