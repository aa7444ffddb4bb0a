#include "storage/s3_client.hpp"

#include <algorithm>
#include <charconv>
#include <random>
#include <thread>

#include "core/log.hpp"
#include "storage/crypto.hpp"
#include "storage/s3_error.hpp"
#include "storage/s3_request.hpp"
#include "storage/xml.hpp"

// Requests are described with designated initializers that name only what they use;
// GCC 12 warns about the members left to their defaults (GCC bug 96868), which is the intent.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace teltubby::storage {

namespace {

// Floor for the no-progress timeout of CompleteMultipartUpload (see there).
constexpr std::chrono::seconds kCompleteMultipartTimeout{300};

const Logger& logger() {
  static const Logger log{"s3"};
  return log;
}

std::string strip_quotes(std::string text) {
  if (text.size() >= 2 && text.front() == '"' && text.back() == '"') return text.substr(1, text.size() - 2);
  return text;
}

std::uint64_t parse_size(std::string_view text) {
  std::uint64_t value = 0;
  std::from_chars(text.data(), text.data() + text.size(), value);
  return value;
}

// A 200 answer that carries <Error> (CopyObject and CompleteMultipartUpload may fail
// after the status line was sent).
bool is_error_document(std::string_view body) { return body.find("<Error>") != std::string_view::npos; }

Error invalid_key_error(std::string_view key) {
  return Error{ErrorKind::invalid_input, "s3.InvalidKey",
               "object key must be 1-1024 bytes without control characters (got " + std::to_string(key.size()) +
                   " bytes)",
               {}};
}

bool valid_key(std::string_view key) {
  return !key.empty() && key.size() <= 1024 &&
         std::none_of(key.begin(), key.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

}  // namespace

S3Client::S3Client(S3Settings settings) : settings_(std::move(settings)) {
  if (auto valid = validate(settings_); !valid) throw FatalError(valid.error().describe());
  endpoint_ = *parse_endpoint(settings_.endpoint);
  register_secret(settings_.secret_key);
}

S3Client::~S3Client() = default;

std::unique_ptr<http::HttpClient> S3Client::borrow_connection() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_connections_.empty()) {
      auto connection = std::move(idle_connections_.back());
      idle_connections_.pop_back();
      return connection;
    }
  }
  return std::make_unique<http::HttpClient>(http::ClientOptions{.tls_verify = !settings_.tls_skip_verify});
}

void S3Client::return_connection(std::unique_ptr<http::HttpClient> connection) {
  std::lock_guard lock(mutex_);
  idle_connections_.push_back(std::move(connection));
}

std::chrono::milliseconds S3Client::backoff_delay(unsigned attempt) {
  thread_local std::mt19937_64 random{std::random_device{}()};
  const auto base = settings_.retry_base_delay.count();
  const auto cap = settings_.retry_max_delay.count();
  const auto exponential = std::min<long long>(cap, base << std::min(attempt - 1, 20u));
  // "Equal jitter": half fixed, half random, so concurrent part retries spread out.
  std::uniform_int_distribution<long long> jitter(0, std::max<long long>(0, exponential / 2));
  return std::chrono::milliseconds(exponential / 2 + jitter(random));
}

http::Request build_signed_request(const S3Settings& settings, const Endpoint& endpoint, const S3RequestParts& parts,
                                   std::chrono::system_clock::time_point now) {
  const bool path_style = settings.force_path_style;
  const std::string host_name = endpoint.host.find(':') != std::string::npos ? "[" + endpoint.host + "]" : endpoint.host;
  const bool default_port = !endpoint.port || (endpoint.scheme == "http" && *endpoint.port == 80) ||
                            (endpoint.scheme == "https" && *endpoint.port == 443);
  std::string host = path_style ? host_name : settings.bucket + "." + host_name;
  if (!default_port) host += ":" + std::to_string(*endpoint.port);

  std::string path = path_style ? "/" + settings.bucket : "";
  if (!parts.key.empty()) path += "/" + sigv4::uri_encode(parts.key, true);
  if (path.empty()) path = "/";

  const std::string query = sigv4::canonical_query_string(parts.query);
  const std::string amz_date = sigv4::format_amz_date(now);

  sigv4::RequestToSign to_sign{parts.method, path, parts.query, {}, parts.payload_sha256};
  to_sign.headers.emplace_back("host", host);
  to_sign.headers.emplace_back("x-amz-date", amz_date);
  to_sign.headers.emplace_back("x-amz-content-sha256", parts.payload_sha256);
  for (const auto& [name, value] : parts.headers.entries()) to_sign.headers.emplace_back(name, value);
  const sigv4::Credentials credentials{settings.access_key, settings.secret_key, settings.region, "s3"};

  http::Request request;
  request.method = parts.method;
  request.url = endpoint.scheme + "://" + host + path + (query.empty() ? "" : "?" + query);
  request.headers = parts.headers;
  request.headers.set("Host", host);
  request.headers.set("x-amz-date", amz_date);
  request.headers.set("x-amz-content-sha256", parts.payload_sha256);
  request.headers.set("Authorization", sigv4::authorization(to_sign, credentials, amz_date));
  return request;
}

Result<http::Response> S3Client::send_once(const Call& call, const std::string& payload_sha256) {
  http::Request request = build_signed_request(
      settings_, endpoint_, S3RequestParts{call.method, call.key, call.query, call.headers, payload_sha256},
      std::chrono::system_clock::now());
  request.timeout = call.idle_timeout.count() > 0 ? call.idle_timeout : settings_.io_timeout;
  request.response_sink = call.sink;
  if (!call.body.empty()) {
    request.body_length = call.body.size();
    request.body_reader = [body = call.body, offset = std::size_t{0}](std::span<std::byte> buffer) mutable
        -> Result<std::size_t> {
      const std::size_t n = std::min(buffer.size(), body.size() - offset);
      std::copy_n(body.begin() + static_cast<std::ptrdiff_t>(offset), n, buffer.begin());
      offset += n;
      return n;
    };
  } else if (call.method == "PUT" || call.method == "POST") {
    request.body_length = 0;  // an explicit empty body (Content-Length: 0)
  }

  auto connection = borrow_connection();
  auto response = connection->perform(request);
  // A connection that failed is dropped rather than reused.
  if (response) return_connection(std::move(connection));
  return response;
}

Result<http::Response> S3Client::send(const Call& call) {
  const std::string payload_sha256 =
      call.body.empty() ? std::string(sigv4::empty_payload_sha256) : sha256_hex(call.body);
  bool delivered_to_sink = false;
  Call attempt_call = call;
  if (call.sink) {
    attempt_call.sink = [&](std::span<const std::byte> bytes) -> Status {
      delivered_to_sink = true;
      return call.sink(bytes);
    };
  }
  for (unsigned attempt = 1;; ++attempt) {
    auto response = send_once(attempt_call, payload_sha256);
    Error error;
    if (!response) {
      error = response.error();
      error.message = call.context + ": " + error.message;
    } else if (response->status >= 200 && response->status < 300) {
      return response;
    } else {
      error = s3_error(response->status, response->body, call.context);
    }
    const bool may_retry = error.retryable() && attempt < settings_.max_attempts && !delivered_to_sink;
    if (!may_retry) return std::unexpected(std::move(error));
    const auto delay = backoff_delay(attempt);
    logger().warn("S3 request failed, retrying",
                  {{"operation", call.context}, {"error", error.code}, {"attempt", attempt},
                   {"delay_ms", delay.count()}});
    std::this_thread::sleep_for(delay);
  }
}

Status S3Client::head_bucket() {
  auto response = send(Call{.method = "HEAD", .context = "HEAD bucket " + settings_.bucket});
  if (!response) {
    Error error = response.error();
    if (error.kind == ErrorKind::not_found) error.code = "s3.NoSuchBucket";
    return std::unexpected(std::move(error));
  }
  return {};
}

Status S3Client::create_bucket() {
  std::string body;
  if (settings_.region != "us-east-1") {
    body = "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>" +
           xml::escape(settings_.region) + "</LocationConstraint></CreateBucketConfiguration>";
  }
  auto response = send(Call{.method = "PUT", .body = std::as_bytes(std::span(body.data(), body.size())),
                            .context = "create bucket " + settings_.bucket});
  if (!response && response.error().code == "s3.BucketAlreadyOwnedByYou") return {};
  if (!response) return std::unexpected(response.error());
  return {};
}

Status S3Client::ensure_bucket() {
  auto exists = head_bucket();
  if (exists) return {};
  if (exists.error().kind != ErrorKind::not_found) return exists;
  logger().info("creating bucket", {{"bucket", settings_.bucket}});
  auto created = create_bucket();
  // Another process (the bot and the worker start together) may have created it a
  // moment ago; if we can reach it now, it is ours to use. A bucket someone else owns
  // still fails the second look.
  if (!created && created.error().code == "s3.BucketAlreadyExists") return head_bucket();
  return created;
}

Result<std::string> S3Client::put_object(std::string_view key, std::span<const std::byte> content,
                                         std::string_view content_type) {
  if (!valid_key(key)) return std::unexpected(invalid_key_error(key));
  Call call{.method = "PUT", .key = key, .body = content, .context = "PUT " + std::string(key)};
  call.headers.set("Content-Type", content_type.empty() ? "application/octet-stream" : std::string(content_type));
  auto response = send(call);
  if (!response) return std::unexpected(response.error());
  return strip_quotes(response->headers.get("ETag").value_or(""));
}

Result<std::string> S3Client::put_object(std::string_view key, std::string_view content,
                                         std::string_view content_type) {
  return put_object(key, std::as_bytes(std::span(content.data(), content.size())), content_type);
}

Result<ObjectHead> S3Client::get_object(std::string_view key, const http::BodySink& sink) {
  if (!valid_key(key)) return std::unexpected(invalid_key_error(key));
  auto response = send(Call{.method = "GET", .key = key, .sink = sink, .context = "GET " + std::string(key)});
  if (!response) return std::unexpected(response.error());
  return ObjectHead{parse_size(response->headers.get("Content-Length").value_or("0")),
                    strip_quotes(response->headers.get("ETag").value_or("")),
                    response->headers.get("Content-Type").value_or("")};
}

Result<ObjectHead> S3Client::head_object(std::string_view key) {
  if (!valid_key(key)) return std::unexpected(invalid_key_error(key));
  auto response = send(Call{.method = "HEAD", .key = key, .context = "HEAD " + std::string(key)});
  if (!response) {
    Error error = response.error();
    if (error.kind == ErrorKind::not_found) error.code = "s3.NoSuchKey";
    return std::unexpected(std::move(error));
  }
  return ObjectHead{parse_size(response->headers.get("Content-Length").value_or("0")),
                    strip_quotes(response->headers.get("ETag").value_or("")),
                    response->headers.get("Content-Type").value_or("")};
}

Status S3Client::delete_object(std::string_view key) {
  if (!valid_key(key)) return std::unexpected(invalid_key_error(key));
  auto response = send(Call{.method = "DELETE", .key = key, .context = "DELETE " + std::string(key)});
  if (!response && response.error().kind != ErrorKind::not_found) return std::unexpected(response.error());
  return {};
}

Status S3Client::copy_object(std::string_view source_key, std::string_view destination_key) {
  if (!valid_key(source_key)) return std::unexpected(invalid_key_error(source_key));
  if (!valid_key(destination_key)) return std::unexpected(invalid_key_error(destination_key));
  Call call{.method = "PUT", .key = destination_key,
            .context = "COPY " + std::string(source_key) + " -> " + std::string(destination_key)};
  call.headers.set("x-amz-copy-source", "/" + settings_.bucket + "/" + sigv4::uri_encode(source_key, true));
  auto response = send(call);
  if (!response) return std::unexpected(response.error());
  if (is_error_document(response->body)) return std::unexpected(s3_error(500, response->body, call.context));
  return {};
}

Result<ListPage> S3Client::list_objects_page(std::string_view prefix, std::optional<std::string> continuation_token,
                                             unsigned max_keys) {
  Call call{.method = "GET", .context = "LIST " + settings_.bucket + "/" + std::string(prefix)};
  call.query.emplace_back("list-type", "2");
  if (!prefix.empty()) call.query.emplace_back("prefix", std::string(prefix));
  if (continuation_token) call.query.emplace_back("continuation-token", *continuation_token);
  if (max_keys > 0) call.query.emplace_back("max-keys", std::to_string(max_keys));
  auto response = send(call);
  if (!response) return std::unexpected(response.error());
  ListPage page;
  for (std::string_view contents : xml::elements(response->body, "Contents")) {
    ObjectInfo info;
    info.key = xml::first_text(contents, "Key").value_or("");
    info.size = parse_size(xml::first_text(contents, "Size").value_or("0"));
    info.etag = strip_quotes(xml::first_text(contents, "ETag").value_or(""));
    info.last_modified = xml::first_text(contents, "LastModified").value_or("");
    page.objects.push_back(std::move(info));
  }
  if (xml::first_text(response->body, "IsTruncated").value_or("false") == "true") {
    page.next_continuation_token = xml::first_text(response->body, "NextContinuationToken");
    if (!page.next_continuation_token || page.next_continuation_token->empty()) {
      return fail(ErrorKind::permanent, "s3.MalformedListing", call.context + ": truncated listing without a token");
    }
  }
  return page;
}

Status S3Client::list_objects(std::string_view prefix, const std::function<Status(const ObjectInfo&)>& visit) {
  std::optional<std::string> token;
  do {
    auto page = list_objects_page(prefix, token);
    if (!page) return std::unexpected(page.error());
    for (const auto& object : page->objects) {
      if (auto visited = visit(object); !visited) return visited;
    }
    token = std::move(page->next_continuation_token);
  } while (token);
  return {};
}

Result<std::string> S3Client::create_multipart_upload(std::string_view key, std::string_view content_type) {
  if (!valid_key(key)) return std::unexpected(invalid_key_error(key));
  Call call{.method = "POST", .key = key, .query = {{"uploads", ""}},
            .context = "CREATE MULTIPART " + std::string(key)};
  call.headers.set("Content-Type", content_type.empty() ? "application/octet-stream" : std::string(content_type));
  auto response = send(call);
  if (!response) return std::unexpected(response.error());
  auto upload_id = xml::first_text(response->body, "UploadId");
  if (!upload_id || upload_id->empty()) {
    return fail(ErrorKind::permanent, "s3.MalformedResponse", call.context + ": no UploadId in the answer");
  }
  return *upload_id;
}

Result<std::string> S3Client::upload_part(std::string_view key, std::string_view upload_id,
                                          std::uint32_t part_number, std::span<const std::byte> data) {
  if (part_number < 1 || part_number > max_part_count) {
    return fail(ErrorKind::invalid_input, "s3.InvalidPartNumber", "part number must be 1-10000");
  }
  Call call{.method = "PUT", .key = key,
            .query = {{"partNumber", std::to_string(part_number)}, {"uploadId", std::string(upload_id)}},
            .body = data,
            .context = "UPLOAD PART " + std::to_string(part_number) + " of " + std::string(key)};
  auto response = send(call);
  if (!response) return std::unexpected(response.error());
  auto etag = response->headers.get("ETag");
  if (!etag) return fail(ErrorKind::permanent, "s3.MalformedResponse", call.context + ": no ETag in the answer");
  return strip_quotes(*etag);
}

Result<std::string> S3Client::complete_multipart_upload(std::string_view key, std::string_view upload_id,
                                                        const std::vector<CompletedPart>& parts) {
  std::string body = "<CompleteMultipartUpload>";
  for (const auto& part : parts) {
    body += "<Part><PartNumber>" + std::to_string(part.number) + "</PartNumber><ETag>\"" + xml::escape(part.etag) +
            "\"</ETag></Part>";
  }
  body += "</CompleteMultipartUpload>";
  Call call{.method = "POST", .key = key, .query = {{"uploadId", std::string(upload_id)}},
            .body = std::as_bytes(std::span(body.data(), body.size())),
            .context = "COMPLETE MULTIPART " + std::string(key)};
  call.headers.set("Content-Type", "application/xml");
  // The server answers only once it has assembled the parts, which takes time in
  // proportion to the object (AWS documents minutes; s3rver copies every byte), so
  // the usual no-progress timeout would fail a complete that is going well.
  call.idle_timeout = std::max(settings_.io_timeout, kCompleteMultipartTimeout);
  auto response = send(call);
  if (!response) return std::unexpected(response.error());
  if (is_error_document(response->body)) return std::unexpected(s3_error(500, response->body, call.context));
  return strip_quotes(xml::first_text(response->body, "ETag").value_or(""));
}

Status S3Client::abort_multipart_upload(std::string_view key, std::string_view upload_id) {
  auto response = send(Call{.method = "DELETE", .key = key, .query = {{"uploadId", std::string(upload_id)}},
                            .context = "ABORT MULTIPART " + std::string(key)});
  // Already gone (aborted before, or completed): nothing is left dangling.
  if (!response && response.error().code != "s3.NoSuchUpload") return std::unexpected(response.error());
  return {};
}

Result<std::vector<MultipartUploadInfo>> S3Client::list_multipart_uploads(std::string_view prefix) {
  Call call{.method = "GET", .query = {{"uploads", ""}}, .context = "LIST MULTIPART " + settings_.bucket};
  if (!prefix.empty()) call.query.emplace_back("prefix", std::string(prefix));
  auto response = send(call);
  if (!response) return std::unexpected(response.error());
  std::vector<MultipartUploadInfo> uploads;
  for (std::string_view upload : xml::elements(response->body, "Upload")) {
    uploads.push_back({xml::first_text(upload, "Key").value_or(""), xml::first_text(upload, "UploadId").value_or("")});
  }
  return uploads;
}

void S3Client::abort_or_remember(const std::string& key, const std::string& upload_id) noexcept {
  try {
    auto aborted = abort_multipart_upload(key, upload_id);
    if (aborted) {
      logger().info("multipart upload aborted", {{"key", key}});
      return;
    }
    logger().warn("multipart upload abort failed; will retry",
                  {{"key", key}, {"error", aborted.error().describe()}});
    std::lock_guard lock(mutex_);
    pending_aborts_.push_back({key, upload_id});
  } catch (...) {
    // Out of memory or a logging failure: the upload may dangle until a lifecycle rule
    // or the next retry_pending_aborts() of another process; never throw from cleanup.
  }
}

Status S3Client::retry_pending_aborts() {
  std::vector<MultipartUploadInfo> pending;
  {
    std::lock_guard lock(mutex_);
    pending.swap(pending_aborts_);
  }
  Status first_error;
  std::vector<MultipartUploadInfo> still_pending;
  for (auto& upload : pending) {
    auto aborted = abort_multipart_upload(upload.key, upload.upload_id);
    if (!aborted) {
      if (first_error) first_error = aborted;
      still_pending.push_back(std::move(upload));
    }
  }
  std::lock_guard lock(mutex_);
  for (auto& upload : still_pending) pending_aborts_.push_back(std::move(upload));
  return first_error;
}

std::size_t S3Client::pending_abort_count() const {
  std::lock_guard lock(mutex_);
  return pending_aborts_.size();
}

}  // namespace teltubby::storage
