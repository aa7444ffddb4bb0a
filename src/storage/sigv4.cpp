#include "storage/sigv4.hpp"

#include <algorithm>
#include <ctime>

namespace teltubby::storage::sigv4 {

namespace {

bool is_unreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
         c == '_' || c == '~';
}

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; });
  return out;
}

std::string canonical_value(std::string_view value) {
  std::string out;
  bool pending_space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

Pairs sorted_canonical(const Pairs& headers) {
  Pairs out;
  out.reserve(headers.size());
  for (const auto& [name, value] : headers) out.emplace_back(lower(name), canonical_value(value));
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  return out;
}

}  // namespace

std::string uri_encode(std::string_view text, bool keep_slash) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (is_unreserved(c) || (keep_slash && c == '/')) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(digits[c >> 4]);
      out.push_back(digits[c & 0x0f]);
    }
  }
  return out;
}

std::string canonical_query_string(const Pairs& query) {
  Pairs encoded;
  encoded.reserve(query.size());
  for (const auto& [name, value] : query) encoded.emplace_back(uri_encode(name, false), uri_encode(value, false));
  std::sort(encoded.begin(), encoded.end());
  std::string out;
  for (const auto& [name, value] : encoded) {
    if (!out.empty()) out.push_back('&');
    out += name;
    out.push_back('=');
    out += value;
  }
  return out;
}

std::string canonical_headers(const Pairs& headers) {
  // Repeated names are joined with ',' as AWS specifies.
  std::string out;
  const Pairs sorted = sorted_canonical(headers);
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (i > 0 && sorted[i].first == sorted[i - 1].first) {
      out.pop_back();  // the '\n'
      out += "," + sorted[i].second + "\n";
      continue;
    }
    out += sorted[i].first + ":" + sorted[i].second + "\n";
  }
  return out;
}

std::string signed_headers(const Pairs& headers) {
  std::string out;
  const Pairs sorted = sorted_canonical(headers);
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    if (i > 0 && sorted[i].first == sorted[i - 1].first) continue;
    if (!out.empty()) out.push_back(';');
    out += sorted[i].first;
  }
  return out;
}

std::string canonical_request(const RequestToSign& request) {
  return request.method + "\n" + request.canonical_uri + "\n" + canonical_query_string(request.query) + "\n" +
         canonical_headers(request.headers) + "\n" + signed_headers(request.headers) + "\n" + request.payload_sha256;
}

std::string credential_scope(std::string_view date, std::string_view region, std::string_view service) {
  return std::string(date) + "/" + std::string(region) + "/" + std::string(service) + "/aws4_request";
}

std::string string_to_sign(std::string_view amz_date, std::string_view scope, std::string_view canonical) {
  return "AWS4-HMAC-SHA256\n" + std::string(amz_date) + "\n" + std::string(scope) + "\n" + sha256_hex(canonical);
}

Digest signing_key(std::string_view secret_key, std::string_view date, std::string_view region,
                   std::string_view service) {
  const std::string seed = "AWS4" + std::string(secret_key);
  const auto seed_bytes = std::span(reinterpret_cast<const unsigned char*>(seed.data()), seed.size());
  const Digest date_key = hmac_sha256(seed_bytes, date);
  const Digest region_key = hmac_sha256(date_key, region);
  const Digest service_key = hmac_sha256(region_key, service);
  return hmac_sha256(service_key, "aws4_request");
}

std::string authorization(const RequestToSign& request, const Credentials& credentials, std::string_view amz_date) {
  const std::string_view date = amz_date.substr(0, 8);
  const std::string scope = credential_scope(date, credentials.region, credentials.service);
  const std::string to_sign = string_to_sign(amz_date, scope, canonical_request(request));
  const Digest key = signing_key(credentials.secret_key, date, credentials.region, credentials.service);
  const std::string signature = to_hex(hmac_sha256(key, to_sign));
  return "AWS4-HMAC-SHA256 Credential=" + credentials.access_key + "/" + scope +
         ", SignedHeaders=" + signed_headers(request.headers) + ", Signature=" + signature;
}

std::string format_amz_date(std::chrono::system_clock::time_point time) {
  const std::time_t seconds = std::chrono::system_clock::to_time_t(time);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char text[32];
  const std::size_t length = std::strftime(text, sizeof text, "%Y%m%dT%H%M%SZ", &utc);
  return std::string(text, length);
}

}  // namespace teltubby::storage::sigv4
