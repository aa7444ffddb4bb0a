// QR codes for the worker's QR login: the matrix libqrencode builds, its terminal text
// and the PNG bytes the bot sends (decoded here again with zlib to check the pixels).
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include <zlib.h>

#include "qr/qr.hpp"

namespace teltubby::qr {
namespace {

// A QR login link of the shape TDLib hands out (a 43-character base64url token).
const std::string kLoginLink = "tg://login?token=AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA";

// Splits UTF-8 text into lines of code points.
std::vector<std::u32string> lines_of(const std::string& text) {
  std::vector<std::u32string> lines(1);
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<unsigned char>(text[i]);
    const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
    char32_t point = length == 1 ? lead : lead & (0xFFU >> (length + 1));
    for (std::size_t k = 1; k < length; ++k) point = (point << 6U) | (static_cast<unsigned char>(text[i + k]) & 0x3FU);
    i += length;
    if (point == U'\n') {
      lines.emplace_back();
    } else {
      lines.back() += point;
    }
  }
  if (lines.back().empty()) lines.pop_back();
  return lines;
}

std::uint32_t u32_at(const std::vector<std::byte>& bytes, std::size_t at) {
  std::uint32_t value = 0;
  for (std::size_t i = 0; i < 4; ++i) value = (value << 8U) | std::to_integer<std::uint32_t>(bytes[at + i]);
  return value;
}

// Whether the finder pattern (7x7 dark ring, light ring, dark 3x3 centre) starts at (row, column).
bool finder_at(const QrMatrix& m, int row, int column) {
  for (int r = 0; r < 7; ++r) {
    for (int c = 0; c < 7; ++c) {
      const bool ring = r == 0 || r == 6 || c == 0 || c == 6;
      const bool centre = r >= 2 && r <= 4 && c >= 2 && c <= 4;
      if (m.at(row + r, column + c) != (ring || centre)) return false;
    }
  }
  return true;
}

TEST(QrMatrix, ShortTextIsVersion1With21ModulesAndThreeFinderPatterns) {
  const auto matrix = encode_qr("HELLO WORLD");
  ASSERT_TRUE(matrix.has_value()) << matrix.error().describe();
  EXPECT_EQ(matrix->version, 1);
  EXPECT_EQ(matrix->size, 21);
  ASSERT_EQ(matrix->dark.size(), 21U * 21U);
  EXPECT_TRUE(finder_at(*matrix, 0, 0));
  EXPECT_TRUE(finder_at(*matrix, 0, 14));
  EXPECT_TRUE(finder_at(*matrix, 14, 0));
  EXPECT_FALSE(finder_at(*matrix, 14, 14)) << "a QR code has no finder pattern bottom right";
}

TEST(QrMatrix, ALoginLinkOf60BytesNeedsVersion4With33Modules) {
  // Byte mode at level M: version 3 holds 42 bytes, version 4 holds 62.
  ASSERT_EQ(kLoginLink.size(), 60U);
  const auto matrix = encode_qr(kLoginLink);
  ASSERT_TRUE(matrix.has_value()) << matrix.error().describe();
  EXPECT_EQ(matrix->version, 4);
  EXPECT_EQ(matrix->size, 17 + 4 * 4);
}

TEST(QrMatrix, EmptyOrOversizedTextIsRefused) {
  EXPECT_EQ(encode_qr("").error().code, "qr.empty");
  // Version 40 at level M holds 2331 bytes.
  const auto too_long = encode_qr(std::string(2400, 'x'));
  ASSERT_FALSE(too_long.has_value());
  EXPECT_EQ(too_long.error().code, "qr.too_long");
  EXPECT_EQ(too_long.error().kind, ErrorKind::invalid_input);
}

TEST(QrTerminal, TwoModuleRowsPerLineWithTheQuietZone) {
  const auto text = render_qr_terminal("HELLO WORLD");
  ASSERT_TRUE(text.has_value()) << text.error().describe();
  ASSERT_TRUE(text->ends_with('\n'));
  const auto lines = lines_of(*text);
  // 21 modules + 2 * 4 quiet zone = 29 columns; 29 rows in ceil(29 / 2) lines.
  ASSERT_EQ(lines.size(), 15U);
  for (const auto& line : lines) EXPECT_EQ(line.size(), 29U);
  EXPECT_EQ(lines[0], std::u32string(29, U'\u2588')) << "the quiet zone is light";
  // Line 2 = module rows 4 and 5: the finder's dark top row over its ring.
  EXPECT_EQ(lines[2].substr(0, 12), U"\u2588\u2588\u2588\u2588 \u2584\u2584\u2584\u2584\u2584 \u2588");
  // The last line's lower half lies outside the code: upper halves only.
  EXPECT_EQ(lines[14], std::u32string(29, U'\u2580'));
}

TEST(QrPng, SignatureHeaderAndPixelsMatchTheMatrix) {
  constexpr int kScale = 4;
  const auto matrix = encode_qr("HELLO WORLD");
  ASSERT_TRUE(matrix.has_value());
  const auto png = render_qr_png("HELLO WORLD", kScale);
  ASSERT_TRUE(png.has_value()) << png.error().describe();
  const std::vector<unsigned char> signature{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  ASSERT_GT(png->size(), 33U);
  for (std::size_t i = 0; i < signature.size(); ++i) EXPECT_EQ(std::to_integer<unsigned char>((*png)[i]), signature[i]);
  EXPECT_EQ(u32_at(*png, 8), 13U) << "IHDR length";
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(png->data() + 12), 4), "IHDR");
  constexpr std::uint32_t kSide = (21 + 8) * kScale;
  EXPECT_EQ(u32_at(*png, 16), kSide) << "width";
  EXPECT_EQ(u32_at(*png, 20), kSide) << "height";
  EXPECT_EQ(std::to_integer<int>((*png)[24]), 1) << "bit depth";
  EXPECT_EQ(std::to_integer<int>((*png)[25]), 0) << "grayscale";

  // IDAT follows IHDR and its CRC (8 + 25 + 4 bytes in); inflate it and compare pixels.
  const std::size_t idat = 8 + 25;
  ASSERT_EQ(std::string(reinterpret_cast<const char*>(png->data() + idat + 4), 4), "IDAT");
  const std::uint32_t idat_length = u32_at(*png, idat);
  constexpr std::size_t kRowBytes = 1 + (kSide + 7) / 8;
  std::vector<unsigned char> raw(kRowBytes * kSide);
  uLongf raw_size = raw.size();
  ASSERT_EQ(uncompress(raw.data(), &raw_size, reinterpret_cast<const Bytef*>(png->data() + idat + 8), idat_length),
            Z_OK);
  ASSERT_EQ(raw_size, raw.size());
  auto white = [&](std::uint32_t x, std::uint32_t y) {
    const unsigned char byte = raw[y * kRowBytes + 1 + x / 8];
    return ((byte >> (7U - x % 8U)) & 1U) != 0;
  };
  for (int row = 0; row < 21; ++row) {
    for (int column = 0; column < 21; ++column) {
      const auto x = static_cast<std::uint32_t>((column + 4) * kScale + kScale / 2);
      const auto y = static_cast<std::uint32_t>((row + 4) * kScale + kScale / 2);
      ASSERT_EQ(!white(x, y), matrix->at(row, column)) << "module " << row << "," << column;
    }
  }
  EXPECT_TRUE(white(0, 0)) << "quiet zone";
  EXPECT_EQ(std::string(reinterpret_cast<const char*>(png->data() + png->size() - 8), 4), "IEND");
}

TEST(QrPng, ScaleOutsideOneToSixtyFourIsRefused) {
  EXPECT_EQ(render_qr_png("x", 0).error().code, "qr.scale");
  EXPECT_EQ(render_qr_png("x", 65).error().code, "qr.scale");
}

}  // namespace
}  // namespace teltubby::qr
