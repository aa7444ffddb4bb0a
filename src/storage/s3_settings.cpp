#include "storage/s3_settings.hpp"

#include <algorithm>
#include <charconv>
#include <string>
#include <vector>

namespace teltubby::storage {

Result<Endpoint> parse_endpoint(std::string_view text) {
  Endpoint endpoint;
  const auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos) {
    return fail(ErrorKind::invalid_input, "config.s3_endpoint", "S3 endpoint must start with http:// or https://");
  }
  endpoint.scheme = std::string(text.substr(0, scheme_end));
  if (endpoint.scheme != "http" && endpoint.scheme != "https") {
    return fail(ErrorKind::invalid_input, "config.s3_endpoint", "S3 endpoint scheme must be http or https");
  }
  std::string_view rest = text.substr(scheme_end + 3);
  if (rest.ends_with('/')) rest.remove_suffix(1);
  if (rest.empty() || rest.find_first_of("/?#@ ") != std::string_view::npos) {
    return fail(ErrorKind::invalid_input, "config.s3_endpoint",
                "S3 endpoint must be scheme://host[:port] without path, query or user info");
  }
  std::string_view host = rest;
  std::string_view port;
  if (rest.front() == '[') {  // [IPv6]:port
    const auto close = rest.find(']');
    if (close == std::string_view::npos) {
      return fail(ErrorKind::invalid_input, "config.s3_endpoint", "S3 endpoint has an unclosed IPv6 bracket");
    }
    host = rest.substr(1, close - 1);
    std::string_view after = rest.substr(close + 1);
    if (!after.empty()) {
      if (after.front() != ':') return fail(ErrorKind::invalid_input, "config.s3_endpoint", "S3 endpoint: bad port");
      port = after.substr(1);
    }
  } else if (auto colon = rest.rfind(':'); colon != std::string_view::npos) {
    host = rest.substr(0, colon);
    port = rest.substr(colon + 1);
  }
  if (host.empty()) return fail(ErrorKind::invalid_input, "config.s3_endpoint", "S3 endpoint has no host");
  endpoint.host = std::string(host);
  if (!port.empty() || rest.ends_with(':')) {
    unsigned value = 0;
    auto [ptr, error] = std::from_chars(port.data(), port.data() + port.size(), value);
    if (port.empty() || error != std::errc{} || ptr != port.data() + port.size() || value == 0 || value > 65535) {
      return fail(ErrorKind::invalid_input, "config.s3_endpoint", "S3 endpoint port must be 1-65535");
    }
    endpoint.port = static_cast<std::uint16_t>(value);
  }
  return endpoint;
}

Status validate(const S3Settings& settings) {
  std::vector<std::string> problems;
  if (auto endpoint = parse_endpoint(settings.endpoint); !endpoint) problems.push_back(endpoint.error().message);
  if (settings.access_key.empty()) problems.push_back("S3 access key is empty");
  if (settings.secret_key.empty()) problems.push_back("S3 secret key is empty");
  const auto& bucket = settings.bucket;
  const bool bucket_ok = bucket.size() >= 3 && bucket.size() <= 63 &&
                         std::all_of(bucket.begin(), bucket.end(), [](char c) {
                           return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
                         }) &&
                         bucket.front() != '-' && bucket.front() != '.' && bucket.back() != '-' && bucket.back() != '.';
  if (!bucket_ok) problems.push_back("S3 bucket name must be 3-63 characters of a-z 0-9 . - (got '" + bucket + "')");
  if (settings.region.empty()) problems.push_back("S3 region is empty");
  if (settings.part_size_bytes < min_part_size_bytes || settings.part_size_bytes > 5ULL * 1024 * mebibyte) {
    problems.push_back("S3 part size must be between 5 MiB and 5 GiB");
  }
  if (settings.parallel_parts < 1 || settings.parallel_parts > 64) problems.push_back("S3 parallel parts must be 1-64");
  if (settings.io_timeout.count() < 1) problems.push_back("IO timeout must be at least 1 second");
  if (settings.max_attempts < 1 || settings.max_attempts > 20) problems.push_back("S3 max attempts must be 1-20");
  if (problems.empty()) return {};
  std::string message;
  for (const auto& problem : problems) message += (message.empty() ? "" : "; ") + problem;
  return fail(ErrorKind::invalid_input, "config.s3", message);
}

std::uint64_t effective_threshold(const S3Settings& settings) {
  if (settings.multipart_threshold_bytes == 0) return settings.part_size_bytes;
  return std::min(settings.multipart_threshold_bytes, settings.part_size_bytes);
}

}  // namespace teltubby::storage
