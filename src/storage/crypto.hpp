#pragma once
// SHA-256 and HMAC-SHA256 over OpenSSL's EVP interface, plus lower-case hex.
#include <array>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include <openssl/evp.h>

namespace teltubby::storage {

using Digest = std::array<unsigned char, 32>;

struct EvpMdCtxDeleter {
  void operator()(EVP_MD_CTX* context) const noexcept { EVP_MD_CTX_free(context); }
};
using EvpMdCtx = std::unique_ptr<EVP_MD_CTX, EvpMdCtxDeleter>;

// Incremental SHA-256 (whole-object hashes computed while streaming).
class Sha256 {
 public:
  Sha256();  // throws FatalError when OpenSSL cannot provide SHA-256 (broken set-up)
  void update(std::span<const std::byte> bytes);
  void update(std::string_view text);
  // Finishes and returns the digest; the object must not be updated afterwards.
  Digest finish();

 private:
  EvpMdCtx context_;
};

std::string to_hex(std::span<const unsigned char> bytes);
// Standard base64 with '=' padding (RFC 4648), as td_json expects for `bytes`.
std::string to_base64(std::string_view bytes);
std::string sha256_hex(std::string_view text);
std::string sha256_hex(std::span<const std::byte> bytes);
Digest hmac_sha256(std::span<const unsigned char> key, std::string_view data);

}  // namespace teltubby::storage
