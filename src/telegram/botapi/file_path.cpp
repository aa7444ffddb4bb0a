#include "telegram/botapi/file_path.hpp"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

namespace teltubby::botapi {
namespace {

struct FileCloser {
  void operator()(std::FILE* file) const noexcept { std::fclose(file); }
};
using FilePtr = std::unique_ptr<std::FILE, FileCloser>;

// The one place where an errno from reading a local file becomes our Error.
Error io_error(int error_number, std::string_view operation, std::string_view path) {
  ErrorKind kind = ErrorKind::permanent;
  switch (error_number) {
    case ENOENT:
    case ENOTDIR:
      kind = ErrorKind::not_found;
      break;
    case EINTR:
    case EAGAIN:
    case EIO:
    case EMFILE:
    case ENFILE:
    case ENOMEM:
      kind = ErrorKind::retryable;  // the next attempt may well succeed
      break;
    default:
      break;
  }
  return Error{kind,
               "io." + std::string(operation),
               std::string(operation) + " " + std::string(path) + ": " + std::strerror(error_number),
               {}};
}

Status bad_path(std::string_view file_path, std::string_view why) {
  // The path is quoted only up to 200 characters: it comes from outside and ends up in
  // logs. (Built by appending: GCC 12 at -O2 misreports operator+ chains here.)
  std::string message = "file_path \"";
  message.append(file_path.substr(0, 200));
  if (file_path.size() > 200) message += "...";
  message += "\" refused: ";
  message.append(why);
  return fail(ErrorKind::invalid_input, "botapi.bad_file_path", std::move(message));
}

bool has_control_character(std::string_view text) {
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) return true;
  }
  return false;
}

std::vector<std::string_view> components(std::string_view path) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t slash = path.find('/', start);
    parts.push_back(
        path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return parts;
}

}  // namespace

Status check_cloud_file_path(std::string_view file_path) {
  if (file_path.empty()) return bad_path(file_path, "empty");
  if (has_control_character(file_path)) return bad_path(file_path, "control character");
  if (file_path.front() == '/') return bad_path(file_path, "absolute path from the cloud Bot API");
  for (std::string_view part : components(file_path)) {
    if (part.empty()) return bad_path(file_path, "empty path component");
    if (part == "." || part == "..") return bad_path(file_path, "\".\" or \"..\" component");
  }
  return {};
}

Status check_local_file_path(std::string_view file_path) {
  if (file_path.empty()) return bad_path(file_path, "empty");
  if (has_control_character(file_path)) return bad_path(file_path, "control character");
  if (file_path.front() != '/') return bad_path(file_path, "local mode needs an absolute path");
  for (std::string_view part : components(file_path)) {
    if (part == "." || part == "..") return bad_path(file_path, "\".\" or \"..\" component");
  }
  return {};
}

std::string encode_url_path(std::string_view file_path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(file_path.size());
  for (char c : file_path) {
    const auto byte = static_cast<unsigned char>(c);
    const bool keep = (byte >= 'A' && byte <= 'Z') || (byte >= 'a' && byte <= 'z') ||
                      (byte >= '0' && byte <= '9') || c == '-' || c == '.' || c == '_' || c == '~' ||
                      c == '/';
    if (keep) {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[byte >> 4]);
      out.push_back(kHex[byte & 0x0f]);
    }
  }
  return out;
}

Status stream_local_file(std::string_view path, const http::BodySink& sink, std::size_t chunk_bytes) {
  if (auto checked = check_local_file_path(path); !checked) return checked;
  const std::string path_text(path);
  // "e": O_CLOEXEC, so a child process never inherits the descriptor.
  FilePtr file(std::fopen(path_text.c_str(), "rbe"));
  if (!file) return std::unexpected(io_error(errno, "open", path));
  struct stat info {};
  if (::fstat(::fileno(file.get()), &info) != 0) return std::unexpected(io_error(errno, "open", path));
  if (!S_ISREG(info.st_mode)) {
    return fail(ErrorKind::not_found, "io.open", "open " + path_text + ": not a regular file");
  }
  std::vector<std::byte> buffer(chunk_bytes == 0 ? 1 : chunk_bytes);
  while (true) {
    const std::size_t got = std::fread(buffer.data(), 1, buffer.size(), file.get());
    if (got > 0) {
      if (auto written = sink(std::span<const std::byte>(buffer.data(), got)); !written) return written;
    }
    if (got < buffer.size()) {
      if (std::ferror(file.get()) != 0)
        return std::unexpected(io_error(errno != 0 ? errno : EIO, "read", path));
      return {};  // end of file
    }
  }
}

}  // namespace teltubby::botapi
