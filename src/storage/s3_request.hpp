#pragma once
// Building one signed S3 HTTP request: addressing (path style or virtual host), key
// encoding, SigV4 headers. Pure (the time is a parameter), so tests can compare it with
// an independent signer.
#include <chrono>
#include <string>
#include <string_view>

#include "http/http_client.hpp"
#include "storage/s3_settings.hpp"
#include "storage/sigv4.hpp"

namespace teltubby::storage {

struct S3RequestParts {
  std::string method;
  std::string_view key;        // empty: a bucket-level request
  sigv4::Pairs query;          // raw parameters
  http::Headers headers;       // extra headers to send and sign (Content-Type, x-amz-copy-source, ...)
  std::string payload_sha256;  // hex SHA-256 of the body
};

// The URL, Host, x-amz-date, x-amz-content-sha256 and Authorization of the request;
// body, sink and timeouts are left for the caller.
http::Request build_signed_request(const S3Settings& settings, const Endpoint& endpoint, const S3RequestParts& parts,
                                   std::chrono::system_clock::time_point now);

}  // namespace teltubby::storage
