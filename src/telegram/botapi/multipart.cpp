#include "telegram/botapi/multipart.hpp"

#include <algorithm>

namespace teltubby::botapi {
namespace {

// Names go into a quoted header parameter unescaped, so only plain characters pass.
bool is_plain_name(std::string_view name) {
  return !name.empty() && std::ranges::all_of(name, [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-';
  });
}

bool contains(std::span<const std::byte> haystack, std::string_view needle) {
  const auto* begin = reinterpret_cast<const char*>(haystack.data());
  const std::string_view text(begin, haystack.size());
  return text.find(needle) != std::string_view::npos;
}

}  // namespace

std::string multipart_content_type(std::string_view boundary) {
  return "multipart/form-data; boundary=" + std::string(boundary);
}

Result<std::string> multipart_body(std::string_view boundary, const std::vector<FormField>& fields,
                                   const std::vector<FormFile>& files) {
  // RFC 2046 5.1.1: 1 to 70 characters; ours are plain so the header needs no quoting.
  if (boundary.empty() || boundary.size() > 70 || !is_plain_name(boundary)) {
    return fail(ErrorKind::invalid_input, "botapi.multipart_boundary", "the boundary must be 1-70 plain characters");
  }
  const std::string delimiter = "--" + std::string(boundary);
  std::string body;
  for (const auto& field : fields) {
    if (!is_plain_name(field.name)) {
      return fail(ErrorKind::invalid_input, "botapi.multipart_name", "a form field name is not plain");
    }
    if (field.value.find(delimiter) != std::string::npos) {
      return fail(ErrorKind::invalid_input, "botapi.multipart_boundary", "the boundary occurs in a field");
    }
    body += delimiter + "\r\nContent-Disposition: form-data; name=\"" + field.name + "\"\r\n\r\n" + field.value +
            "\r\n";
  }
  for (const auto& file : files) {
    if (!is_plain_name(file.name) || !is_plain_name(file.filename)) {
      return fail(ErrorKind::invalid_input, "botapi.multipart_name", "a file's field or file name is not plain");
    }
    if (contains(file.bytes, delimiter)) {
      return fail(ErrorKind::invalid_input, "botapi.multipart_boundary", "the boundary occurs in a file");
    }
    body += delimiter + "\r\nContent-Disposition: form-data; name=\"" + file.name + "\"; filename=\"" +
            file.filename + "\"\r\nContent-Type: " + file.content_type + "\r\n\r\n";
    body.append(reinterpret_cast<const char*>(file.bytes.data()), file.bytes.size());
    body += "\r\n";
  }
  body += delimiter + "--\r\n";
  return body;
}

}  // namespace teltubby::botapi
