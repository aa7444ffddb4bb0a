#include "fakes/tdjson/account_api.hpp"

#include <httplib.h>

#include "fakes/tdjson/td_shapes.hpp"

namespace teltubby::fake_tdjson {

namespace {

// Bounded so a hung server turns into "network down" instead of a stuck client.
constexpr int kConnectTimeoutSeconds = 2;
constexpr int kReadTimeoutSeconds = 30;

ApiAnswer to_answer(const httplib::Result& result, bool keep_bytes) {
  ApiAnswer answer;
  if (!result) return answer;
  answer.http_status = result->status;
  const bool is_json = result->get_header_value("Content-Type").find("json") != std::string::npos;
  if (keep_bytes && answer.ok() && !is_json) {
    answer.bytes = result->body;
  } else {
    answer.body = nlohmann::json::parse(result->body, nullptr, false);
    if (answer.body.is_discarded()) answer.body = nullptr;
  }
  return answer;
}

}  // namespace

bool ApiAnswer::network_down() const {
  if (http_status == 0 || http_status >= 500) return true;
  const std::string code = error_code();
  return code == "NETWORK_DOWN" || code == "NETWORK";
}

std::string ApiAnswer::error_code() const {
  if (!body.is_object()) return {};
  auto it = body.find("error");
  return it != body.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

nlohmann::json td_error_for(const ApiAnswer& answer) {
  const std::string code = answer.error_code();
  std::int64_t retry_after = 0;
  if (answer.body.is_object()) {
    if (auto it = answer.body.find("retry_after"); it != answer.body.end() && it->is_number_integer()) {
      retry_after = it->get<std::int64_t>();
    }
  }
  // TDLib turns FLOOD_WAIT_N it cannot wait out into 429 "Too Many Requests: retry after N".
  if (code.starts_with("FLOOD_WAIT") || answer.http_status == 429) {
    return td_error(429, "Too Many Requests: retry after " + std::to_string(retry_after));
  }
  if (answer.unauthorized()) {
    if (code == "USER_DEACTIVATED" || code == "USER_DEACTIVATED_BAN") return td_error(401, code);
    return td_error(401, "Unauthorized");
  }
  if (code == "FILE_REFERENCE_EXPIRED") return td_error(400, "Can't download file: have no valid file reference");
  if (code == "MESSAGE_ID_INVALID") return td_error(404, "Not Found");
  if (answer.http_status == 404 && code.empty()) return td_error(404, "Not Found");
  if (!code.empty()) return td_error(400, code);
  return td_error(500, "Request failed with HTTP status " + std::to_string(answer.http_status));
}

AccountApi::AccountApi(std::string base_url) : base_url_(std::move(base_url)) {}

namespace {
httplib::Client make_client(const std::string& base_url) {
  httplib::Client client(base_url);
  client.set_connection_timeout(kConnectTimeoutSeconds, 0);
  client.set_read_timeout(kReadTimeoutSeconds, 0);
  client.set_write_timeout(kReadTimeoutSeconds, 0);
  return client;
}
}  // namespace

ApiAnswer AccountApi::get(const std::string& path) const {
  auto client = make_client(base_url_);
  return to_answer(client.Get(path), false);
}

ApiAnswer AccountApi::post(const std::string& path, const nlohmann::json& body) const {
  auto client = make_client(base_url_);
  return to_answer(client.Post(path, body.dump(), "application/json"), false);
}

ApiAnswer AccountApi::get_bytes(const std::string& path) const {
  auto client = make_client(base_url_);
  return to_answer(client.Get(path), true);
}

std::string url_encode(const std::string& value) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (char ch : value) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

}  // namespace teltubby::fake_tdjson
