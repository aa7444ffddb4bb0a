#pragma once
// AWS Signature Version 4 for S3, as pure functions over strings, so that each step can
// be checked against AWS's published examples and against botocore.
// https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html
#include <chrono>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/crypto.hpp"

namespace teltubby::storage::sigv4 {

using Pairs = std::vector<std::pair<std::string, std::string>>;

// The SHA-256 of an empty payload (GET, HEAD, DELETE).
inline constexpr std::string_view empty_payload_sha256 =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

// Percent-encodes per AWS: A-Z a-z 0-9 - . _ ~ stay, every other byte becomes %XX (upper
// case hex, UTF-8 bytes one by one); '/' stays only when `keep_slash` (object key paths).
std::string uri_encode(std::string_view text, bool keep_slash);

// "k1=v1&k2=v2": names and values encoded, sorted by encoded name then value; a parameter
// without value still gets its '=' ("uploads=").
std::string canonical_query_string(const Pairs& query);

// Header names lower-cased, values trimmed with inner space runs collapsed, sorted by
// name: "name:value\n" lines, and the matching "name1;name2" list.
std::string canonical_headers(const Pairs& headers);
std::string signed_headers(const Pairs& headers);

struct RequestToSign {
  std::string method;
  std::string canonical_uri;  // already encoded with uri_encode(path, true)
  Pairs query;                // raw (not yet encoded) parameters
  Pairs headers;              // every signed header, host and x-amz-date included
  std::string payload_sha256; // hex, or "UNSIGNED-PAYLOAD"
};

struct Credentials {
  std::string access_key;
  std::string secret_key;
  std::string region;
  std::string service = "s3";
};

std::string canonical_request(const RequestToSign& request);
// "20130524/us-east-1/s3/aws4_request"
std::string credential_scope(std::string_view date, std::string_view region, std::string_view service);
std::string string_to_sign(std::string_view amz_date, std::string_view scope, std::string_view canonical_request);
Digest signing_key(std::string_view secret_key, std::string_view date, std::string_view region,
                   std::string_view service);
// The Authorization header value, in the form AWS SDKs send it:
// "AWS4-HMAC-SHA256 Credential=AK/scope, SignedHeaders=a;b, Signature=hex".
std::string authorization(const RequestToSign& request, const Credentials& credentials, std::string_view amz_date);

// "20130524T000000Z" for x-amz-date.
std::string format_amz_date(std::chrono::system_clock::time_point time);

}  // namespace teltubby::storage::sigv4
