#pragma once
// multipart/form-data bodies (RFC 7578) for Bot API uploads (sendPhoto with the image
// bytes: "#sending-files" in core.telegram.org/bots/api). Pure.
#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace teltubby::botapi {

struct FormField {
  std::string name;
  std::string value;
};

struct FormFile {
  std::string name;          // the form field: "photo"
  std::string filename;      // "qr.png"; only [A-Za-z0-9._-] (no quoting needed)
  std::string content_type;  // "image/png"
  std::span<const std::byte> bytes;
};

// The Content-Type header value for `boundary`.
std::string multipart_content_type(std::string_view boundary);

// The body: each field and file as a part, delimited by "--boundary", closed by
// "--boundary--". Errors (invalid_input): "botapi.multipart_boundary" when the boundary
// occurs in a value or a file (the caller picks another one), "botapi.multipart_name"
// when a name or file name has characters outside [A-Za-z0-9._-].
Result<std::string> multipart_body(std::string_view boundary, const std::vector<FormField>& fields,
                                   const std::vector<FormFile>& files);

}  // namespace teltubby::botapi
