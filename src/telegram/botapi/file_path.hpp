#pragma once
// Checks of getFile's file_path before it is used, and the local-mode reader.
//
// Cloud API: file_path is relative to {base}/file/bot<token>/ ("documents/file_5.pdf").
// Local Bot API server (TELEGRAM_LOCAL_MODE): file_path is an absolute path on this
// machine. Either way the path comes from outside and must not climb out of where it
// points: ".." components are refused.
#include <cstddef>
#include <string>
#include <string_view>

#include "core/error.hpp"
#include "http/http_client.hpp"

namespace teltubby::botapi {

// A cloud file_path: non-empty, relative, no "." or ".." component, no empty component,
// no control character. Error code "botapi.bad_file_path" (invalid_input).
Status check_cloud_file_path(std::string_view file_path);

// A local-mode file_path: absolute, no "." or ".." component, no control character.
// Error code "botapi.bad_file_path" (invalid_input).
Status check_local_file_path(std::string_view file_path);

// `file_path` percent-encoded for a URL path: unreserved characters and '/' stay as
// they are. Call it on a path that passed check_cloud_file_path().
std::string encode_url_path(std::string_view file_path);

// Streams the regular file at `path` (checked with check_local_file_path) to `sink` in
// chunks of `chunk_bytes`. Errors: "io.open" (not_found when it does not exist; also
// when it is not a regular file), "io.read"; a sink's error is returned as it is.
Status stream_local_file(std::string_view path, const http::BodySink& sink,
                         std::size_t chunk_bytes = 1 << 20);

}  // namespace teltubby::botapi
