// Pure parts of the storage module: the SigV4 signer (against AWS's published examples
// and against botocore), the XML reader, S3 error classification, settings, quota ratio.
#include <gtest/gtest.h>

#include <algorithm>

#include <nlohmann/json.hpp>

#include "storage/bucket_usage.hpp"
#include "storage/s3_error.hpp"
#include "storage/s3_request.hpp"
#include "storage/s3_settings.hpp"
#include "storage/sigv4.hpp"
#include "storage/xml.hpp"
#include "support/child_process.hpp"
#include "support/s3rver.hpp"

namespace teltubby::storage {
namespace {

// AWS's documented example credentials and time (sig-v4-header-based-auth examples).
const sigv4::Credentials aws_example{"AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "us-east-1",
                                     "s3"};
constexpr std::string_view aws_date = "20130524T000000Z";

sigv4::RequestToSign example_get(std::string uri, sigv4::Pairs query) {
  return {"GET",
          std::move(uri),
          std::move(query),
          {{"Host", "examplebucket.s3.amazonaws.com"},
           {"x-amz-date", std::string(aws_date)},
           {"x-amz-content-sha256", std::string(sigv4::empty_payload_sha256)}},
          std::string(sigv4::empty_payload_sha256)};
}

// The URL with its query parameters sorted and "name" written as "name=", so that two
// URLs that the server reads identically compare equal.
std::string normalized_url(std::string_view url) {
  const auto question = url.find('?');
  if (question == std::string_view::npos) return std::string(url);
  std::vector<std::string> parameters;
  std::string_view query = url.substr(question + 1);
  while (!query.empty()) {
    const auto amp = query.find('&');
    std::string parameter(query.substr(0, amp));
    if (parameter.find('=') == std::string::npos) parameter += "=";
    parameters.push_back(parameter);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
  }
  std::sort(parameters.begin(), parameters.end());
  std::string out(url.substr(0, question + 1));
  for (const auto& parameter : parameters) out += (out.back() == '?' ? "" : "&") + parameter;
  return out;
}

std::string signature_of(const std::string& authorization) {
  return authorization.substr(authorization.find("Signature=") + 10);
}

TEST(SigV4, ReproducesAwsGetObjectWithRangeExample) {
  auto request = example_get("/test.txt", {});
  request.headers.emplace_back("Range", "bytes=0-9");
  EXPECT_EQ(sigv4::canonical_request(request),
            "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
            "x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
            "x-amz-date:20130524T000000Z\n\nhost;range;x-amz-content-sha256;x-amz-date\n"
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sigv4::string_to_sign(aws_date, "20130524/us-east-1/s3/aws4_request", sigv4::canonical_request(request)),
            "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"
            "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972");
  EXPECT_EQ(sigv4::authorization(request, aws_example, aws_date),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
            "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
            "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

TEST(SigV4, ReproducesAwsPutObjectExample) {
  const std::string body = "Welcome to Amazon S3.";
  const std::string body_sha = sha256_hex(body);
  EXPECT_EQ(body_sha, "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  sigv4::RequestToSign request{"PUT",
                               "/" + sigv4::uri_encode("test$file.text", true),
                               {},
                               {{"Host", "examplebucket.s3.amazonaws.com"},
                                {"Date", "Fri, 24 May 2013 00:00:00 GMT"},
                                {"x-amz-date", std::string(aws_date)},
                                {"x-amz-storage-class", "REDUCED_REDUNDANCY"},
                                {"x-amz-content-sha256", body_sha}},
                               body_sha};
  EXPECT_EQ(request.canonical_uri, "/test%24file.text");
  EXPECT_EQ(signature_of(sigv4::authorization(request, aws_example, aws_date)),
            "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd");
}

TEST(SigV4, ReproducesAwsGetBucketLifecycleExample) {
  auto request = example_get("/", {{"lifecycle", ""}});
  EXPECT_EQ(sigv4::canonical_query_string(request.query), "lifecycle=");
  EXPECT_EQ(signature_of(sigv4::authorization(request, aws_example, aws_date)),
            "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543");
}

TEST(SigV4, ReproducesAwsListObjectsExample) {
  auto request = example_get("/", {{"prefix", "J"}, {"max-keys", "2"}});
  EXPECT_EQ(sigv4::canonical_query_string(request.query), "max-keys=2&prefix=J");
  EXPECT_EQ(signature_of(sigv4::authorization(request, aws_example, aws_date)),
            "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7");
}

TEST(SigV4, DerivesTheDocumentedSigningKeyChain) {
  // The signing key depends only on secret, date, region and service.
  const Digest a = sigv4::signing_key(aws_example.secret_key, "20130524", "us-east-1", "s3");
  const Digest b = sigv4::signing_key(aws_example.secret_key, "20130525", "us-east-1", "s3");
  EXPECT_NE(to_hex(a), to_hex(b));
  EXPECT_EQ(to_hex(a).size(), 64U);
}

TEST(SigV4, UriEncodesKeysPerAwsRules) {
  EXPECT_EQ(sigv4::uri_encode("photos/a b+c~d_e-f.g", true), "photos/a%20b%2Bc~d_e-f.g");
  EXPECT_EQ(sigv4::uri_encode("a/b", false), "a%2Fb");
  EXPECT_EQ(sigv4::uri_encode("Привет", true), "%D0%9F%D1%80%D0%B8%D0%B2%D0%B5%D1%82");
  EXPECT_EQ(sigv4::uri_encode("!*'();:@&=$,?#[]%", true), "%21%2A%27%28%29%3B%3A%40%26%3D%24%2C%3F%23%5B%5D%25");
}

TEST(SigV4, SortsAndEncodesQueryParameters) {
  EXPECT_EQ(sigv4::canonical_query_string({{"uploadId", "a/b+c"}, {"partNumber", "1"}}),
            "partNumber=1&uploadId=a%2Fb%2Bc");
  EXPECT_EQ(sigv4::canonical_query_string({{"uploads", ""}}), "uploads=");
}

TEST(SigV4, CanonicalHeadersTrimAndCollapseSpaces) {
  EXPECT_EQ(sigv4::canonical_headers({{"X-Amz-Meta-A", "  one   two  "}, {"Host", "h"}}),
            "host:h\nx-amz-meta-a:one two\n");
  EXPECT_EQ(sigv4::signed_headers({{"X-Amz-Meta-A", "v"}, {"Host", "h"}}), "host;x-amz-meta-a");
}

TEST(SigV4, FormatsAmzDateInUtc) {
  EXPECT_EQ(sigv4::format_amz_date(std::chrono::system_clock::time_point{std::chrono::seconds{1369353600}}),
            "20130524T000000Z");
}

// The same requests signed by botocore (Debian's python3-botocore) and by us.
struct CrossCheckCase {
  std::string method;
  bool path_style;
  std::string endpoint;
  std::string key;
  sigv4::Pairs query;
  http::Headers headers;
  std::string body;
};

TEST(SigV4, AgreesWithBotocoreOnKeysQueriesAndAddressingStyles) {
  const std::vector<CrossCheckCase> cases = {
      {"GET", true, "http://127.0.0.1:9000", "plain.txt", {}, {}, ""},
      {"PUT", true, "http://127.0.0.1:9000", "dir/with space/and+plus~tilde.jpg", {}, {{"Content-Type", "image/jpeg"}},
       "hello"},
      {"PUT", true, "http://127.0.0.1:9000", "teltubby/2024/01/канал/Привет мир 😀.mp4", {},
       {{"Content-Type", "video/mp4"}}, "unicode"},
      {"POST", true, "http://127.0.0.1:9000", "big/file.bin", {{"uploads", ""}}, {{"Content-Type", "video/mp4"}}, ""},
      {"PUT", true, "http://127.0.0.1:9000", "big/file.bin",
       {{"partNumber", "1"}, {"uploadId", "2~abc/def+ghi=="}}, {}, "part one"},
      {"DELETE", true, "http://127.0.0.1:9000", "big/file.bin", {{"uploadId", "abc123"}}, {}, ""},
      {"GET", true, "http://127.0.0.1:9000", "",
       {{"list-type", "2"}, {"prefix", "teltubby/ü x"}, {"continuation-token", "1/ab+c=="}}, {}, ""},
      {"GET", false, "https://s3.eu-west-1.amazonaws.com", "a b/c+d", {}, {{"Range", "bytes=0-9"}}, ""},
      {"PUT", false, "https://minio.example.org", "copy of it", {},
       {{"x-amz-copy-source", "/archive/a%20b"}}, ""},
  };
  const auto now = std::chrono::system_clock::time_point{std::chrono::seconds{1700000000}};
  nlohmann::json input = nlohmann::json::array();
  std::vector<http::Request> ours;
  for (const auto& c : cases) {
    S3Settings settings;
    settings.endpoint = c.endpoint;
    settings.access_key = "AKIDEXAMPLE";
    settings.secret_key = "secret/with+chars";
    settings.bucket = "archive";
    settings.region = "eu-west-1";
    settings.force_path_style = c.path_style;
    const std::string payload = sha256_hex(c.body);
    ours.push_back(build_signed_request(settings, *parse_endpoint(c.endpoint),
                                        S3RequestParts{c.method, c.key, c.query, c.headers, payload}, now));
    nlohmann::json query = nlohmann::json::array();
    for (const auto& [k, v] : c.query) query.push_back({k, v});
    nlohmann::json headers = nlohmann::json::array();
    for (const auto& [k, v] : c.headers.entries()) headers.push_back({k, v});
    input.push_back({{"method", c.method}, {"endpoint", c.endpoint}, {"bucket", "archive"},
                     {"path_style", c.path_style}, {"key", c.key}, {"query", query}, {"headers", headers},
                     {"body", c.body}, {"region", "eu-west-1"}, {"access_key", "AKIDEXAMPLE"},
                     {"secret_key", "secret/with+chars"}, {"timestamp", sigv4::format_amz_date(now)}});
  }
  const auto script = test::source_dir() / "tests/unit/sigv4_botocore.py";
  const auto result = test::run_command({"/usr/bin/python3", script.string(), input.dump()});
  ASSERT_EQ(result.exit_code, 0) << result.output;
  const auto theirs = nlohmann::json::parse(result.output);
  ASSERT_EQ(theirs.size(), cases.size());
  for (std::size_t i = 0; i < cases.size(); ++i) {
    SCOPED_TRACE("case " + std::to_string(i) + ": " + cases[i].method + " " + cases[i].key);
    EXPECT_EQ(ours[i].headers.get("x-amz-content-sha256").value_or(""), theirs[i]["payload_sha256"]);
    EXPECT_EQ(normalized_url(ours[i].url), normalized_url(theirs[i]["url"].get<std::string>()));
    EXPECT_EQ(ours[i].headers.get("Authorization").value_or(""), theirs[i]["authorization"]);
  }
}

TEST(S3Xml, ExtractsElementsWithoutConfusingPrefixNames) {
  const std::string doc =
      "<ListBucketResult><KeyCount>2</KeyCount><Contents><Key>a&amp;b &#x27;q&#39;</Key><Size>5</Size></Contents>"
      "<Contents><Key>c</Key><Size>7</Size></Contents><IsTruncated>false</IsTruncated><Empty/></ListBucketResult>";
  auto contents = xml::elements(doc, "Contents");
  ASSERT_EQ(contents.size(), 2U);
  EXPECT_EQ(xml::first_text(contents[0], "Key"), "a&b 'q'");
  EXPECT_EQ(xml::first_text(doc, "Key"), "a&b 'q'");
  EXPECT_EQ(xml::first_text(doc, "KeyCount"), "2");
  EXPECT_EQ(xml::first_text(doc, "Empty"), "");
  EXPECT_EQ(xml::first_text(doc, "Missing"), std::nullopt);
  EXPECT_EQ(xml::unescape("&#1055;&unknown;&"), "П&unknown;&");
}

TEST(S3Errors, ClassifiesRetryableAndPermanentResponses) {
  auto error_body = [](std::string code) {
    return "<?xml version=\"1.0\"?><Error><Code>" + code + "</Code><Message>text</Message></Error>";
  };
  const Error signature = s3_error(403, error_body("SignatureDoesNotMatch"), "PUT k");
  EXPECT_EQ(signature.kind, ErrorKind::permanent);
  EXPECT_EQ(signature.code, "s3.SignatureDoesNotMatch");
  EXPECT_NE(signature.message.find("PUT k"), std::string::npos);
  EXPECT_EQ(s3_error(404, error_body("NoSuchBucket"), "x").kind, ErrorKind::permanent);
  EXPECT_EQ(s3_error(404, error_body("NoSuchKey"), "x").kind, ErrorKind::not_found);
  EXPECT_EQ(s3_error(503, error_body("SlowDown"), "x").kind, ErrorKind::retryable);
  EXPECT_EQ(s3_error(400, error_body("RequestTimeout"), "x").kind, ErrorKind::retryable);
  EXPECT_EQ(s3_error(500, error_body("InternalError"), "x").kind, ErrorKind::retryable);
  EXPECT_EQ(s3_error(502, "<html>bad gateway</html>", "x").code, "s3.http502");
  EXPECT_EQ(s3_error(502, "", "x").kind, ErrorKind::retryable);
  EXPECT_EQ(s3_error(403, "", "HEAD k").code, "s3.Forbidden");
}

TEST(S3SettingsValidation, ReportsEveryProblemAtOnce) {
  S3Settings settings;
  settings.endpoint = "ftp://x";
  settings.bucket = "Bad_Bucket";
  settings.part_size_bytes = 1024;
  auto result = validate(settings);
  ASSERT_FALSE(result);
  EXPECT_EQ(result.error().kind, ErrorKind::invalid_input);
  for (const char* expected : {"scheme", "access key", "secret key", "bucket", "part size"}) {
    EXPECT_NE(result.error().message.find(expected), std::string::npos) << expected;
  }
}

TEST(S3SettingsValidation, ParsesEndpoints) {
  auto plain = parse_endpoint("http://127.0.0.1:9000/");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->host, "127.0.0.1");
  EXPECT_EQ(plain->port, 9000);
  auto v6 = parse_endpoint("https://[::1]:9443");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_FALSE(parse_endpoint("https://host/path"));
  EXPECT_FALSE(parse_endpoint("http://host:99999"));
  EXPECT_FALSE(parse_endpoint("http://user@host"));
}

TEST(QuotaRatio, IsUsedOverQuotaAndAbsentWithoutQuota) {
  EXPECT_EQ(ratio_of(0, 0), std::nullopt);
  EXPECT_DOUBLE_EQ(*ratio_of(25, 100), 0.25);
  EXPECT_DOUBLE_EQ(*ratio_of(150, 100), 1.5);
}

}  // namespace
}  // namespace teltubby::storage
