#include "e2e/control_client.hpp"

#include <stdexcept>

namespace teltubby::e2e {

RawResponse ControlClient::raw(std::string_view method, std::string_view path, std::string body,
                               http::Headers headers, std::chrono::seconds timeout) {
  http::Request request;
  request.method = std::string(method);
  request.url = base_url_ + std::string(path);
  request.headers = std::move(headers);
  request.body = std::move(body);
  request.timeout = timeout;
  request.total_timeout = timeout;
  auto response = client_.perform(request);
  if (!response) {
    throw std::runtime_error(std::string(method) + " " + std::string(path) + ": " +
                             response.error().describe());
  }
  return {response->status, std::move(response->body)};
}

Json ControlClient::expect_json(std::string_view method, std::string_view path, const RawResponse& response) {
  if (response.status < 200 || response.status > 299) {
    throw std::runtime_error(std::string(method) + " " + std::string(path) + " answered " +
                             std::to_string(response.status) + ": " + response.body);
  }
  try {
    return response.body.empty() ? Json::object() : Json::parse(response.body);
  } catch (const Json::exception& e) {
    throw std::runtime_error(std::string(method) + " " + std::string(path) + ": not JSON: " + response.body);
  }
}

Json ControlClient::get(std::string_view path, std::chrono::seconds timeout) {
  return expect_json("GET", path, raw("GET", path, "", {}, timeout));
}

Json ControlClient::post(std::string_view path, const Json& body, std::chrono::seconds timeout) {
  return expect_json("POST", path,
                     raw("POST", path, body.dump(), {{"Content-Type", "application/json"}}, timeout));
}

Json ControlClient::del(std::string_view path) {
  return expect_json("DELETE", path, raw("DELETE", path, "", {}));
}

long ControlClient::status_of_get(std::string_view path) {
  http::Request request;
  request.url = base_url_ + std::string(path);
  request.timeout = std::chrono::seconds{2};
  request.total_timeout = std::chrono::seconds{2};
  auto response = client_.perform(request);
  return response ? response->status : 0;
}

}  // namespace teltubby::e2e
