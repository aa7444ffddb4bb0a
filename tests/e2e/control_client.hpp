#pragma once
// JSON over loopback HTTP for the e2e harness: the fake world's control API, the bot's
// /healthz, raw webhook POSTs. Thin: failures throw std::runtime_error naming the call,
// because a broken harness call means the test cannot go on (gtest reports the text).
#include <chrono>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "http/http_client.hpp"

namespace teltubby::e2e {

using Json = nlohmann::json;

struct RawResponse {
  long status = 0;
  std::string body;
};

class ControlClient {
 public:
  explicit ControlClient(std::string base_url) : base_url_(std::move(base_url)) {}

  // 2xx with a JSON body, else throws (status and body in the text).
  Json get(std::string_view path, std::chrono::seconds timeout = std::chrono::seconds{30});
  Json post(std::string_view path, const Json& body, std::chrono::seconds timeout = std::chrono::seconds{30});
  Json del(std::string_view path);
  // Any status; throws only on transport failure.
  RawResponse raw(std::string_view method, std::string_view path, std::string body, http::Headers headers,
                  std::chrono::seconds timeout = std::chrono::seconds{10});
  // Transport failures (nothing listening) come back as status 0.
  long status_of_get(std::string_view path);

  [[nodiscard]] const std::string& base_url() const { return base_url_; }

 private:
  Json expect_json(std::string_view method, std::string_view path, const RawResponse& response);

  std::string base_url_;
  http::HttpClient client_;
};

}  // namespace teltubby::e2e
