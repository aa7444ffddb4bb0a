#include "qr/qr.hpp"

#include <array>
#include <cerrno>
#include <cstdint>
#include <memory>

#include <qrencode.h>
#include <zlib.h>

namespace teltubby::qr {
namespace {

struct QrcodeFree {
  void operator()(QRcode* code) const { QRcode_free(code); }
};
using QrcodePtr = std::unique_ptr<QRcode, QrcodeFree>;

// The one place that turns libqrencode's errno into an Error.
Error qrencode_error(int error_number) {
  if (error_number == ERANGE) {
    return {ErrorKind::invalid_input, "qr.too_long", "the text is too long for a QR code", {}};
  }
  if (error_number == EINVAL) return {ErrorKind::invalid_input, "qr.encode", "libqrencode refused the text", {}};
  return {ErrorKind::permanent, "qr.encode", "libqrencode failed (errno " + std::to_string(error_number) + ")", {}};
}

// The one place that turns a zlib status into an Error.
Error zlib_error(int status) {
  return {ErrorKind::permanent, "qr.png", std::string("zlib failed: ") + zError(status), {}};
}

void put_u32(std::vector<std::byte>& out, std::uint32_t value) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<std::byte>((value >> shift) & 0xFFU));
}

// length, type, data, CRC-32 over type and data (PNG specification, section 5.3).
void put_chunk(std::vector<std::byte>& out, std::string_view type, const std::vector<std::byte>& data) {
  put_u32(out, static_cast<std::uint32_t>(data.size()));
  const std::size_t type_at = out.size();
  for (char c : type) out.push_back(static_cast<std::byte>(c));
  out.insert(out.end(), data.begin(), data.end());
  uLong crc = crc32(0L, Z_NULL, 0);
  crc = crc32(crc, reinterpret_cast<const Bytef*>(out.data() + type_at), static_cast<uInt>(out.size() - type_at));
  put_u32(out, static_cast<std::uint32_t>(crc));
}

// A module of the code with its quiet zone: outside the matrix is light.
bool dark_with_border(const QrMatrix& matrix, int row, int column) {
  row -= kQuietZoneModules;
  column -= kQuietZoneModules;
  if (row < 0 || column < 0 || row >= matrix.size || column >= matrix.size) return false;
  return matrix.at(row, column);
}

}  // namespace

Result<QrMatrix> encode_qr(std::string_view text) {
  if (text.empty()) return fail(ErrorKind::invalid_input, "qr.empty", "nothing to encode");
  // Version 0 = the smallest that fits; 8-bit mode encodes the text byte for byte.
  errno = 0;
  QrcodePtr code(QRcode_encodeData(static_cast<int>(text.size()), reinterpret_cast<const unsigned char*>(text.data()),
                                   0, QR_ECLEVEL_M));
  if (!code) return std::unexpected(qrencode_error(errno));
  QrMatrix matrix;
  matrix.size = code->width;
  matrix.version = code->version;
  const auto cells = static_cast<std::size_t>(code->width) * static_cast<std::size_t>(code->width);
  matrix.dark.resize(cells);
  // Bit 0 of each byte is the module's colour; the other bits say what it belongs to.
  for (std::size_t i = 0; i < cells; ++i) matrix.dark[i] = (code->data[i] & 1U) != 0;
  return matrix;
}

Result<std::string> render_qr_terminal(std::string_view text) {
  auto matrix = encode_qr(text);
  if (!matrix) return std::unexpected(matrix.error());
  const int side = matrix->size + 2 * kQuietZoneModules;
  // Indexed by (upper light, lower light): light modules are the ink.
  static constexpr std::array<std::string_view, 4> kCells{" ", "\u2584", "\u2580", "\u2588"};
  std::string out;
  for (int row = 0; row < side; row += 2) {
    for (int column = 0; column < side; ++column) {
      const bool upper_light = !dark_with_border(*matrix, row, column);
      // Below the last row of an odd-sized code is the terminal itself, not a module.
      const bool lower_light = row + 1 < side && !dark_with_border(*matrix, row + 1, column);
      out += kCells[(upper_light ? 2U : 0U) | (lower_light ? 1U : 0U)];
    }
    out += '\n';
  }
  return out;
}

Result<std::vector<std::byte>> png_of(const QrMatrix& matrix, int pixels_per_module) {
  if (pixels_per_module < 1 || pixels_per_module > 64) {
    return fail(ErrorKind::invalid_input, "qr.scale", "pixels per module must be 1 to 64");
  }
  const int side_modules = matrix.size + 2 * kQuietZoneModules;
  const auto side = static_cast<std::uint32_t>(side_modules * pixels_per_module);
  const std::size_t row_bytes = (side + 7) / 8;

  // Scanlines: a filter byte (0 = none) and 1-bit grayscale pixels, 1 = white.
  std::vector<Bytef> raw;
  raw.reserve((row_bytes + 1) * side);
  for (std::uint32_t y = 0; y < side; ++y) {
    raw.push_back(0);
    const int module_row = static_cast<int>(y) / pixels_per_module;
    std::uint8_t byte = 0;
    for (std::uint32_t x = 0; x < side; ++x) {
      const bool white = !dark_with_border(matrix, module_row, static_cast<int>(x) / pixels_per_module);
      byte = static_cast<std::uint8_t>((static_cast<unsigned>(byte) << 1U) | (white ? 1U : 0U));
      if (x % 8 == 7) {
        raw.push_back(byte);
        byte = 0;
      }
    }
    if (side % 8 != 0) raw.push_back(static_cast<std::uint8_t>(static_cast<unsigned>(byte) << (8U - side % 8U)));
  }

  uLongf compressed_size = compressBound(static_cast<uLong>(raw.size()));
  std::vector<std::byte> compressed(compressed_size);
  const int status = compress2(reinterpret_cast<Bytef*>(compressed.data()), &compressed_size, raw.data(),
                               static_cast<uLong>(raw.size()), Z_BEST_COMPRESSION);
  if (status != Z_OK) return std::unexpected(zlib_error(status));
  compressed.resize(compressed_size);

  std::vector<std::byte> png;
  static constexpr std::array<unsigned char, 8> kSignature{0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};
  for (unsigned char c : kSignature) png.push_back(static_cast<std::byte>(c));
  std::vector<std::byte> header;
  put_u32(header, side);  // width
  put_u32(header, side);  // height
  // bit depth 1, colour type 0 (grayscale), compression 0, filter 0, no interlace
  static constexpr std::array<unsigned char, 5> kFormat{1, 0, 0, 0, 0};
  for (unsigned char c : kFormat) header.push_back(static_cast<std::byte>(c));
  put_chunk(png, "IHDR", header);
  put_chunk(png, "IDAT", compressed);
  put_chunk(png, "IEND", {});
  return png;
}

Result<std::vector<std::byte>> render_qr_png(std::string_view text, int pixels_per_module) {
  auto matrix = encode_qr(text);
  if (!matrix) return std::unexpected(matrix.error());
  return png_of(*matrix, pixels_per_module);
}

}  // namespace teltubby::qr
