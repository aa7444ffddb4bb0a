#pragma once
// QR codes for the worker's Telegram login by QR (DESIGN.md section 5): the
// tg://login?token=... link that TDLib hands out, drawn for a terminal
// (`teltubby login --qr`) or as a PNG image the bot sends to the admins.
//
//   auto text = qr::render_qr_terminal("tg://login?token=...");   // print *text
//   auto png = qr::render_qr_png("tg://login?token=...", 8);      // sendPhoto *png
//
// libqrencode builds the module matrix (error correction level M: the bot's photo is
// re-encoded as JPEG by Telegram, and a phone camera reads it off a screen); the PNG is
// written here with zlib (grayscale, 1 bit per pixel), so no libpng longjmp crosses C++
// frames. Pure: no I/O, thread-safe.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace teltubby::qr {

// The light border every QR code needs around it, in modules (ISO/IEC 18004 asks for 4).
inline constexpr int kQuietZoneModules = 4;

// The module matrix, without the quiet zone: size x size, row-major, true = dark.
struct QrMatrix {
  int size = 0;
  int version = 0;  // 1..40; size = 17 + 4 * version
  std::vector<bool> dark;
  [[nodiscard]] bool at(int row, int column) const {
    return dark[static_cast<std::size_t>(row) * static_cast<std::size_t>(size) + static_cast<std::size_t>(column)];
  }
};

// Errors: invalid_input "qr.empty" for an empty text, "qr.too_long" when the text does
// not fit the largest QR version; "qr.encode" otherwise (out of memory).
Result<QrMatrix> encode_qr(std::string_view text);

// The QR code as UTF-8 text for a terminal: one character per module column, two
// module rows per line (upper and lower half blocks), quiet zone included, each line
// ending in '\n'. Light modules are drawn as block characters and dark ones as spaces,
// so on the usual light-on-dark terminal the code reads dark-on-light as scanners
// expect. Lines: ceil((size + 8) / 2); characters per line: size + 8.
Result<std::string> render_qr_terminal(std::string_view text);

// The QR code as PNG bytes: (size + 8) * pixels_per_module pixels square, quiet zone
// included, black on white. pixels_per_module 1..64 (invalid_input "qr.scale" otherwise).
Result<std::vector<std::byte>> render_qr_png(std::string_view text, int pixels_per_module);

// PNG bytes of a matrix (exposed for tests; render_qr_png = encode_qr + this).
Result<std::vector<std::byte>> png_of(const QrMatrix& matrix, int pixels_per_module);

}  // namespace teltubby::qr
